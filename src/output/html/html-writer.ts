import { createHash } from 'node:crypto';
import type { ReportResult } from '../result.js';
import { CHARTS, type ChartSpec } from './chart-specs.js';
import { drawnChart } from './draw-chart.js';
import { htmlText } from './escape.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';
import { columnTitle, readTable, tableHtml, type PageTable } from './table-html.js';

export interface HtmlPageInput {
  title: string;
  /** Lines under the title (which snapshot, which database). */
  subtitle: string[];
  /** The reports to show, in page order; those named in LEAD_REPORTS come first, above the charts. */
  results: ReportResult[];
  /** Rows read per table at most: the page stays small however large a table is. */
  maxRows: number;
  /** The line at the foot of the page (what made it, when). */
  footer: string;
  charts?: readonly ChartSpec[];
}

/** Reports that open the page, before the charts: the one-screen diagnosis. */
export const LEAD_REPORTS: readonly string[] = ['diagnosis'];

const REPORT_TITLES: Record<string, string> = {
  diagnosis: 'Diagnosis', summary: 'Summary', bigkeys: 'Big keys', untimed: 'Keys without TTL', patterns: 'Key patterns',
  growth: 'Growth', ttl: 'TTL', eviction: 'Eviction', capacity: 'Capacity', forecast: 'Forecast',
};

/**
 * One self-contained HTML page of report results: the same ReportResults the table, CSV and JSON
 * writers print, plus the charts of CHARTS drawn from their tables as inline SVG. Nothing is fetched:
 * style and script are inline, and the Content-Security-Policy allows only those two (by hash), so the
 * page makes no request even if opened from a hostile place, and no other script can run in it.
 */
export function formatHtml(input: HtmlPageInput): string {
  const read = input.results.map((result) => ({ result, tables: result.tables.map((t) => readTable(t, input.maxRows)) }));
  const find = (report: string, table: string): PageTable | undefined => read.find((r) => r.result.report === report)?.tables.find((t) => t.name === table);
  const charts: { spec: ChartSpec; svg: string; caption: string | undefined }[] = [];
  for (const spec of input.charts ?? CHARTS) {
    if (spec.unless?.some((id) => charts.some((c) => c.spec.id === id))) continue;
    const drawn = drawnChart(spec, find);
    if (drawn !== null) charts.push({ spec, ...drawn });
  }
  const lead = read.filter((r) => LEAD_REPORTS.includes(r.result.report));
  const rest = read.filter((r) => !LEAD_REPORTS.includes(r.result.report));

  // A note already shown (the snapshot line every report repeats) is not shown again.
  const shownNotes = new Set<string>();
  const section = (r: (typeof read)[number], cls: string) => {
    const notes = r.result.notes.filter((n) => !shownNotes.has(n));
    for (const n of notes) shownNotes.add(n);
    const list = notes.length ? `<ul class="notes">${notes.map((n) => `<li>${htmlText(n)}</li>`).join('')}</ul>` : '';
    const tables = r.tables.map((t) => tableHtml(anchor(`${r.result.report}-${t.name}`), t)).join('');
    return `<section class="${cls ? `report ${cls}` : 'report'}" id="${anchor(r.result.report)}"><h2>${htmlText(reportTitle(r.result.report))}</h2>${list}${tables}</section>`;
  };
  const chartsHtml = charts.length === 0 ? '' :
    `<section class="report" id="charts"><h2>Charts</h2><div class="charts">${charts
      .map(({ spec, svg, caption }) => `<figure class="chart" id="chart-${anchor(spec.id)}"><figcaption>${htmlText(spec.title)}</figcaption>${caption ? `<p>${htmlText(caption)}</p>` : ''}${svg}</figure>`)
      .join('')}</div></section>`;
  const toc = [...lead.map((r) => r.result.report), ...(charts.length ? ['charts'] : []), ...rest.map((r) => r.result.report)]
    .map((name) => `<a href="#${anchor(name)}">${htmlText(name === 'charts' ? 'Charts' : reportTitle(name))}</a>`)
    .join('');
  const body = lead.map((r) => section(r, 'lead')).join('') + chartsHtml + rest.map((r) => section(r, '')).join('');

  const csp = `default-src 'none'; script-src '${sha256(PAGE_SCRIPT)}'; style-src '${sha256(PAGE_STYLE)}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="rdbscope">
<title>${htmlText(input.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header class="page"><h1>${htmlText(input.title)}</h1>${input.subtitle.map((s) => `<p>${htmlText(s)}</p>`).join('')}</header>
<nav class="toc">${toc}</nav>
<main>${body}</main>
<footer class="page">${htmlText(input.footer)}</footer>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

function reportTitle(name: string): string {
  return REPORT_TITLES[name] ?? columnTitle(name);
}

/** An element id from our own report and table names (letters, digits, `-`, `_` kept; anything else `-`). */
function anchor(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '-');
}

/** A CSP source expression for an inline block (CSP Level 3 §2.3.1: the hash of its exact text, base64). */
function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
