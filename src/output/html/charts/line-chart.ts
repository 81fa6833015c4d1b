import { htmlText } from '../escape.js';
import { fitLabel, labelEm } from '../label-fit.js';
import { isoTime } from '../../result.js';
import { humanTime } from '../../human-units.js';
import { linearTicks, timeTicks } from '../scale.js';
import { color, el, legend, svgRoot, textEl } from '../svg.js';

export interface LinePoint {
  /** Unix ms. */
  x: number;
  y: number;
}

export interface LineSeries {
  label: string;
  points: LinePoint[];
  /** A projection (a forecast), drawn dashed in the colour of the series of the same `colorOf`. */
  dashed: boolean;
  /** Series sharing this index share a colour (a pattern and its forecast). */
  colorOf: number;
}

/** A horizontal line across the plot (maxmemory, a threshold). */
export interface ReferenceLine {
  label: string;
  y: number;
}

export interface LineChartOptions {
  label: string;
  format: (value: number) => string;
  base: 10 | 1024;
  /** What the dashed lines are, in the legend (fitted, forecast). */
  dashedLabel: string;
}

const W = 640;
const H = 300;
const LEFT = 70;
const RIGHT = 16;
const TOP = 20;
const BOTTOM = 34;
/** The chart's font size in its own units (page-style.ts: svg.chart-svg, 12px on a 640-unit-wide box). */
const FONT = 12;
/** A legend entry's name: 140 units per entry less its swatch, in em of the 12-unit font. */
const LEGEND_EM = 9.5;

/** Values over time, a line per series, dots on measured points, with reference lines above them. */
export function lineChart(series: LineSeries[], refs: ReferenceLine[], options: LineChartOptions): string {
  const points = series.flatMap((s) => s.points);
  const xs = points.map((p) => p.x);
  const minX = xs.length ? Math.min(...xs) : 0;
  const maxX = xs.length ? Math.max(...xs) : 1;
  const maxY = Math.max(0, ...points.map((p) => p.y), ...refs.map((r) => r.y));
  const ticks = linearTicks(maxY, 5, options.base);
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const x = (v: number) => LEFT + (maxX > minX ? ((v - minX) / (maxX - minX)) * plotW : plotW / 2);
  const y = (v: number) => TOP + plotH - (Math.max(0, v) / ticks.max) * plotH;

  let body = '';
  for (const t of ticks.values) {
    body += el('line', { x1: LEFT, y1: y(t), x2: W - RIGHT, y2: y(t), class: 'grid' });
    body += textEl({ x: LEFT - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'tick' }, options.format(t));
  }
  const xt = timeTicks(minX, maxX, 5);
  // As much of the ISO time as tells the ticks apart: the date, the minute, or the second.
  const whole = (unit: number) => xt.length > 1 && xt.every((t) => t % unit === 0);
  const cut = whole(86_400_000) ? 10 : whole(60_000) ? 16 : 19;
  for (const t of xt) {
    const text = isoTime(t).slice(0, cut).replace('T', ' ');
    // Centred under its tick, unless that runs past the chart's edge (a tick near the right end, where
    // a forecast's last date falls): then it ends at the tick.
    const half = (labelEm(text) * FONT) / 2;
    const anchor = x(t) + half > W ? 'end' : x(t) - half < 0 ? 'start' : 'middle';
    body += textEl({ x: x(t), y: H - 12, 'text-anchor': anchor, class: 'tick' }, text);
  }
  body += el('line', { x1: LEFT, y1: TOP + plotH, x2: W - RIGHT, y2: TOP + plotH, class: 'axis' });
  for (const r of refs) {
    body += el('line', { x1: LEFT, y1: y(r.y), x2: W - RIGHT, y2: y(r.y), class: 'ref' });
    // At the left: the measured points start low there, a forecast ends high at the right.
    body += textEl({ x: LEFT + 4, y: y(r.y) - 4, class: 'ref-label' }, `${r.label} ${options.format(r.y)}`);
  }
  for (const s of series) {
    const c = color(s.colorOf);
    const path = s.points.map((p) => `${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ');
    body += el('polyline', { points: path, fill: 'none', stroke: c, 'stroke-width': 2, 'stroke-dasharray': s.dashed ? '6 4' : undefined, class: 'line' });
    if (!s.dashed) {
      for (const p of s.points) {
        body += el('circle', { cx: x(p.x), cy: y(p.y), r: 3, fill: c }, el('title', {}, htmlText(`${s.label} at ${humanTime(p.x)}: ${options.format(p.y)}`)));
      }
    }
  }
  const items: { label: string; color: string; dashed?: boolean }[] = series.filter((s) => !s.dashed).map((s) => ({ label: fitLabel(s.label, LEGEND_EM), color: color(s.colorOf) }));
  if (series.some((s) => s.dashed)) items.push({ label: options.dashedLabel, color: '#555555', dashed: true });
  return svgRoot(W, H + 10 + Math.ceil(items.length / 4) * 18, options.label, body + legendRows(items, H + 14));
}

/** The legend under the plot, four entries a row (pattern names are long). */
function legendRows(items: { label: string; color: string; dashed?: boolean }[], y0: number): string {
  let out = '';
  for (let i = 0; i < items.length; i += 4) out += legend(LEFT, y0 + (i / 4) * 18, items.slice(i, i + 4), 140);
  return out;
}
