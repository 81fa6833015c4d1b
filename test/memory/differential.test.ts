/**
 * Differential test against a real redis-server (Debian's 7.0.15 here; any $REDIS_SERVER works):
 * write seeded data of every type/encoding with elements from tiny to large, let the server reload
 * its own dump (DEBUG RELOAD), read OBJECT ENCODING and MEMORY USAGE SAMPLES 0 of every key, then
 * SAVE, parse the dump and compare with the model for that server's version and jemalloc quantum.
 * Thresholds: encoding 100 % equal; memory within 10 % for ≥ 95 % of the keys of every
 * type/encoding pair; total within 2 %.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RespArg } from '../../scripts/lib/resp.mjs';
import { collectTruth, writeRandomDataset } from '../../scripts/lib/dataset.mjs';
import { startRedis, type RunningRedis } from '../../scripts/lib/redis-server.mjs';
import type { KeyRecord } from '../../src/core/record.js';
import { openInput } from '../../src/input/open-input.js';
import { estimateMemory, parseProfile, type ServerProfile } from '../../src/memory/index.js';
import { parseRdb } from '../../src/rdb/index.js';
import { requireRedis } from '../support/redis.js';
import { rng } from '../../scripts/lib/fuzz-engine.mjs';
import { g17ScoreText } from '../../src/rdb/double-text.js';

const describeRedis = requireRedis();

/** Keys chosen to sit on every encoding boundary of §9.5 and to exercise each formula. */
function boundaryCommands(): RespArg[][] {
  const cmds: RespArg[][] = [];
  const x = (n: number, c = 'x') => c.repeat(n);
  for (const n of [0, 1, 20, 31, 32, 44, 45, 100, 255, 256, 1000, 5000, 20000, 70000]) cmds.push(['SET', `str:${n}`, x(n)]);
  for (const v of ['0', '-1', '9999', '10000', '123456789012', '-9223372036854775808', '9223372036854775807', '9223372036854775808', '007'])
    cmds.push(['SET', `int:${v}`, v]);
  cmds.push(['SET', x(200, 'k'), 'long key'], ['SET', 'ttl:str', 'v', 'PX', '86400000']);
  // lists: one small node, several nodes, big elements (PLAIN needs DEBUG QUICKLIST-PACKED-THRESHOLD)
  cmds.push(['RPUSH', 'list:tiny', 'a', 'b', 'c']);
  cmds.push(['RPUSH', 'list:nodes', ...Array.from({ length: 3000 }, (_, i) => `item-${i}`)]);
  cmds.push(['RPUSH', 'list:big', x(9000), x(10), x(20000)]);
  // sets: intset widths, intset limit, listpack (7.2+) vs hash table, long members
  cmds.push(['SADD', 'set:int16', '1', '2', '3'], ['SADD', 'set:int64', '1', '9223372036854775807']);
  cmds.push(['SADD', 'set:int512', ...Array.from({ length: 512 }, (_, i) => String(i * 7))]);
  cmds.push(['SADD', 'set:int513', ...Array.from({ length: 513 }, (_, i) => String(i * 7))]);
  cmds.push(['SADD', 'set:str10', ...Array.from({ length: 10 }, (_, i) => `m${i}`)]);
  cmds.push(['SADD', 'set:str600', ...Array.from({ length: 600 }, (_, i) => `member:${i}`)]);
  cmds.push(['SADD', 'set:long', 'a', x(100)]);
  // zsets: listpack at 128, skiplist at 129 and with a long member
  cmds.push(['ZADD', 'zset:128', ...Array.from({ length: 128 }, (_, i) => [String(i + 0.5), `p${i}`]).flat()]);
  cmds.push(['ZADD', 'zset:129', ...Array.from({ length: 129 }, (_, i) => [String(i), `p${i}`]).flat()]);
  cmds.push(['ZADD', 'zset:long', '1', 'a', '2', x(65)]);
  cmds.push(['ZADD', 'zset:1000', ...Array.from({ length: 1000 }, (_, i) => [String(i * 1.25), `player:${i}`]).flat()]);
  // hashes: listpack at 512, table at 513, long values early and late (dict growth paths)
  const fields = (n: number) => Array.from({ length: n }, (_, i) => [`f${i}`, `v${i}`]).flat();
  cmds.push(['HSET', 'hash:512', ...fields(512)], ['HSET', 'hash:513', ...fields(513)], ['HSET', 'hash:2000', ...fields(2000)]);
  cmds.push(['HSET', 'hash:long0', 'f', x(65), ...fields(100)]);
  cmds.push(['HSET', 'hash:long50', ...fields(50), 'z', x(65), ...fields(300).map((s) => `${s}b`)]);
  cmds.push(['HSET', 'hash:longfield', x(70), 'v']);
  // streams: nodes, groups, consumers, pending entries
  for (let i = 0; i < 250; i++) cmds.push(['XADD', 'stream:big', `${1_700_000_000_000 + i * 997}-${i % 3}`, 'f', `v${i}`, 'n', String(i)]);
  cmds.push(['XGROUP', 'CREATE', 'stream:big', 'g1', '0'], ['XGROUP', 'CREATE', 'stream:big', 'g2', '$']);
  cmds.push(['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '40', 'STREAMS', 'stream:big', '>']);
  cmds.push(['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', '7', 'STREAMS', 'stream:big', '>']);
  cmds.push(['XGROUP', 'CREATECONSUMER', 'stream:big', 'g2', 'idle-consumer']);
  cmds.push(['XADD', 'stream:one', '*', 'k', 'v']);
  return cmds;
}

describeRedis('memory model vs. a live redis-server', () => {
  let redis: RunningRedis;
  let profile: ServerProfile;
  let truth: Awaited<ReturnType<typeof collectTruth>>;
  let recs: KeyRecord[];

  beforeAll(async () => {
    redis = await startRedis();
    const c = redis.client;
    const info = String(await c.call('INFO', 'server'));
    const [maj, min] = /redis_version:(\d+)\.(\d+)/.exec(info)!.slice(1).map(Number);
    const quantum = /Quantum size: 16/.test(String(await c.call('MEMORY', 'MALLOC-STATS'))) ? 16 : 8;
    profile = parseProfile(`redis-${maj}.${min}${quantum === 16 ? '-q16' : ''}`);
    await writeRandomDataset(c, { seed: 7001, keys: 1500, dbs: [0, 1] });
    await c.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '8000');
    await c.pipeline(boundaryCommands());
    await c.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1073741824');
    // every figure must be the loaded state, not the live one (§9.4: preallocated stream nodes,
    // dicts caught mid-rehash)
    await c.call('DEBUG', 'RELOAD');
    truth = await collectTruth(c);
    const dump = await redis.save();
    const input = await openInput(dump);
    recs = [];
    for await (const rec of parseRdb(input.chunks, { fileName: dump })) recs.push(rec);
  }, 300_000);

  afterAll(async () => {
    await redis?.stop();
  });

  it('predicts OBJECT ENCODING and MEMORY USAGE of every key', () => {
    expect(recs.length).toBe(truth.length);
    const byKey = new Map(truth.map((t) => [`${t.db}:${t.keyHex}`, t]));
    const pairs = new Map<string, { n: number; same: number; within10: number; bad: string[] }>();
    const wrongEncoding: string[] = [];
    let predicted = 0;
    let actual = 0;
    for (const rec of recs) {
      const t = byKey.get(`${rec.db}:${Buffer.from(rec.key).toString('hex')}`)!;
      expect(t, rec.keyPrintable).toBeDefined();
      const est = estimateMemory(rec, profile);
      if (est.encoding !== t.encoding) wrongEncoding.push(`${rec.keyPrintable}: ${est.encoding} ≠ ${t.encoding}`);
      const pair = `${t.type}/${t.encoding}`;
      const p = pairs.get(pair) ?? { n: 0, same: 0, within10: 0, bad: [] };
      p.n++;
      if (est.bytes === t.memoryUsage) p.same++;
      if (Math.abs(est.bytes - t.memoryUsage) <= 0.1 * t.memoryUsage) p.within10++;
      else p.bad.push(`${rec.keyPrintable.slice(0, 40)} (${rec.rdbType}, ${rec.elements} el.): ${est.bytes} vs ${t.memoryUsage}`);
      pairs.set(pair, p);
      predicted += est.bytes;
      actual += t.memoryUsage;
    }
    console.log(
      `${profile.id}: total ${predicted} vs ${actual}\n  ` +
        [...pairs].map(([k, p]) => `${k}: ${p.n} keys, ${p.same} exact, ${p.within10} within 10%${p.bad.length ? `; e.g. ${p.bad[0]}` : ''}`).join('\n  '),
    );
    expect(wrongEncoding).toEqual([]);
    for (const [k, p] of pairs) expect(p.within10 / p.n, `${k}: ${p.bad.slice(0, 3).join('; ')}`).toBeGreaterThanOrEqual(0.95);
    expect(Math.abs(predicted - actual) / actual).toBeLessThanOrEqual(0.02);
  });
});

/**
 * Skiplist zsets written by a server with a low zset-max-listpack-entries and loaded by one with the
 * default: the loader rebuilds them as listpacks and prints every score as text (§9.5), in its own
 * format (double-text.ts). The prediction must be exact: the listpack's size is all there is to it.
 */
describeRedis('skiplist zsets that become listpacks on load', () => {
  it('sizes the listpack with the scores as the loading server prints them', async () => {
    const redis = await startRedis({ extraArgs: ['--zset-max-listpack-entries', '2'] });
    try {
      const c = redis.client;
      const info = String(await c.call('INFO', 'server'));
      const [maj, min] = /redis_version:(\d+)\.(\d+)/.exec(info)!.slice(1).map(Number);
      const quantum = /Quantum size: 16/.test(String(await c.call('MEMORY', 'MALLOC-STATS'))) ? 16 : 8;
      const profile = parseProfile(`redis-${maj}.${min}${quantum === 16 ? '-q16' : ''}`);
      const exotic = ['0.1', '-0.75', '1e-5', '1.5e-7', '1e21', '123456789.125', '9007199254740994', '4503599627370497', '1e16', '-0', '3.0000000000000004', '99999999999999999', '0.30000000000000004', '5e-324', '1.7976931348623157e308'];
      const rand = rng(2024);
      const cmds: RespArg[][] = [];
      for (let z = 0; z < 60; z++) {
        const n = 3 + Math.floor(rand() * 120);
        const args: string[] = [];
        for (let i = 0; i < n; i++) {
          const kind = z === 0 ? 3 : Math.floor(rand() * 4);
          const score = kind === 0 ? String(Math.floor(rand() * 1e6)) : kind === 1 ? String(rand() * 1000) : kind === 2 ? (rand() * 1e-3).toExponential(Math.floor(rand() * 17)) : exotic[i % exotic.length]!;
          args.push(score, `m${i}`);
        }
        cmds.push(['ZADD', `zs:${z}`, ...args]);
      }
      await c.pipeline(cmds);
      await c.call('CONFIG', 'SET', 'zset-max-listpack-entries', '128');
      // DEBUG RELOAD saves the skiplists, then loads that file: the dump to parse is on disk now
      await c.call('DEBUG', 'RELOAD');
      const dump = path.join(redis.dir, 'dump.rdb');
      const recs: KeyRecord[] = [];
      for await (const rec of parseRdb((await openInput(dump)).chunks, { fileName: dump })) recs.push(rec);
      const truth = await collectTruth(c);
      const byKey = new Map(truth.map((t) => [t.keyHex, t]));
      expect(recs.length).toBe(60);
      const wrong: string[] = [];
      for (const rec of recs) {
        const t = byKey.get(Buffer.from(rec.key).toString('hex'))!;
        expect(rec.rdbType).toBe('zset2');
        expect(t.encoding).toBe('listpack');
        const est = estimateMemory(rec, profile);
        if (est.encoding !== t.encoding || est.bytes !== t.memoryUsage) wrong.push(`${rec.keyPrintable} (${rec.elements}): ${est.encoding} ${est.bytes} vs ${t.memoryUsage}`);
      }
      expect(wrong, profile.id).toEqual([]);
    } finally {
      await redis.stop();
    }
  }, 60_000);
});

describe('Redis <= 7.0 score text (%.17g)', () => {
  it('prints as C printf does', () => {
    const cases: [number, string][] = [
      [0.1, '0.10000000000000001'], [-0.75, '-0.75'], [1e-5, '1.0000000000000001e-05'], [1e21, '1e+21'],
      [123456789.125, '123456789.125'], [9007199254740994, '9007199254740994'], [1e16, '10000000000000000'],
      [1e17, '1e+17'], [99999999999999999, '1e+17'], [0.0001, '0.0001'], [0.00001234, '1.234e-05'], [5e-324, '4.9406564584124654e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'], [-0, '-0'], [3, '3'], [NaN, 'nan'], [-Infinity, '-inf'],
    ];
    for (const [v, text] of cases) expect(g17ScoreText(v), String(v)).toBe(text);
  });
});
