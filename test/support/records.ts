import type { KeyRecord } from '../../src/core/record.js';
import type { RdbFileInfo } from '../../src/rdb/file-info.js';
import { emptyFileInfo } from '../../src/rdb/file-info.js';
import { RdbError } from '../../src/core/errors.js';
import type { LoadInput, LoadParse } from '../../src/store/index.js';
import { printable } from '../../src/rdb/printable.js';
import { rng } from '../../scripts/lib/fuzz-engine.mjs';

/** A synthetic key record; only what the store and reports read matters. Printable text as the parser makes it. */
export function rec(key: string | Uint8Array, fields: Partial<KeyRecord> = {}): KeyRecord {
  const bytes = typeof key === 'string' ? new TextEncoder().encode(key) : key;
  return {
    db: 0,
    key: bytes,
    keyPrintable: printable(bytes),
    type: 'string',
    rdbType: 'string',
    rdbTypeId: 0,
    elements: 1,
    valueBytes: 10,
    largestElementBytes: 10,
    expireAtMs: null,
    idleSeconds: null,
    lfuFreq: null,
    offset: 0,
    shape: {},
    ...fields,
  };
}

/** Deterministic pseudo-random numbers (mulberry32), shared with the fuzzer. */
export { rng };

export const SNAPSHOT_CTIME_S = 1_700_000_000;

/**
 * A varied keyspace: families with and without TTL, several types and dbs, some expired at snapshot
 * time. `withMemory` fills rec.memory as a stand-in for the memory model.
 */
export function syntheticKeyspace(seed = 1, options: { withMemory?: boolean; scale?: number } = {}): KeyRecord[] {
  const r = rng(seed);
  const scale = options.scale ?? 1;
  const now = SNAPSHOT_CTIME_S * 1000;
  const out: KeyRecord[] = [];
  const push = (k: KeyRecord) => {
    if (options.withMemory) k.memory = { encoding: k.type === 'string' ? 'embstr' : 'listpack', bytes: k.valueBytes * 2 + 50, exact: true };
    out.push(k);
  };
  for (let i = 0; i < 40 * scale; i++) {
    const ttl = [30_000, 1_800_000, 7_200_000, 3 * 86_400_000, 10 * 86_400_000, 90 * 86_400_000, -5_000][i % 7]!;
    push(rec(`session:${1000 + i}`, { valueBytes: 50 + Math.floor(r() * 200), expireAtMs: now + ttl }));
  }
  for (let i = 0; i < 30 * scale; i++) push(rec(`cache:page:${i}`, { valueBytes: 1000 + Math.floor(r() * 5000) }));
  for (let i = 0; i < 10 * scale; i++) {
    const n = 1 + Math.floor(r() * 500);
    push(rec(`user:${i}:events`, { type: 'list', rdbType: 'quicklist2', rdbTypeId: 18, elements: n, valueBytes: n * 12, largestElementBytes: 20 }));
  }
  for (let i = 0; i < 8 * scale; i++) {
    const n = 1 + Math.floor(r() * 300);
    push(rec(`user:${i}:profile`, { type: 'hash', rdbType: 'hash-listpack', rdbTypeId: 16, elements: n, valueBytes: n * 30, db: 1 }));
  }
  for (let i = 0; i < 5 * scale; i++) {
    const n = 1 + Math.floor(r() * 1000);
    push(rec(`leaderboard:${i}`, { type: 'zset', rdbType: 'zset-listpack', rdbTypeId: 17, elements: n, valueBytes: n * 16, expireAtMs: i % 2 ? now + 86_400_000 * 2 : null }));
  }
  push(rec('tags:all', { type: 'set', rdbType: 'set', rdbTypeId: 2, elements: 4000, valueBytes: 40_000 }));
  push(rec('events', { type: 'stream', rdbType: 'stream-listpacks3', rdbTypeId: 21, elements: 900, valueBytes: 70_000 }));
  push(rec(new Uint8Array([0x62, 0x69, 0x6e, 0x3a, 0xff, 0x00, 0x3d]), { valueBytes: 5 }));
  return out;
}

/** Fake open() for loadSnapshot: yields the records in batches, then optionally fails. */
export function fakeSource(
  records: KeyRecord[],
  options: { aux?: Record<string, string>; failAfter?: number; batchSize?: number; notRdb?: boolean } = {},
): () => Promise<{ input: LoadInput; parse: LoadParse }> {
  return async () => {
    const info: RdbFileInfo = emptyFileInfo();
    let consumed = 0;
    const parse: LoadParse = {
      info,
      async *batches() {
        if (options.notRdb) {
          info.error = new RdbError('NOT_RDB', 'not an RDB file', 0);
          throw info.error;
        }
        info.magic = 'REDIS';
        info.version = 11;
        info.aux = Object.entries(options.aux ?? { 'redis-ver': '7.2.4', ctime: String(SNAPSHOT_CTIME_S), 'used-mem': '1048576' }).map(([key, value]) => ({ key, value }));
        const limit = options.failAfter ?? records.length;
        const size = options.batchSize ?? 7;
        for (let i = 0; i < limit; i += size) {
          const batch = records.slice(i, Math.min(limit, i + size));
          consumed += batch.length;
          info.keys = consumed;
          yield batch;
        }
        if (options.failAfter !== undefined) {
          info.error = new RdbError('UNEXPECTED_EOF', 'input ends inside a record', 12345, 'k');
          throw info.error;
        }
        info.complete = true;
        info.checksum = { status: 'ok', value: '0123456789abcdef' };
      },
    };
    return { input: { compression: 'none', bytesIn: () => consumed, fileBytes: 1000, rdbBytes: 1000 }, parse };
  };
}
