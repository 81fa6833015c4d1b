import { htmlText } from './escape.js';

/** Attribute values of an SVG element: numbers are coordinates (rounded to 0.1 px), strings escaped. */
export type Attrs = Record<string, string | number | undefined>;

/** One SVG (or HTML) element as markup; `children` is markup already made safe by these helpers. */
export function el(name: string, attrs: Attrs, children = ''): string {
  let open = `<${name}`;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    open += ` ${k}="${typeof v === 'number' ? round(v) : htmlText(v)}"`;
  }
  return children === '' && name !== 'text' && name !== 'title' ? `${open}/>` : `${open}>${children}</${name}>`;
}

/** A text element holding `text` as text (escaped), with the full text as a tooltip when it was clipped. */
export function textEl(attrs: Attrs, text: string, full?: string): string {
  return el('text', attrs, (full !== undefined && full !== text ? el('title', {}, htmlText(full)) : '') + htmlText(text));
}

export function round(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** A chart's outer <svg>: scales to the page width, keeps its aspect; `label` names it for screen readers. */
export function svgRoot(width: number, height: number, label: string, body: string): string {
  return el('svg', { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${round(width)} ${round(height)}`, role: 'img', 'aria-label': label, class: 'chart-svg' }, body);
}

/** Okabe & Ito's colour-blind-safe palette (Color Universal Design, 2002), darkest first. */
export const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#999933', '#000000'] as const;

export function color(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

/** A row of legend swatches and names starting at (x, y); `step`: a fixed width per entry, else each its own. */
export function legend(x: number, y: number, items: { label: string; color: string; dashed?: boolean }[], step?: number): string {
  let out = '';
  let at = x;
  for (const item of items) {
    out += item.dashed
      ? el('line', { x1: at, y1: y - 4, x2: at + 14, y2: y - 4, stroke: item.color, 'stroke-width': 2, 'stroke-dasharray': '4 3' })
      : el('rect', { x: at, y: y - 10, width: 12, height: 12, fill: item.color, rx: 2 });
    out += textEl({ x: at + 18, y, class: 'legend' }, item.label);
    at += step ?? 30 + item.label.length * 7;
  }
  return out;
}
