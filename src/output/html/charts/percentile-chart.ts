import { htmlText } from '../escape.js';
import { fitLabel } from '../label-fit.js';
import { logTicks } from '../scale.js';
import { color, el, legend, svgRoot, textEl } from '../svg.js';

export interface PercentileRow {
  label: string;
  /** One value per mark (p50, p90, p99, max…), in the order of `marks`; null when unknown. */
  values: (number | null)[];
}

export interface PercentileChartOptions {
  label: string;
  marks: string[];
  format: (value: number) => string;
}

const ROW = 24;
const W = 640;
const LABEL_W = 160;
const X0 = 172;
/** The axis ends short of the right edge by half a tick label ("128 KB" centred on it). */
const X1 = 606;
const TOP = 40;
/** The labels' room, from the chart's left edge to LABEL_W, in em of its 12-unit font (a margin kept). */
const LABEL_EM = 12.5;

/**
 * Size distributions on one log axis, a row each: a line from the smallest to the largest mark, a dot
 * per mark. A log scale because a type's p50 and max are often six orders of magnitude apart.
 */
export function percentileChart(rows: PercentileRow[], options: PercentileChartOptions): string {
  const all = rows.flatMap((r) => r.values.filter((v): v is number => v !== null && v > 0));
  const ticks = logTicks(all.length ? Math.min(...all) : 1, all.length ? Math.max(...all) : 2, 8);
  const x = (v: number) => X0 + ((Math.log2(Math.max(1, v)) - ticks.lo) / (ticks.hi - ticks.lo)) * (X1 - X0);
  const bottom = TOP + rows.length * ROW;
  let body = legend(X0, 14, options.marks.map((label, i) => ({ label, color: color(i) })));
  for (const t of ticks.values) {
    body += el('line', { x1: x(t), y1: TOP - 6, x2: x(t), y2: bottom, class: 'grid' });
    body += textEl({ x: x(t), y: bottom + 14, 'text-anchor': 'middle', class: 'tick' }, options.format(t));
  }
  rows.forEach((r, i) => {
    const cy = TOP + i * ROW + ROW / 2;
    body += textEl({ x: LABEL_W, y: cy + 4, 'text-anchor': 'end', class: 'label' }, fitLabel(r.label, LABEL_EM), r.label);
    const known = r.values.filter((v): v is number => v !== null);
    if (known.length > 1) body += el('line', { x1: x(Math.min(...known)), y1: cy, x2: x(Math.max(...known)), y2: cy, class: 'range' });
    r.values.forEach((v, mi) => {
      if (v === null) return;
      // Marks of one value share a point (p99 = max with fewer than 100 keys): the first is a dot,
      // each later one a ring around it, wider by one stroke each, so every mark stays in sight.
      const under = r.values.slice(0, mi).filter((u) => u === v).length;
      const shape = under === 0 ? { r: 5, fill: color(mi) } : { r: 5 + 3 * under, fill: 'none', stroke: color(mi), 'stroke-width': 2 };
      body += el('circle', { cx: x(v), cy, ...shape, class: 'mark' }, el('title', {}, htmlText(`${r.label} ${options.marks[mi]}: ${options.format(v)}`)));
    });
  });
  return svgRoot(W, bottom + 22, options.label, body);
}
