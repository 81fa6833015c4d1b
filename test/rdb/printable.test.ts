/** Printable keys: readable text as-is, binary escaped the way redis-cli does, never ambiguous. */
import { describe, expect, it } from 'vitest';
import { printable } from '../../src/rdb/printable.js';

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
});
