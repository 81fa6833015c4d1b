import type { KeyRecord } from '../core/record.js';
import { TTL_BUCKETS, type TtlBucket } from './ttl-buckets.js';
import type { Store } from './open-store.js';

/** Distinct (pattern, type) pairs tracked in memory during a load; the tail goes to `<other>`. */
export const MAX_TRACKED_PATTERNS = 20_000;
export const OTHER_PATTERN = '<other>';

class Sums {
  keys = 0;
  memory = 0;
  file = 0;
  untimedKeys = 0;
  untimedMemory = 0;
  untimedFile = 0;
  expired = 0;

  add(rec: KeyRecord, memory: number, expired: boolean): void {
    this.keys++;
    this.memory += memory;
    this.file += rec.valueBytes;
    if (rec.expireAtMs === null) {
      this.untimedKeys++;
      this.untimedMemory += memory;
      this.untimedFile += rec.valueBytes;
    }
    if (expired) this.expired++;
  }
}

/** `map.get(k)`, creating the entry with `make()` when absent. */
function child<K, V>(map: Map<K, V>, k: K, make: () => V): V {
  let v = map.get(k);
  if (v === undefined) map.set(k, (v = make()));
  return v;
}

const BUCKET_INDEX = new Map<TtlBucket, number>(TTL_BUCKETS.map((b, i) => [b, i]));

/** size_stats bucket: 0 for 0, else 1 + floor(8 · log2(size)) (8 buckets per doubling, ~9% wide). */
export function sizeBucket(size: number): number {
  return size <= 0 ? 0 : 1 + Math.floor(8 * Math.log2(size));
}

/** Smallest size of bucket b (b ≥ 1). */
export function sizeBucketMin(b: number): number {
  return b <= 0 ? 0 : Math.ceil(2 ** ((b - 1) / 8));
}

class SizeCell {
  keys = 0;
  size = 0;
  min = Infinity;
  max = 0;
}

/** The aggregates as plain rows: what a load worker posts to the writer, and what write() stores. */
export interface AggregateRows {
  hasMemory: boolean;
  /** db, type, rdb_type, encoding, keys, memory, file, untimed keys, untimed memory, untimed file, expired */
  types: [number, string, string, string | null, number, number, number, number, number, number, number][];
  /** pattern, type, keys, memory, file, untimed keys, untimed memory, untimed file */
  patterns: [string, string, number, number, number, number, number, number][];
  /** db, type, bucket, keys, memory, file */
  ttl: [number, string, string, number, number, number][];
  /** type, size bucket, keys, Σ size, min size, max size */
  sizes: [string, number, number, number, number, number][];
}

/**
 * Per-snapshot aggregates accumulated while keys stream by, so the *_stats tables are complete
 * whatever per-key rows are kept. Memory is bounded: type and TTL groups are few by nature; patterns
 * are capped at MAX_TRACKED_PATTERNS (first come, first tracked — folding happens only on dumps whose
 * patterns did not fold, where `<other>` is itself the finding). Nested maps keyed by the parser's
 * interned type strings, not concatenated keys: this runs once per key on the hot path.
 */
export class LoadAggregates {
  // db → type → rdb type → memory encoding ('' = none) → sums
  private readonly types = new Map<number, Map<string, Map<string, Map<string, Sums>>>>();
  // pattern → type → sums
  private readonly patterns = new Map<string, Map<string, Sums>>();
  private trackedPatterns = 0;
  // db → type → sums per TTL bucket (TTL_BUCKETS order)
  private readonly ttl = new Map<number, Map<string, Sums[]>>();
  private hasMemory = false;
  // type → size bucket → cell
  private readonly sizes = new Map<string, Map<number, SizeCell>>();

  constructor(private readonly maxPatterns = MAX_TRACKED_PATTERNS) {}

