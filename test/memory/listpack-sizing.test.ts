/**
 * The parser sizes would-be listpacks only up to the loading server's `*-max-listpack-entries`
 * (ListpackSizing, passed by load / keys). These tests hold that shortcut to what it claims: the
 * memory model gives the same answer for every key of every dump we have as with full sizing, for
 * the default thresholds and for roomier and tighter ones (where skiplists and hash tables become
 * listpacks on load, or listpacks become tables), under the writer's own profile and under modern ones.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../src/core/record.js';
import { compactEntryLimits, DEFAULT_ENCODING_CONFIG, estimateMemory, parseProfile, profileFromAux, type EncodingConfig } from '../../src/memory/index.js';
import { CORPUS_DIR, FIXTURES_DIR, corpusPresent, parseDump } from '../support/corpus.js';
import { parseBytes } from '../support/parse-bytes.js';
import { RdbWriter, TYPE, buildListpack } from '../support/rdb-writer.js';

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
  ['tight', { ...DEFAULT_ENCODING_CONFIG, hashMaxListpackEntries: 4, zsetMaxListpackEntries: 2, setMaxListpackEntries: 0 }],
];

/**
 * Thresholds that sit exactly on element counts found in the dump (the largest hash-table hash,
 * skiplist zset and hash-table set it holds), with no value limit: those values become listpacks
 * on load, so an off-by-one in the sizing limit changes their estimate.
 */
function boundaryConfig(records: KeyRecord[]): EncodingConfig {
  const largest = (types: string[]): number | undefined => {
    let n: number | undefined;
    for (const r of records) if (types.includes(r.rdbType) && r.elements <= 8192 && (n === undefined || r.elements > n)) n = r.elements;
    return n;
  };
  const d = DEFAULT_ENCODING_CONFIG;
  const big = 1 << 30;
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
    expect(dumps.length).toBeGreaterThan(20);
  });

  for (const file of dumps) {
    it(path.relative(path.dirname(CORPUS_DIR), file), async () => {
      const full = await parseDump(file);
      const profiles = [profileFromAux(full.info.aux), parseProfile('redis-7.0'), parseProfile('redis-7.4')];
      let compared = 0;
      const configs = [...CONFIGS.map(([, c]) => c), boundaryConfig(full.records)];
      for (const config of configs) {
        const limited = await parseDump(file, { listpackSizing: compactEntryLimits(config) });
        expect(limited.records.length).toBe(full.records.length);
        for (const profile of profiles) {
          for (let i = 0; i < full.records.length; i++) {
            const a = estimateMemory(full.records[i]!, profile, config);
            const b = estimateMemory(limited.records[i]!, profile, config);
            if (a.bytes !== b.bytes || a.encoding !== b.encoding) {
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
  const sizing = (n: number) => ({ hash: n, zset: n, set: n });

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
});

async function parseWith(bytes: Uint8Array, listpackSizing: { hash: number; zset: number; set: number }): Promise<KeyRecord> {
  const { records, error } = await parseBytes(bytes, { listpackSizing });
  expect(error).toBeNull();
  expect(records).toHaveLength(1);
  return records[0]!;
}
