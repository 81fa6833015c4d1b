import { htmlText } from '../escape.js';
import { humanPercent } from '../../human-units.js';
import { fitLabel } from '../label-fit.js';
import { color, el, legend, svgRoot, textEl } from '../svg.js';

export interface Bar {
  label: string;
  value: number;
  /** A share 0..1 drawn as a gauge beside the bar (the share of its keys with no TTL), or null. */
  fraction: number | null;
}

export interface BarChartOptions {
  label: string;
  /** What the bars measure (the legend). */
  valueLabel: string;
  format: (value: number) => string;
  /** What the gauge shows; no gauge column when absent. */
  fractionLabel?: string;
}

const ROW = 22;
const W = 640;
const LABEL_W = 200;
const BAR_X = 208;
const BAR_W = 250;
const GAUGE_X = 532;
const GAUGE_W = 60;
const TOP = 26;
/** The labels' room, from the chart's left edge to LABEL_W, in em of its 12-unit font (a margin kept). */
const LABEL_EM = 16;

/** Horizontal bars in the given order (the report's ranking), values at their ends, one row each. */
export function barChart(bars: Bar[], options: BarChartOptions): string {
  const max = bars.reduce((m, b) => Math.max(m, b.value), 0);
  const gauge = options.fractionLabel !== undefined;
  let body = legend(BAR_X, 14, [{ label: options.valueLabel, color: color(0) }, ...(gauge ? [{ label: options.fractionLabel!, color: color(1) }] : [])]);
  bars.forEach((b, i) => {
    const y = TOP + i * ROW;
    const shown = fitLabel(b.label, LABEL_EM);
    body += textEl({ x: LABEL_W, y: y + 15, 'text-anchor': 'end', class: 'label' }, shown, b.label);
    const w = max > 0 ? Math.max(b.value > 0 ? 1 : 0, (b.value / max) * BAR_W) : 0;
    body += el('rect', { x: BAR_X, y: y + 3, width: w, height: ROW - 6, fill: color(0), class: 'bar' }, el('title', {}, htmlText(`${b.label}: ${options.format(b.value)}`)));
    body += textEl({ x: BAR_X + w + 5, y: y + 15, class: 'value' }, options.format(b.value));
    if (gauge && b.fraction !== null) {
      body += el('rect', { x: GAUGE_X, y: y + 6, width: GAUGE_W, height: ROW - 12, fill: '#e6e6e6' });
      body += el('rect', { x: GAUGE_X, y: y + 6, width: Math.min(1, Math.max(0, b.fraction)) * GAUGE_W, height: ROW - 12, fill: color(1), class: 'gauge' });
      body += textEl({ x: GAUGE_X + GAUGE_W + 5, y: y + 15, class: 'value' }, humanPercent(b.fraction));
    }
  });
  return svgRoot(W, TOP + bars.length * ROW + 6, options.label, body);
}
