/**
 * The parser does per-element work only where the loading server's compact-encoding limits make the
 * memory model need it (CompactLimits, passed by load / keys): would-be listpacks are sized only up
 * to `*-max-listpack-entries`, element lengths of listpack hashes and intsets gathered only above
 * their limits. These tests hold that shortcut to what it claims: the memory model gives the same
 * answer for every key of every dump we have as with everything gathered, for the default
 * thresholds and for roomier and tighter ones (where skiplists and hash tables become listpacks on
 * load, or listpacks and intsets become tables), and for thresholds on the element counts of the
 * dump's own values, under the writer's own profile and under modern ones.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../src/core/record.js';
import { compactLimitsOf, DEFAULT_ENCODING_CONFIG, estimateMemory, parseProfile, profileFromAux, type EncodingConfig } from '../../src/memory/index.js';
import { CORPUS_DIR, FIXTURES_DIR, corpusPresent, parseDump } from '../support/corpus.js';
import { parseBytes } from '../support/parse-bytes.js';
import { RdbWriter, TYPE, buildIntset, buildListpack } from '../support/rdb-writer.js';
import type { CompactLimits } from '../../src/rdb/index.js';

function dumpsUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...dumpsUnder(p));
    else if (name.endsWith('.rdb')) out.push(p);
  }
  return out.sort();
}

const CONFIGS: [string, EncodingConfig][] = [
  ['default', DEFAULT_ENCODING_CONFIG],
  [
    'roomy',
    { ...DEFAULT_ENCODING_CONFIG, hashMaxListpackEntries: 4096, hashMaxListpackValue: 4096, zsetMaxListpackEntries: 4096, zsetMaxListpackValue: 4096, setMaxListpackEntries: 4096, setMaxListpackValue: 4096 },
  ],
  ['tight', { ...DEFAULT_ENCODING_CONFIG, hashMaxListpackEntries: 4, zsetMaxListpackEntries: 2, setMaxListpackEntries: 0, setMaxIntsetEntries: 3 }],
];

/**
 * Thresholds that sit exactly on element counts found in the dump, with no value limit:
 * - `into`: on the largest hash-table hash, skiplist zset and hash-table set, which then become
 *   listpacks on load, so an off-by-one in the sizing limit changes their estimate;
 * - `out`: one below the smallest listpack hash and intset, which then become tables, so an
 *   off-by-one in when lengths are gathered changes theirs.
 */
function boundaryConfig(records: KeyRecord[], side: 'into' | 'out'): EncodingConfig {
  const pick = (types: string[], better: (n: number, best: number) => boolean): number | undefined => {
    let n: number | undefined;
    for (const r of records) if (types.includes(r.rdbType) && r.elements <= 8192 && r.elements > 0 && (n === undefined || better(r.elements, n))) n = r.elements;
    return n;
  };
  const largest = (types: string[]) => pick(types, (a, b) => a > b);
  const belowSmallest = (types: string[]) => {
    const n = pick(types, (a, b) => a < b);
    return n === undefined ? undefined : n - 1;
  };
  const d = DEFAULT_ENCODING_CONFIG;
  const big = 1 << 30;
  if (side === 'out') {
    return {
      ...d,
      hashMaxListpackEntries: belowSmallest(['hash-listpack', 'hash-listpack-ex', 'hash-listpack-ex-pre-ga']) ?? d.hashMaxListpackEntries,
      setMaxIntsetEntries: belowSmallest(['intset']) ?? d.setMaxIntsetEntries,
    };
  }
  return {
    ...d,
    hashMaxListpackEntries: largest(['hash', 'hash-metadata', 'hash-metadata-pre-ga', 'hash2']) ?? d.hashMaxListpackEntries,
    hashMaxListpackValue: big,
    zsetMaxListpackEntries: largest(['zset', 'zset2']) ?? d.zsetMaxListpackEntries,
    zsetMaxListpackValue: big,
    setMaxListpackEntries: largest(['set']) ?? d.setMaxListpackEntries,
    setMaxListpackValue: big,
  };
}

const dumps = [...dumpsUnder(FIXTURES_DIR), ...(corpusPresent() ? dumpsUnder(CORPUS_DIR) : [])];