  /** `size` = the key's size for the distribution (memory estimate, else bytes in the file). */
  add(rec: KeyRecord, pattern: string, bucket: TtlBucket, size: number): void {
    const estimate = rec.memory;
    const memory = estimate ? estimate.bytes : 0;
    if (estimate) this.hasMemory = true;
    const expired = bucket === 'expired';

    const byType = child(this.types, rec.db, () => new Map<string, Map<string, Map<string, Sums>>>());
    const byRdbType = child(byType, rec.type, () => new Map<string, Map<string, Sums>>());
    const byEncoding = child(byRdbType, rec.rdbType, () => new Map<string, Sums>());
    child(byEncoding, estimate ? estimate.encoding : '', () => new Sums()).add(rec, memory, expired);

    let perType = this.patterns.get(pattern);
    if (perType === undefined) {
      if (this.trackedPatterns >= this.maxPatterns) perType = child(this.patterns, OTHER_PATTERN, () => new Map<string, Sums>());
      else this.patterns.set(pattern, (perType = new Map()));
    }
    let sums = perType.get(rec.type);
    if (sums === undefined) {
      perType.set(rec.type, (sums = new Sums()));
      this.trackedPatterns++;
    }
    sums.add(rec, memory, expired);

    const buckets = child(child(this.ttl, rec.db, () => new Map<string, Sums[]>()), rec.type, () => TTL_BUCKETS.map(() => new Sums()));
    buckets[BUCKET_INDEX.get(bucket)!]!.add(rec, memory, expired);

    const cell = child(child(this.sizes, rec.type, () => new Map<number, SizeCell>()), sizeBucket(size), () => new SizeCell());
    cell.keys++;
    cell.size += size;
    if (size < cell.min) cell.min = size;
    if (size > cell.max) cell.max = size;
  }

  rows(): AggregateRows {
    const out: AggregateRows = { hasMemory: this.hasMemory, types: [], patterns: [], ttl: [], sizes: [] };
    for (const [dbNumber, byType] of this.types)
      for (const [type, byRdbType] of byType)
        for (const [rdbType, byEncoding] of byRdbType)
          for (const [encoding, t] of byEncoding)
            out.types.push([dbNumber, type, rdbType, encoding === '' ? null : encoding, t.keys, t.memory, t.file, t.untimedKeys, t.untimedMemory, t.untimedFile, t.expired]);
    for (const [pattern, perType] of this.patterns)
      for (const [type, p] of perType) out.patterns.push([pattern, type, p.keys, p.memory, p.file, p.untimedKeys, p.untimedMemory, p.untimedFile]);
    for (const [dbNumber, byType] of this.ttl)
      for (const [type, buckets] of byType)
        buckets.forEach((b, i) => {
          if (b.keys > 0) out.ttl.push([dbNumber, type, TTL_BUCKETS[i]!, b.keys, b.memory, b.file]);
        });
    for (const [type, cells] of this.sizes)
      for (const [bucket, c] of [...cells].sort((a, b) => a[0] - b[0])) out.sizes.push([type, bucket, c.keys, c.size, c.min, c.max]);
    return out;
  }
}

/** Writes aggregate rows of snapshot `id`; call inside the load's final transaction. */
export function writeAggregates(db: Store, id: number, a: AggregateRows): void {
  const mem = (n: number): number | null => (a.hasMemory ? n : null);
  const typeStmt = db.prepare(
    `INSERT INTO type_stats (snapshot_id, db, type, rdb_type, encoding, keys, memory_bytes, file_bytes,
       untimed_keys, untimed_memory, untimed_file_bytes, expired_keys) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  for (const [d, type, rdbType, encoding, keys, memory, file, uk, um, uf, expired] of a.types)
    typeStmt.run(id, d, type, rdbType, encoding, keys, mem(memory), file, uk, mem(um), uf, expired);
  const patternStmt = db.prepare(
    `INSERT INTO pattern_stats (snapshot_id, pattern, type, keys, memory_bytes, file_bytes, untimed_keys,
       untimed_memory, untimed_file_bytes) VALUES (?,?,?,?,?,?,?,?,?)`,
  );
  for (const [pattern, type, keys, memory, file, uk, um, uf] of a.patterns) patternStmt.run(id, pattern, type, keys, mem(memory), file, uk, mem(um), uf);
  const ttlStmt = db.prepare('INSERT INTO ttl_stats (snapshot_id, db, type, bucket, keys, memory_bytes, file_bytes) VALUES (?,?,?,?,?,?,?)');
  for (const [d, type, bucket, keys, memory, file] of a.ttl) ttlStmt.run(id, d, type, bucket, keys, mem(memory), file);
  const sizeStmt = db.prepare('INSERT INTO size_stats (snapshot_id, type, bucket, keys, size_bytes, min_bytes, max_bytes) VALUES (?,?,?,?,?,?,?)');
  for (const [type, bucket, keys, size, min, max] of a.sizes) sizeStmt.run(id, type, bucket, keys, size, min, max);
}
