/**
 * Makes text safe to print on a terminal: C0/C1 control characters (ESC starts every terminal escape
 * sequence), DEL and Unicode bidi/format overrides are shown as escapes instead of being interpreted.
 * Printable keys already escape non-UTF-8 bytes; this covers control characters that are valid UTF-8.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const named = NAMED[ch];
    if (named) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
