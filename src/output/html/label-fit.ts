import { terminalSafe } from '../terminal-safe.js';

/**
 * Chart labels are clipped by how wide they are drawn, not by how many characters they hold: a label
 * is drawn right-aligned against its bar, so one wider than its room ran off the chart's left edge and
 * lost its start, the part that names it (27 upper-case letters, escapes or Japanese characters are
 * 230-330 px where the room is 200). The page cannot measure text before it is shown (it runs no
 * script for drawing), so widths are estimated per character, on the wide side: the advance widths of
 * DejaVu Sans at 1 em (Debian's default sans-serif, wider than the system fonts of macOS and Windows).
 */

/** East Asian Wide and Fullwidth ranges (Unicode UAX #11) and the emoji planes: drawn about 1 em wide. */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf],
  [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f000, 0x1faff],
  [0x20000, 0x3fffd],
];

/** Width in em of one character at the chart's font (DejaVu Sans advance widths, rounded up). */
function emWidth(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (WIDE.some(([lo, hi]) => cp >= lo && cp <= hi)) return 1.1;
  if ('MWmw@%'.includes(ch)) return 1;
  if (/[A-Z<>=+~#&]/.test(ch)) return 0.85;
  if (" ijlt.,:;|!'`()[]{}/\\-".includes(ch)) return 0.4;
  return 0.65;
}

/** How wide `text` is drawn, in em (the estimate fitLabel cuts by). */
export function labelEm(text: string): number {
  return Array.from(text).reduce((sum, ch) => sum + emWidth(ch), 0);
}

/** Share of a cut label's room kept for its end (after the `…`). */
const TAIL_SHARE = 0.35;

/**
 * `text` as a chart shows it (control characters and bidi marks as their escapes, terminalSafe) cut to
 * at most `em` em wide, with `…` in the middle when cut: a key or pattern is named by its start and
 * told from its neighbours by its end as often (`user:*:cart`, `user:*:orders`; `… · hash` after a
 * long pattern), and a cut at the end made every long label of a family read the same.
 */
export function fitLabel(text: string, em: number): string {
  const shown = Array.from(terminalSafe(text));
  const widths = shown.map(emWidth);
  if (widths.reduce((a, b) => a + b, 0) <= em) return shown.join('');
  // Room for the ellipsis (about 1 em), then the end's share, then the start takes what is left.
  const room = em - 1;
  let tailUsed = 0;
  let tail = shown.length;
  while (tail > 0 && tailUsed + widths[tail - 1]! <= room * TAIL_SHARE) tailUsed += widths[--tail]!;
  let used = 0;
  let head = 0;
  while (head < tail && used + widths[head]! <= room - tailUsed) used += widths[head++]!;
  return shown.slice(0, head).join('') + '…' + shown.slice(tail).join('');
}
