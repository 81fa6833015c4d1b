/**
 * The model against what real servers answered (shared/corpus/modern: OBJECT ENCODING and MEMORY
 * USAGE SAMPLES 0 of every key, read after the same release — an official build, quantum 8 — loaded
 * the dump). Per dump, with the profile the file names (and which its used-mem must not overturn):
 *   - encodings 100 % equal;
 *   - deterministic encodings: ≥ 99 % of their keys within 1 %, and every type/encoding pair ≥ 95 %
 *     within 1 % (or all but one key: a table the load left mid-rehash);
 *   - what the server draws at random (skiplist levels; Valkey bucket placement from a per-process
 *     hash seed: Valkey ≥ 8.1 hashtables, Valkey 8.0 set dicts): ≥ 95 % within 10 %, and from 20 keys
 *     on, the pair's total within 1 %.
 */
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../src/core/record.js';
import { allocationGap, chooseBuild, estimatorFor, profileFromAux, twinProfile, twinWeight, type ServerProfile } from '../../src/memory/index.js';
import { atLeast } from '../../src/memory/profile.js';
import { parseRdb } from '../../src/rdb/index.js';

const DIR = '/work/shared/corpus/modern';
/** The profile each dump names (AUX redis-ver / valkey-ver, official build). */
const PROFILES: Record<string, string> = {
  'redis-7.2.13-mixed': 'redis-7.2',
  'redis-7.4.8-mixed': 'redis-7.4',
  'redis-7.4.8-cluster': 'redis-7.4',
  'redis-8.0.6-mixed': 'redis-8.0',
  'redis-8.4.3-modern': 'redis-8.4',
  'redis-8.6.3-mixed': 'redis-8.6',
  'redis-8.6.3-keymeta': 'redis-8.6',
  'redis-8.8.0-mixed': 'redis-8.8',
  'valkey-8.0.9-modern': 'valkey-8.0',
  'valkey-8.1.7-mixed': 'valkey-8.1',
  'valkey-9.0.4-mixed': 'valkey-9.0',
  'valkey-9.1.0-modern': 'valkey-9.1',
  'valkey-9.1.0-hfe': 'valkey-9.1',
};

/** Type/encoding pairs whose MEMORY USAGE depends on what the server draws at random. */
function isRandom(pair: string, p: ServerProfile): boolean {
  if (pair === 'zset/skiplist') return true; // zslRandomLevel
  if (p.family !== 'valkey') return false;
  if (atLeast(p, 8, 1)) return pair === 'set/hashtable' || pair === 'hash/hashtable'; // child buckets by seed
  return pair === 'set/hashtable'; // Valkey 8.0: members chained by seed (memory/valkey80.ts)
}

interface OracleRow {
  type: string;
  encoding: string;
  memory: number;
}

function readOracle(path: string): Map<string, OracleRow> {
  const rows = new Map<string, OracleRow>();
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    if (line === '') continue;
    const c = line.split('\t');
    rows.set(`${c[0]}:${c[1]}`, { type: c[2]!, encoding: c[3]!, memory: Number(c[7]) });
  }
  return rows;
}

async function parseAll(path: string): Promise<{ recs: KeyRecord[]; aux: { key: string; value: string }[] }> {
  const parse = parseRdb(createReadStream(path), { fileName: path });
  const recs: KeyRecord[] = [];
  for await (const rec of parse) recs.push(rec);
  return { recs, aux: parse.info.aux };
}

interface PairStats {
  n: number;
  within1: number;
  within10: number;
  est: number;
  truth: number;
  worst: string;
}

const present = existsSync(DIR);
if (!present) console.warn(`skipping modern corpus memory test: ${DIR} is absent`);
const dumps = present ? readdirSync(DIR).filter((f) => f.endsWith('.oracle.tsv')).map((f) => f.slice(0, -'.oracle.tsv'.length)).sort() : [];

