import { describe, expect, it } from 'vitest';
import { DEFAULT_PATTERN_OPTIONS, keyPattern } from '../../src/patterns/index.js';
import { PatternInterner } from '../../src/patterns/pattern-interner.js';
import { printable } from '../../src/rdb/printable.js';
import { rng } from '../support/records.js';

const enc = new TextEncoder();

/** Random keys built from the segment shapes the rules tell apart, joined by separators and noise. */
function randomKey(next: () => number): Uint8Array {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const run = (alphabet: string, min: number, max: number) => {
    let s = '';
    for (let n = min + Math.floor(next() * (max - min + 1)); n > 0; n--) s += alphabet[Math.floor(next() * alphabet.length)];
    return s;
  };
  const segment = (): string =>
    pick([
      () => run('0123456789', 1, 14),
      () => run('0123456789abcdef', 4, 40),
      () => run('0123456789ABCDEF', 4, 40),
      () => run('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 3, 30),
      () => run('abc', 10, 20) + run('0123456789', 0, 3),
      () => pick(['user', 'session', 'cache', 'deadbeef', 'Abcdefghijkl', 'userprofilecache', '*', '', 'v2']),
      () => run('abcdefghijklmnopqrstuvwxyz', 1, 8) + run('0123456789', 1, 8),
      () => run(' !"#$%&\'()*+,;<=>?[]^`{}~éx\\\u0001@', 1, 6),
      () => `${run('0123456789', 1, 4)}.${run('0123456789', 1, 4)}`,
      () => `${run('0123456789abcdef', 8, 8)}-${run('0123456789abcdef', 4, 4)}-4${run('0123456789abcdef', 3, 3)}-a${run('0123456789abcdef', 3, 3)}-${run('0123456789abcdef', 12, 12)}`,
      () => `2024-${run('01', 2, 2)}-${run('0123', 2, 2)}`,
    ])();
  let key = segment();
  for (let n = Math.floor(next() * 5); n > 0; n--) key += pick([':', '/', '.', '|', '-', '_', ':', ':', '']) + segment();
  return enc.encode(key);
}

describe('PatternInterner', () => {
  it('agrees with keyPattern on the printable key for 200 000 random keys, and takes the byte path for many', () => {
    const next = rng(5005);
    const interner = new PatternInterner(DEFAULT_PATTERN_OPTIONS);
    let plain = 0;
    for (let i = 0; i < 200_000; i++) {
      const key = randomKey(next);
      const want = keyPattern(printable(key));
      const fast = interner.plainPattern(key);
      // The same key inside a larger buffer (how the writer passes keys) gives the same answer.
      const framed = new Uint8Array(key.length + 6).fill(0x61);
      framed.set(key, 3);
      expect(interner.plainPattern(framed, 3, 3 + key.length)).toBe(fast);
      if (fast !== null) {
        plain++;
        if (fast !== want) expect({ key: printable(key), got: fast }).toEqual({ key: printable(key), got: want });
      }
    }
    expect(plain).toBeGreaterThan(50_000); // the rest hold noise, UTF-8 or compound tokens
  });

  it('takes the byte path for ordinary keys and leaves binary, escaped and compound-token keys to keyPattern', () => {
    const interner = new PatternInterner(DEFAULT_PATTERN_OPTIONS);
    expect(interner.plainPattern(enc.encode('key:123'))).toBe('key:*');
    expect(interner.plainPattern(enc.encode('user:42:events'))).toBe('user:*:events');
    expect(interner.plainPattern(enc.encode('tok:aZ3kQ9xLp2Rt7Vw'))).toBe('tok:*');
    expect(interner.plainPattern(enc.encode('item12345:price'))).toBe('item*:price');
    expect(interner.plainPattern(enc.encode('user-42-profile'))).toBe('user-*-profile'); // no '-' between two hex digits
    expect(interner.plainPattern(enc.encode('day:2024-01-15'))).toBeNull(); // maybe a date: keyPattern decides
    expect(interner.plainPattern(enc.encode('cache.page.home'))).toBe('cache.page.home');
    // UUIDs are replaced on the byte path too, where compound-tokens.ts would replace them.
    for (const key of ['session:550e8400-e29b-41d4-a716-446655440000', 'order|550E8400-E29B-41D4-A716-446655440000|items',
      '550e8400-e29b-41d4-a716-446655440000', 'a_550e8400-e29b-41d4-a716-446655440000_b', '=550e8400-e29b-41d4-a716-446655440000=']) {
      expect(interner.plainPattern(enc.encode(key)), key).toBe(keyPattern(key));
    }
    expect(interner.plainPattern(enc.encode('s:550e8400-e29b-41d4-a716-446655440000'))).toBe('s:*');
    // Glued to an alphanumeric, or two in a row: keyPattern decides.
    expect(interner.plainPattern(enc.encode('x550e8400-e29b-41d4-a716-446655440000'))).toBeNull();
    expect(interner.plainPattern(enc.encode('550e8400-e29b-41d4-a716-446655440000-550e8400-e29b-41d4-a716-446655440000'))).toBeNull();
    expect(interner.plainPattern(enc.encode('mail:a@b.com'))).toBeNull();
    expect(interner.plainPattern(enc.encode('k\\x00'))).toBeNull();
    expect(interner.plainPattern(Uint8Array.of(0x6b, 0x00))).toBeNull();
    expect(interner.plainPattern(enc.encode('é:1'))).toBeNull();
    expect(interner.plainPattern(enc.encode('x'.repeat(300)))).toBeNull(); // cut to MAX_PATTERN_INPUT by keyPattern
  });

  it('follows the separators of its options, and leaves fixed-depth mode to keyPattern', () => {
    const slashOnly = new PatternInterner({ separators: '/', depth: null });
    expect(slashOnly.plainPattern(enc.encode('a:1/b/22'))).toBe(keyPattern('a:1/b/22', { separators: '/', depth: null }));
    expect(slashOnly.plainPattern(enc.encode('a:1/b/22'))).toBe('a:1/b/*');
    expect(new PatternInterner({ separators: ':', depth: 1 }).plainPattern(enc.encode('a:1'))).toBeNull();
  });

  it('stays correct past its table limit (starts afresh)', () => {
    const interner = new PatternInterner(DEFAULT_PATTERN_OPTIONS);
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < 70_000; i++) {
        const key = `family${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26).toString(36).replace(/\d/g, 'q')}:${i}`;
        expect(interner.plainPattern(enc.encode(key))).toBe(keyPattern(key));
      }
  });
});
