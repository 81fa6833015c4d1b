/**
 * redisGlob must select exactly the keys a real server's KEYS selects with the same pattern: random
 * keys and patterns over bytes that matter to the matcher (* ? [ ] ^ - \ and high bytes).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedis } from '../../scripts/lib/redis-server.mjs';
import { redisGlob } from '../../src/patterns/redis-glob.js';
import { requireRedis } from '../support/redis.js';
import { rng } from '../support/records.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const describeRedis = requireRedis();
describeRedis('redisGlob against KEYS on a real server', () => {
  let server: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const rand = rng(42);
  const pick = (alphabet: number[], maxLen: number) => Uint8Array.from({ length: Math.floor(rand() * (maxLen + 1)) }, () => alphabet[Math.floor(rand() * alphabet.length)]!);
  const KEY_BYTES = [...'ab-[]^\\*?z'].map((c) => c.charCodeAt(0)).concat([0x00, 0x7f, 0x80, 0xc3, 0xff]);
  const PATTERN_BYTES = [...'ab-[]^\\*?*?[z'].map((c) => c.charCodeAt(0)).concat([0x80, 0xff]);

  it('selects the keys KEYS selects, for 600 random patterns over 400 keys', async () => {
    const keys = new Map<string, Uint8Array>();
    while (keys.size < 400) {
      const k = pick(KEY_BYTES, 7);
      keys.set(hex(k), k);
    }
    await server.client.pipeline([...keys.values()].map((k) => ['SET', Buffer.from(k), '1']));
    const patterns = [
      ...['*', '**', 'a*', '*a', 'a?b', '[ab]*', '[^a]*', '[a-b]*', '[b-a]*', '\\**', '*\\?', '[', '[a', '[^', 'a[\\]]b', '[\\', '\\', 'a\\', '[a-', '[a-]*', '[]]*', '*[', '?', '??', ''].map((s) => Buffer.from(s, 'latin1')),
      Uint8Array.of(0x5b, 0x61, 0x2d, 0xff, 0x5d, 0x2a), // [a-\xff]*: range ends compared as signed chars
      Uint8Array.of(0x5b, 0x80, 0x2d, 0xff, 0x5d, 0x2a),
    ];
    while (patterns.length < 600) patterns.push(pick(PATTERN_BYTES, 6));
    const replies = (await server.client.pipeline(patterns.map((p) => ['KEYS', Buffer.from(p)]))) as Buffer[][];
    patterns.forEach((p, i) => {
      const want = replies[i]!.map((k) => k.toString('hex')).sort();
      const match = redisGlob(p);
      const got = [...keys].filter(([, k]) => match(k, 0, k.length)).map(([h]) => h).sort();
      expect(got, `pattern ${JSON.stringify(Buffer.from(p).toString('latin1'))}`).toEqual(want);
    });
  });

  it('matches inside a larger buffer (start, length)', () => {
    const m = redisGlob(Buffer.from('us?r:*'));
    const buf = Buffer.from('xxuser:42yy');
    expect(m(buf, 2, 7)).toBe(true);
    expect(m(buf, 1, 7)).toBe(false);
  });
});
