import { htmlText } from '../escape.js';
import { linearTicks } from '../scale.js';
import { color, el, legend, svgRoot, textEl } from '../svg.js';

export interface ColumnGroup {
  category: string;
  /** One value per series, in the order of `series`; null draws nothing. */
  values: (number | null)[];
}

export interface ColumnChartOptions {
  label: string;
  series: string[];
  format: (value: number) => string;
  /** The axis' labels, when not `format` (round ticks: `25%` where a value reads `25.0%`). */
  tick?: (value: number) => string;
  /** Tick spacing: 1024 for bytes, 10 otherwise. */
  base: 10 | 1024;
}

const W = 640;
const H = 260;
const LEFT = 64;
const RIGHT = 10;
const TOP = 30;
const BOTTOM = 30;

/** Vertical columns per category (kept in the given order: TTL buckets run short to long), grouped by series. */
export function columnChart(groups: ColumnGroup[], options: ColumnChartOptions): string {
  const max = groups.reduce((m, g) => g.values.reduce<number>((mm, v) => Math.max(mm, v ?? 0), m), 0);
  const ticks = linearTicks(max, 4, options.base);
  const plotH = H - TOP - BOTTOM;
  const y = (v: number) => TOP + plotH - (v / ticks.max) * plotH;
  let body = legend(LEFT, 14, options.series.map((label, i) => ({ label, color: color(i) })));
  for (const t of ticks.values) {
    body += el('line', { x1: LEFT, y1: y(t), x2: W - RIGHT, y2: y(t), class: 'grid' });
    body += textEl({ x: LEFT - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'tick' }, (options.tick ?? options.format)(t));
  }
  const slot = (W - LEFT - RIGHT) / Math.max(1, groups.length);
  const barW = Math.min(28, (slot - 10) / Math.max(1, options.series.length));
  groups.forEach((g, gi) => {
    const x0 = LEFT + gi * slot + (slot - barW * options.series.length) / 2;
    g.values.forEach((v, si) => {
      if (v === null) return;
      const top = y(v);
      body += el('rect', { x: x0 + si * barW, y: top, width: barW - 2, height: TOP + plotH - top, fill: color(si), class: 'bar' },
        el('title', {}, htmlText(`${g.category}, ${options.series[si]}: ${options.format(v)}`)));
    });
    body += textEl({ x: LEFT + gi * slot + slot / 2, y: H - 10, 'text-anchor': 'middle', class: 'tick' }, g.category);
  });
  body += el('line', { x1: LEFT, y1: TOP + plotH, x2: W - RIGHT, y2: TOP + plotH, class: 'axis' });
  return svgRoot(W, H, options.label, body);
}
