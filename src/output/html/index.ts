export { formatHtml, LEAD_REPORTS, type HtmlPageInput } from './html-writer.js';
export { CHARTS, type ChartSpec } from './chart-specs.js';