describe('listpack sizing limited to the server thresholds', () => {
  it('finds the dumps', () => {
    // Every fixture, and the corpus dumps when the corpus sits beside the project.
    expect(dumps.length).toBeGreaterThan(corpusPresent() ? 20 : 10);
  });

  for (const file of dumps) {
    it(path.relative(path.dirname(CORPUS_DIR), file), async () => {
      const full = await parseDump(file);
      const profiles = [profileFromAux(full.info.aux), parseProfile('redis-7.0'), parseProfile('redis-7.4')];
      let compared = 0;
      const configs = [...CONFIGS.map(([, c]) => c), boundaryConfig(full.records, 'into'), boundaryConfig(full.records, 'out')];
      for (const config of configs) {
        const limited = await parseDump(file, { compactLimits: compactLimitsOf(config) });
        expect(limited.records.length).toBe(full.records.length);
        for (const profile of profiles) {
          for (let i = 0; i < full.records.length; i++) {
            const a = estimateMemory(full.records[i]!, profile, config);
            const b = estimateMemory(limited.records[i]!, profile, config);
            if (a.bytes !== b.bytes || a.encoding !== b.encoding || a.exact !== b.exact) {
              expect.fail(`${full.records[i]!.keyPrintable} (${full.records[i]!.rdbType}, ${profile.id}): ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
            }
            compared++;
          }
        }
      }
      expect(compared).toBe(full.records.length * configs.length * profiles.length);
    });
  }
});

describe('what the limit skips', () => {
  const members = Array.from({ length: 200 }, (_, i) => `member-${i}`);
  const zset = (): Uint8Array => {
    const w = new RdbWriter({ version: 10 }).selectDb(0).key(TYPE.ZSET_2, 'z').len(members.length);
    for (const [i, m] of members.entries()) w.string(m).binaryDouble(i + 0.5);
    return w.finish();
  };
  const sizing = (n: number) => ({ hash: n, zset: n, set: n, intset: n });

  it('sizes a skiplist zset within the limit, not above it', async () => {
    const bytes = zset();
    const within = await parseWith(bytes, sizing(200));
    const above = await parseWith(bytes, sizing(199));
    expect(within.shape.listpackBytes).toBeGreaterThan(200 * 10);
    expect(above.shape.listpackBytes).toBeNull();
    expect(above.elements).toBe(within.elements);
    expect(above.largestElementBytes).toBe(within.largestElementBytes);
  });

  it('never re-sizes a plain hash listpack (it loads as the blob it is)', async () => {
    const lp = buildListpack(['f1', 'v1', 'f2', 'v2']);
    const bytes = new RdbWriter({ version: 10 }).selectDb(0).key(TYPE.HASH_LISTPACK, 'h').string(lp).finish();
    const rec = await parseWith(bytes, sizing(8192));
    expect(rec.shape.listpackBytes).toBeNull();
    expect(rec.shape.blobBytes).toBe(lp.length);
    expect(rec.elements).toBe(2);
  });

  it('gathers the lengths of a listpack hash only when it would become a table', async () => {
    const lp = buildListpack(['f1', 'v1', 'field2', 'value2', 'f3', 'v3']);
    const bytes = new RdbWriter({ version: 10 }).selectDb(0).key(TYPE.HASH_LISTPACK, 'h').string(lp).finish();
    const kept = await parseWith(bytes, sizing(3));
    const converted = await parseWith(bytes, sizing(2));
    const unknown = await parseWith(bytes, undefined);
    expect(kept.shape.members).toBeUndefined();
    expect(converted.shape.members?.count).toBe(3);
    expect(converted.shape.values?.max).toBe(6);
    expect(unknown.shape.members?.count).toBe(3);
    expect(kept.shape.maxValueBytes).toBe(6);
  });

  it('counts the fields of a listpack-ex hash by triplets', async () => {
    const lp = buildListpack(['f1', 'v1', 1_900_000_000_000, 'f2', 'v2', 0, 'f3', 'v3', 0]);
    const minExpire = new Uint8Array(8);
    new DataView(minExpire.buffer).setBigUint64(0, 1_900_000_000_000n, true);
    const bytes = new RdbWriter({ version: 12 }).selectDb(0).key(TYPE.HASH_LISTPACK_EX, 'hx').raw(minExpire).string(lp).finish();
    const kept = await parseWith(bytes, sizing(3));
    expect(kept.elements).toBe(3);
    expect(kept.shape.members).toBeUndefined();
    expect((await parseWith(bytes, sizing(2))).shape.members?.count).toBe(3);
  });

  it('gathers the member lengths of an intset only when it would become a table', async () => {
    const bytes = new RdbWriter({ version: 10 }).selectDb(0).key(TYPE.SET_INTSET, 's').string(buildIntset(2, [1, 22, 333])).finish();
    expect((await parseWith(bytes, sizing(3))).shape.members).toBeUndefined();
    expect((await parseWith(bytes, sizing(2))).shape.members?.total).toBe(6);
    expect((await parseWith(bytes, undefined)).shape.members?.total).toBe(6);
  });
});

async function parseWith(bytes: Uint8Array, compactLimits: CompactLimits | undefined): Promise<KeyRecord> {
  const { records, error } = await parseBytes(bytes, { compactLimits });
  expect(error).toBeNull();
  expect(records).toHaveLength(1);
  return records[0]!;
}
