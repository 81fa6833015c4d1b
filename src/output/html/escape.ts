import { terminalSafe } from '../terminal-safe.js';

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for an HTML text node or a quoted attribute value (HTML Living Standard §13.1.2.6: `&` starts a
 * character reference, `<` a tag; `"` and `'` end attribute values). Control characters, bidi
 * overrides and U+2028/2029 are first shown as visible escapes (terminalSafe), so a key holding them
 * reads as what it holds and cannot reorder the text around it.
 */
export function htmlText(text: string): string {
  return terminalSafe(text).replace(/[&<>"']/g, (ch) => ENTITY[ch]!);
}

/** The first `max` code points of `text`, with `…` when cut: a cell never carries a whole huge key. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  // A code point takes at most two UTF-16 units: the head read here holds the first `max` of them.
  const points = Array.from(text.slice(0, 2 * max));
  return points.length <= max && text.length <= 2 * max ? text : points.slice(0, max - 1).join('') + '…';
}
