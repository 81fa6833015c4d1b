/**
 * Differential test against a live redis-server: write a seeded random dataset of every type and
 * size, SAVE, parse the dump, and compare every key with the server's own answers (TYPE, STRLEN /
 * LLEN / SCARD / ZCARD / HLEN / XLEN, PEXPIRETIME, XINFO). Expected: 100 % agreement.
 *
 * RDBSCOPE_DIFF_SEED=<n> replays another dataset; RDBSCOPE_DIFF_KEYS=<n> changes its size.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectTruth, writeRandomDataset } from '../scripts/lib/dataset.mjs';
import { startRedis, type RunningRedis } from '../scripts/lib/redis-server.mjs';
import { parseDump, recordId, type ParsedDump } from './support/corpus.js';
import { compareKeys, compareStream, firstProblems, truthStream, truthToExpected } from './support/oracle.js';
import { requireRedis } from './support/redis.js';
import type { KeyTruth } from '../scripts/lib/dataset.mjs';

const SEED = Number(process.env.RDBSCOPE_DIFF_SEED ?? 20_240_701);
const KEYS = Number(process.env.RDBSCOPE_DIFF_KEYS ?? 3000);
const DBS = [0, 1, 2, 7, 15];

const describeRedis = requireRedis();

/**
 * One server configuration: Redis' own defaults, then one with every list squeezed (LZF-compressed
 * inner nodes, PLAIN nodes over 2 000 bytes, tiny listpacks so aggregates become hash tables and
 * skiplists early) and without LZF for strings.
 */
const VARIANTS: { name: string; args: string[]; setup: string[][] }[] = [
  { name: 'defaults', args: [], setup: [] },
  {
    name: 'compressed lists, plain nodes, small listpacks, rdbcompression no',
    args: ['--list-compress-depth', '1', '--list-max-listpack-size', '16', '--hash-max-listpack-entries', '16',
      '--zset-max-listpack-entries', '16', '--set-max-intset-entries', '16', '--rdbcompression', 'no'],
    setup: [['DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '2000']],
  },
];

for (const [index, variant] of VARIANTS.entries()) {
  describeRedis(`differential vs redis-server (${variant.name}; seed ${SEED + index}, ${KEYS} keys)`, () => {
    let server: RunningRedis;
    let truth: KeyTruth[];
    let parsed: ParsedDump;
    let dbsizes: number;

    beforeAll(async () => {
      server = await startRedis({ extraArgs: variant.args });
      for (const cmd of variant.setup) await server.client.call(...cmd);
      await writeRandomDataset(server.client, { seed: SEED + index, keys: KEYS, dbs: DBS });
      const dump = await server.save();
      parsed = await parseDump(dump);
      truth = await collectTruth(server.client);
      dbsizes = 0;
      for (const db of DBS) {
        await server.client.call('SELECT', db);
        dbsizes += Number(await server.client.call('DBSIZE'));
      }
    }, 600_000);

    afterAll(async () => {
      await server?.stop();
    });

    it('parses the dump to the end with a valid checksum', () => {
      expect(parsed.error?.message ?? null).toBeNull();
      expect(parsed.info.complete).toBe(true);
      expect(parsed.info.checksum.status).toBe('ok');
    });

    it('finds exactly the keys the server has (DBSIZE)', () => {
      expect(truth.length).toBe(dbsizes);
      expect(parsed.records.length).toBe(dbsizes);
      expect(parsed.info.keys).toBe(dbsizes);
    });

    it('agrees on every key: db, key bytes, type, element count, expireAtMs', () => {
      expect(firstProblems(compareKeys(truthToExpected(truth), parsed.records))).toEqual([]);
    });

    it('agrees with XINFO on every stream', () => {
      const byId = new Map(parsed.records.map((r) => [recordId(r), r]));
      const problems: string[] = [];
      for (const k of truth) {
        const rec = byId.get(`${k.db}:${k.keyHex}`);
        if (k.stream && rec) problems.push(...compareStream(`db=${k.db} key=${Buffer.from(k.keyHex, 'hex').toString()}`, rec, truthStream(k.stream)));
      }
      expect(firstProblems(problems)).toEqual([]);
    });

    it('covers what it claims to (guards the dataset, not the parser)', () => {
      const encodings = new Set(truth.map((k) => `${k.type}/${k.encoding}`));
      for (const e of ['string/int', 'string/embstr', 'string/raw', 'list/quicklist', 'set/intset', 'set/hashtable',
        'zset/listpack', 'zset/skiplist', 'hash/listpack', 'hash/hashtable', 'stream/stream']) expect(encodings).toContain(e);
      expect(truth.filter((k) => k.expireAtMs !== null).length).toBeGreaterThan(KEYS / 10);
      expect(new Set(truth.map((k) => k.db)).size).toBe(DBS.length);
    });
  });
}
