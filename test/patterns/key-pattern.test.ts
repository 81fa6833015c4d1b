import { describe, expect, it } from 'vitest';
import { fixedDepthPattern, keyPattern, isRandomToken } from '../../src/patterns/index.js';
import { isBinaryId } from '../../src/patterns/variable-segment.js';
import { printable } from '../../src/rdb/printable.js';
import { rng } from '../support/records.js';

const fixed = (depth: number, separators = ':') => ({ separators, depth });

describe('keyPattern (inferred)', () => {
  it.each([
    ['user:42:events', 'user:*:events'],
    ['user:7:events', 'user:*:events'],
    ['user:7', 'user:*'],
    ['plain', 'plain'],
    ['', ''],
    ['cache/page/1234/html', 'cache/page/*/html'],
    ['a.b.c', 'a.b.c'],
    ['session:550e8400-e29b-41d4-a716-446655440000', 'session:*'],
    ['order|550E8400-E29B-41D4-A716-446655440000|items', 'order|*|items'],
    ['obj:5f1d7a3b9c2e', 'obj:*'],
    ['obj:DEADBEEF01', 'obj:*'],
    ['tok:aZ3kQ9xLp2Rt7Vw', 'tok:*'],
    ['tok:Kx9vTq2LmZ8pWr4YbN6c', 'tok:*'],
    ['stats:2024-01-15:views', 'stats:*:views'],
    ['stats:2024-01-15T10:30:00Z:views', 'stats:*:views'],
    ['log_2024-01-15', 'log_*'],
    ['ts:1700000000000', 'ts:*'],
    ['peer:10.0.0.12:6379:lag', 'peer:*:lag'],
    ['mail:alice@example.com:inbox', 'mail:*:inbox'],
    ['item12345:price', 'item*:price'],
    ['v2:cfg', 'v2:cfg'],
    ['user-42-profile', 'user-*-profile'],
    ['user_42_profile', 'user_*_profile'],
    ['a::b', 'a::b'],
    [':lead', ':lead'],
    ['trail:', 'trail:'],
    ['ratelimit:api:3.14', 'ratelimit:api:*.*'],
  ])('%j → %j', (key, want) => {
    expect(keyPattern(key)).toBe(want);
  });

  it('keeps ordinary words, even long ones', () => {
    expect(keyPattern('userprofilecache:settings')).toBe('userprofilecache:settings');
    expect(keyPattern('notifications:unread')).toBe('notifications:unread');
    expect(keyPattern('ab:facade')).toBe('ab:facade'); // hex letters only, too short anyway
    expect(keyPattern('x:cafebabedeadbeef')).toBe('x:cafebabedeadbeef'); // hex without a digit stays
  });

  it('uses only the configured separators', () => {
    expect(keyPattern('user:42/7', { separators: ':', depth: null })).toBe('user:42/7');
    expect(keyPattern('user:42/7', { separators: ':/', depth: null })).toBe('user:*/*');
  });

  it('bounds the pattern length for huge keys', () => {
    const p = keyPattern('blob:' + 'x'.repeat(100_000));
    expect(p.length).toBeLessThanOrEqual(257);
    expect(p.endsWith('*')).toBe(true);
  });

  it('escaped binary keys still fold', () => {
    expect(keyPattern('bin:\\xff\\x00:42')).toBe('bin:\\xff\\x00:*');
  });

  it('a binary id of 4 bytes or more is variable: a family of raw ids is one pattern, not one per key', () => {
    // What printable() makes of `sess:` + 8 raw bytes (an int64), and of 16 (a UUID's bytes).
    const key = (id: number[]) => printable(Buffer.concat([Buffer.from('sess:'), Buffer.from(id), Buffer.from(':data')]));
    const ids = [[0, 0, 0, 0, 0, 1, 0x8c, 0x1f], [0, 0, 0, 0, 0, 2, 0x41, 0x07], [0x9f, 0x12, 0x7e, 0xc3, 0x28, 0x0a, 0x0d, 0x22, 0x5c, 0x99, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06]];
    // Bytes that are separators (: - . / _ |) inside the id split it, but it stays one variable.
    ids.push([0x9f, 0x3a, 0x12, 0x7e, 0x2d, 0xc3, 0x2e, 0x0a], [0x01, 0x02, 0x5f, 0x41, 0x42, 0x7c, 0xfe, 0xff]);
    for (const id of ids) expect(keyPattern(key(id)), key(id)).toBe('sess:*:data');
    // Random 16-byte ids: all but those starting or ending with printable bytes cut off by a
    // separator fold (94% here; each piece of the id was a fixed word, a pattern per key in a third).
    const next = rng(77);
    const random = Array.from({ length: 2000 }, () => keyPattern(key(Array.from({ length: 16 }, () => Math.floor(next() * 256)))));
    expect(random.filter((p) => p === 'sess:*:data').length).toBeGreaterThan(0.9 * random.length);
    expect(isBinaryId('\\x00\\x01AB')).toBe(true);
    expect(isBinaryId('\\x00AB')).toBe(false); // 3 bytes: a tag, kept as a short word is
    expect(isBinaryId('\\\\back')).toBe(false); // a backslash and 'back': printable bytes only
    expect(isBinaryId('ab\\"cd')).toBe(false);
    expect(keyPattern('tag:\\x01:42')).toBe('tag:\\x01:*');
  });
});

describe('keyPattern (fixed depth)', () => {
  it.each([
    ['user:42:events', 1, 'user:*'],
    ['user:42:events', 2, 'user:42:*'],
    ['user:42:events', 3, 'user:42:events'],
    ['user', 1, 'user'],
  ])('%j depth %d → %j', (key, depth, want) => {
    expect(keyPattern(key, fixed(depth))).toBe(want);
  });
  it('splits on the first separator given', () => {
    expect(keyPattern('a/b/c', fixed(1, '/'))).toBe('a/*');
  });
  it('is the first `depth` segments of a split on the separator, then `*`, for any key and depth', () => {
    // The rule stated as a split (what the report documents), against the scanning implementation.
    const bySplit = (key: string, depth: number, sep: string) => {
      const parts = key.split(sep);
      return parts.length <= depth ? key : [...parts.slice(0, depth), '*'].join(sep);
    };
    const rand = rng(7);
    const alphabet = ['a', 'b', ':', ':', '/', '.', 'é', '\u{1F600}', ''];
    for (let i = 0; i < 20_000; i++) {
      let key = '';
      for (let n = Math.floor(rand() * 12); n > 0; n--) key += alphabet[Math.floor(rand() * alphabet.length)];
      const depth = Math.floor(rand() * 5);
      for (const sep of [':', '/']) expect(fixedDepthPattern(key, fixed(depth, sep)), `${JSON.stringify(key)} ${depth} ${sep}`).toBe(bySplit(key, depth, sep));
    }
  });
});

describe('isRandomToken', () => {
  it('needs length, a letter/digit or case mix, and entropy', () => {
    expect(isRandomToken('aZ3kQ9xLp2Rt')).toBe(true);
    expect(isRandomToken('aaaaaaaaaaa1')).toBe(false);
    expect(isRandomToken('abcdefghijkl')).toBe(false);
    expect(isRandomToken('aZ3kQ9')).toBe(false);
  });
});