describe.skipIf(!present)('memory model vs. modern corpus oracles', () => {
  it('knows the profile of every dump of the corpus', () => {
    expect(dumps.filter((d) => !(d in PROFILES))).toEqual([]);
  });

  for (const name of dumps) {
    it(`${name} (${PROFILES[name] ?? '?'})`, async () => {
      const oracle = readOracle(`${DIR}/${name}.oracle.tsv`);
      const { recs, aux } = await parseAll(`${DIR}/${name}.rdb`);
      const profile = profileFromAux(aux);
      expect(profile.id).toBe(PROFILES[name]);
      expect(recs.length).toBe(oracle.size);
      const estimate = estimatorFor(profile);
      const twin = twinProfile(profile);
      const estimateTwin = estimatorFor(twin);

      const pairs = new Map<string, PairStats>();
      const wrongEncoding: string[] = [];
      const sums = { keys: 0, gap: 0, twinKeys: 0, twinGap: 0, sampledTwinDelta: 0 };
      let index = 0;
      const perDb = new Map<number, { keys: number; expires: number }>();
      for (const rec of recs) {
        const row = oracle.get(`${rec.db}:${Buffer.from(rec.key).toString('hex')}`);
        expect(row, `oracle row for ${rec.keyPrintable}`).toBeDefined();
        // the keymeta oracle server loaded the file without the module, so it dropped the
        // ALLOW_IGNORE key metadata (MANIFEST, rdb-format.md §9.7.9): model that server
        if (name.endsWith('keymeta')) delete rec.keyMeta;
        const est = estimate(rec);
        const t = estimateTwin(rec);
        const gap = allocationGap(rec, est.encoding, profile);
        const twinGap = allocationGap(rec, t.encoding, twin);
        sums.keys += est.bytes;
        sums.gap += gap;
        sums.twinKeys += t.bytes;
        sums.twinGap += twinGap;
        sums.sampledTwinDelta += twinWeight(rec, index++) * (t.bytes + twinGap - est.bytes - gap);
        const d = perDb.get(rec.db) ?? { keys: 0, expires: 0 };
        d.keys++;
        if (rec.expireAtMs !== null) d.expires++;
        perDb.set(rec.db, d);
        if (est.encoding !== row!.encoding) wrongEncoding.push(`${rec.keyPrintable} (${rec.rdbType}): ${est.encoding} ≠ ${row!.encoding}`);
        const pair = `${row!.type}/${row!.encoding}`;
        const p = pairs.get(pair) ?? { n: 0, within1: 0, within10: 0, est: 0, truth: 0, worst: '' };
        const err = Math.abs(est.bytes - row!.memory) / row!.memory;
        p.n++;
        p.est += est.bytes;
        p.truth += row!.memory;
        if (err <= 0.01) p.within1++;
        else if (p.worst === '') p.worst = `${rec.keyPrintable} (${rec.rdbType}, ${rec.elements} el.): ${est.bytes} vs ${row!.memory}`;
        if (err <= 0.1) p.within10++;
        pairs.set(pair, p);
      }
      const lines = [...pairs].map(([k, p]) => {
        const total = ((p.est - p.truth) / p.truth) * 100;
        return `${k}${isRandom(k, profile) ? ' (random)' : ''}: ${p.n} keys, ${p.within1} within 1%, ${p.within10} within 10%, total ${total.toFixed(3)}%${p.worst ? `; e.g. ${p.worst}` : ''}`;
      });
      console.log(`${name} (${profile.id}):\n  ${lines.join('\n  ')}`);

      expect(wrongEncoding.slice(0, 10)).toEqual([]);
      let detKeys = 0;
      let detWithin1 = 0;
      for (const [k, p] of pairs) {
        if (isRandom(k, profile)) {
          expect(p.within10 / p.n, `${k}: ${p.within10}/${p.n} within 10%`).toBeGreaterThanOrEqual(0.95);
          if (p.n >= 20) expect(Math.abs(p.est - p.truth) / p.truth, `${k}: total ${p.est} vs ${p.truth}`).toBeLessThanOrEqual(0.01);
        } else {
          detKeys += p.n;
          detWithin1 += p.within1;
          const ok = p.within1 / p.n >= 0.95 || p.n - p.within1 <= 1;
          expect(ok, `${k}: ${p.within1}/${p.n} within 1%${p.worst ? `; e.g. ${p.worst}` : ''}`).toBe(true);
        }
      }
      if (detKeys > 0) expect(detWithin1 / detKeys, `deterministic keys within 1%: ${detWithin1}/${detKeys}`).toBeGreaterThanOrEqual(0.99);

      // an official build: its used-mem must not point to the quantum-16 build
      const usedMem = Number(aux.find((a) => a.key === 'used-mem')?.value);
      const choice = chooseBuild(
        usedMem,
        [...perDb.values()],
        { profile, keysBytes: sums.keys, allocationGapBytes: sums.gap },
        { profile: twin, keysBytes: sums.twinKeys, allocationGapBytes: sums.twinGap },
      );
      expect(choice.switched, choice.reason).toBe(false);
      // what a load sums for the twin (large keys all, small ones sampled) stays close to the full sum
      const fullTwin = sums.twinKeys + sums.twinGap;
      expect(Math.abs(sums.keys + sums.gap + sums.sampledTwinDelta - fullTwin) / fullTwin).toBeLessThanOrEqual(0.01);
    });
  }
});
