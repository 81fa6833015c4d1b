/** Printable keys: readable text as-is, binary escaped the way redis-cli does, never ambiguous. */
import { describe, expect, it } from 'vitest';
import { escapeBinary, printable } from '../../src/rdb/printable.js';

const p = (...bytes: number[]) => printable(Uint8Array.from(bytes));
const t = (s: string) => printable(new TextEncoder().encode(s));

describe('printable', () => {
  it('keeps plain ASCII and valid UTF-8 text', () => {
    expect(t('user:42:events')).toBe('user:42:events');
    expect(t('clé:ünïcode:鍵')).toBe('clé:ünïcode:鍵');
    expect(t('')).toBe('');
  });

  it('escapes control characters, invalid UTF-8 and quotes like redis-cli', () => {
    expect(p(0x00, 0x61)).toBe('\\x00a');
    expect(p(0xff, 0xfe)).toBe('\\xff\\xfe');
    expect(t('a\nb\tc"d')).toBe('a\\nb\\tc\\"d');
    expect(p(0x1b, 0x5b, 0x33, 0x31, 0x6d)).toBe('\\x1b[31m');
  });

  it('a backslash in the key is escaped, so text "\\x00" and a NUL byte never print alike', () => {
    expect(t('\\x00')).toBe('\\\\x00');
    expect(p(0x00)).toBe('\\x00');
    expect(t('\\x00')).not.toBe(p(0x00));
  });

  it('keeps a leading byte order mark: \\uFEFFuser:1 is another key than user:1', () => {
    expect(t('\uFEFFuser:1')).toBe('\uFEFFuser:1');
    expect(t('\uFEFFuser:1')).not.toBe(t('user:1'));
  });

  it('past maxBytes, prints the first bytes and how many follow (a 512 MB key would pass V8\'s longest string)', () => {
    expect(printable(Uint8Array.from([0x61, 0x62, 0x63, 0x64, 0x65, 0x66]), 4)).toBe('abcd...(+2 bytes)');
    expect(printable(Uint8Array.from([0xff, 0x00, 0xfe, 0x01, 0x02]), 2)).toBe('\\xff\\x00...(+3 bytes)');
    expect(printable(Uint8Array.from([0x61, 0x62]), 2)).toBe('ab');
  });

  it('escapes every byte value as sdscatrepr does, at any length', () => {
    const all = Uint8Array.from({ length: 256 }, (_, b) => b);
    const esc = escapeBinary(all);
    expect(esc.startsWith('\\x00\\x01')).toBe(true);
    expect(esc).toContain('\\a\\b\\t\\n\\x0b\\x0c\\r');
    expect(esc).toContain(' !\\"#');
    expect(esc).toContain('[\\\\]');
    expect(esc.endsWith('\\xfe\\xff')).toBe(true);
    // Long inputs (past the reused scratch buffer) give the same text repeated.
    const long = new Uint8Array(256 * 5000).map((_, i) => i & 255);
    expect(escapeBinary(long)).toBe(esc.repeat(5000));
  });
});
