import type { KindDef } from './kind-ids.js';
import { TTL_BUCKETS } from './ttl-buckets.js';
import type { Store } from './open-store.js';

/** Distinct (pattern, type) pairs tracked in memory during a load; the tail goes to `<other>`. */
export const MAX_TRACKED_PATTERNS = 20_000;
export const OTHER_PATTERN = '<other>';

/** size_stats bucket: 0 for 0, else 1 + floor(8 · log2(size)) (8 buckets per doubling, ~9% wide). */
export function sizeBucket(size: number): number {
  return size <= 0 ? 0 : 1 + Math.floor(8 * Math.log2(size));
}

/** Smallest size of bucket b (b ≥ 1). */
export function sizeBucketMin(b: number): number {
  return b <= 0 ? 0 : Math.ceil(2 ** ((b - 1) / 8));
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

// Sums kept per group, as offsets into a Float64Array row.
const KEYS = 0;
const MEMORY = 1;
const FILE = 2;
const UNTIMED_KEYS = 3;
const UNTIMED_MEMORY = 4;
const UNTIMED_FILE = 5;
const EXPIRED = 6;
const SUMS = 7;
/** TTL buckets per kind: keys, memory, file each. */
const TTL_SUMS = 3;
const BUCKETS = TTL_BUCKETS.length;
const EXPIRED_BUCKET = TTL_BUCKETS.indexOf('expired');
/** size_stats cells per type: keys, Σ size, min, max each; buckets 0 … MAX_SIZE_BUCKET cover sizes below 2^64. */
const MAX_SIZE_BUCKET = 1 + 8 * 64;
const CELL = 4;

/** A growable Float64Array of fixed-width rows, one per dense id. */
class Rows {
  data: Float64Array;
  constructor(private readonly width: number) {
    this.data = new Float64Array(width * 16);
  }

  /** Offset of row `id`, growing the array when needed. */
  at(id: number): number {
    const o = id * this.width;
    if (o + this.width > this.data.length) {
      const grown = new Float64Array(Math.max(this.data.length * 2, o + this.width));
      grown.set(this.data);
      this.data = grown;
    }
    return o;
  }
}

/**
 * Per-snapshot aggregates accumulated while keys stream by, so the *_stats tables are complete
 * whatever per-key rows are kept. This runs once per key on the hot path, so sums live in typed
 * arrays indexed by the load's dense kind ids (KindIds) and are folded into (db, type) groups only
 * at the end. Memory is bounded: kinds and types are few by nature; patterns are capped at
 * MAX_TRACKED_PATTERNS (first come, first tracked — folding happens only on dumps whose patterns did
 * not fold, where `<other>` is itself the finding).
 */
export class LoadAggregates {
  private readonly byKind = new Rows(SUMS);
  private readonly ttlByKind = new Rows(BUCKETS * TTL_SUMS);
  private kindsSeen = 0;
  // pattern → type → sums (a Float64Array row of SUMS; EXPIRED unused)
  private readonly patterns = new Map<string, Map<string, Float64Array>>();
  private trackedPatterns = 0;
  // type → size cells
  private readonly sizes = new Map<string, Float64Array>();
  private lastSizeType: string | null = null;
  private lastSizes: Float64Array | null = null;
  private hasMemory = false;

  /** `kinds.defs[id]` describes kind `id` (a KindIds, or the writer's copy of one). */
  constructor(private readonly kinds: { readonly defs: readonly KindDef[] }, private readonly maxPatterns = MAX_TRACKED_PATTERNS) {}

  /**
   * One key. `memory` is the estimate (NaN = none), `size` the key's size for the distribution
   * (the estimate, else bytes in the file), `bucket` its TTL_BUCKETS index.
   */
  add(kind: number, type: string, pattern: string, bucket: number, untimed: boolean, valueBytes: number, memory: number, size: number): void {
    let m = memory;
    if (m === m) this.hasMemory = true;
    else m = 0;
    const expired = bucket === EXPIRED_BUCKET ? 1 : 0;
    if (kind >= this.kindsSeen) this.kindsSeen = kind + 1;

    const k = this.byKind.at(kind);
    addSums(this.byKind.data, k, m, valueBytes, untimed, expired);

    const t = this.ttlByKind.at(kind) + bucket * TTL_SUMS;
    const ttl = this.ttlByKind.data;
    ttl[t]! += 1;
    ttl[t + 1]! += m;
    ttl[t + 2]! += valueBytes;

    let perType = this.patterns.get(pattern);
    if (perType === undefined) {
      if (this.trackedPatterns >= this.maxPatterns) {
        perType = this.patterns.get(OTHER_PATTERN);
        if (perType === undefined) this.patterns.set(OTHER_PATTERN, (perType = new Map()));
      } else this.patterns.set(pattern, (perType = new Map()));
    }
    let sums = perType.get(type);
    if (sums === undefined) {
      perType.set(type, (sums = new Float64Array(SUMS)));
      this.trackedPatterns++;
    }
    addSums(sums, 0, m, valueBytes, untimed, expired);

    let cells = this.lastSizes;
    if (type !== this.lastSizeType || cells === null) {
      cells = this.sizes.get(type) ?? null;
      if (cells === null) {
        cells = new Float64Array((MAX_SIZE_BUCKET + 1) * CELL);
        for (let b = 0; b <= MAX_SIZE_BUCKET; b++) cells[b * CELL + 2] = Infinity;
        this.sizes.set(type, cells);
      }
      this.lastSizeType = type;
      this.lastSizes = cells;
    }
    const c = Math.min(sizeBucket(size), MAX_SIZE_BUCKET) * CELL;
    cells[c]! += 1;
    cells[c + 1]! += size;
    if (size < cells[c + 2]!) cells[c + 2] = size;
    if (size > cells[c + 3]!) cells[c + 3] = size;
  }

  rows(): AggregateRows {
    const out: AggregateRows = { hasMemory: this.hasMemory, types: [], patterns: [], ttl: [], sizes: [] };
    const defs = this.kinds.defs;
    const sums = this.byKind.data;
    for (let kind = 0; kind < this.kindsSeen; kind++) {
      const o = kind * SUMS;
      if (sums[o + KEYS] === 0) continue;
      const d = defs[kind]!;
      out.types.push([d.db, d.type, d.rdbType, d.encoding, sums[o + KEYS]!, sums[o + MEMORY]!, sums[o + FILE]!,
        sums[o + UNTIMED_KEYS]!, sums[o + UNTIMED_MEMORY]!, sums[o + UNTIMED_FILE]!, sums[o + EXPIRED]!]);
    }
    for (const [pattern, perType] of this.patterns)
      for (const [type, p] of perType) out.patterns.push([pattern, type, p[KEYS]!, p[MEMORY]!, p[FILE]!, p[UNTIMED_KEYS]!, p[UNTIMED_MEMORY]!, p[UNTIMED_FILE]!]);
    // TTL rows are per (db, type): fold the kinds' buckets, in order of first appearance.
    const ttlGroups = new Map<number, Map<string, Float64Array>>();
    const ttl = this.ttlByKind.data;
    for (let kind = 0; kind < this.kindsSeen; kind++) {
      const d = defs[kind]!;
      let byType = ttlGroups.get(d.db);
      if (byType === undefined) ttlGroups.set(d.db, (byType = new Map()));
      let g = byType.get(d.type);
      if (g === undefined) byType.set(d.type, (g = new Float64Array(BUCKETS * TTL_SUMS)));
      const o = kind * BUCKETS * TTL_SUMS;
      for (let i = 0; i < BUCKETS * TTL_SUMS; i++) g[i]! += ttl[o + i]!;
    }
    for (const [dbNumber, byType] of ttlGroups)
      for (const [type, g] of byType)
        for (let b = 0; b < BUCKETS; b++) {
          if (g[b * TTL_SUMS]! > 0) out.ttl.push([dbNumber, type, TTL_BUCKETS[b]!, g[b * TTL_SUMS]!, g[b * TTL_SUMS + 1]!, g[b * TTL_SUMS + 2]!]);
        }
    for (const [type, cells] of this.sizes)
      for (let b = 0; b <= MAX_SIZE_BUCKET; b++) {
        const c = b * CELL;
        if (cells[c]! > 0) out.sizes.push([type, b, cells[c]!, cells[c + 1]!, cells[c + 2]!, cells[c + 3]!]);
      }
    return out;
  }
}

function addSums(s: Float64Array, o: number, memory: number, file: number, untimed: boolean, expired: number): void {
  s[o + KEYS]! += 1;
  s[o + MEMORY]! += memory;
  s[o + FILE]! += file;
  if (untimed) {
    s[o + UNTIMED_KEYS]! += 1;
    s[o + UNTIMED_MEMORY]! += memory;
    s[o + UNTIMED_FILE]! += file;
  }
  s[o + EXPIRED]! += expired;
}

/**
 * The aggregates of one snapshot computed in two parts (the worker's and the writer's, see
 * WriterAggregation) as one: sums added group by group, size cells' min and max combined. Patterns
 * keep the cap: a (pattern, type) pair first met once `maxPatterns` pairs exist (`a` read first)
 * is added to (`<other>`, type). A pair one part tracked while the other folded pairs of its type
 * into `<other>` goes to `<other>` whole: the other part's keys of it may be there, and a pattern
 * holding only some of its keys would change from one snapshot to the next with how the batches
 * were split between the threads (growth and forecast compare it).
 */
export function mergeAggregateRows(a: AggregateRows, b: AggregateRows, maxPatterns = MAX_TRACKED_PATTERNS): AggregateRows {
  const types = new Map<string, AggregateRows['types'][number]>();
  for (const row of [...a.types, ...b.types]) sumInto(types, JSON.stringify(row.slice(0, 4)), row, 4);
  const pairs = (x: AggregateRows) => new Set(x.patterns.map((r) => JSON.stringify([r[0], r[1]])));
  const foldedTypes = (x: AggregateRows) => new Set(x.patterns.filter((r) => r[0] === OTHER_PATTERN).map((r) => r[1]));
  const sides = [
    { rows: a.patterns, otherPairs: pairs(b), otherFolded: foldedTypes(b) },
    { rows: b.patterns, otherPairs: pairs(a), otherFolded: foldedTypes(a) },
  ];
  const patterns = new Map<string, AggregateRows['patterns'][number]>();
  for (const { rows, otherPairs, otherFolded } of sides) {
    for (const row of rows) {
      const key = JSON.stringify([row[0], row[1]]);
      const partlyFolded = row[0] !== OTHER_PATTERN && otherFolded.has(row[1]) && !otherPairs.has(key);
      if (!partlyFolded && (patterns.has(key) || patterns.size < maxPatterns)) sumInto(patterns, key, row, 2);
      else sumInto(patterns, JSON.stringify([OTHER_PATTERN, row[1]]), [OTHER_PATTERN, ...row.slice(1)] as typeof row, 2);
    }
  }
  const ttl = new Map<string, AggregateRows['ttl'][number]>();
  for (const row of [...a.ttl, ...b.ttl]) sumInto(ttl, JSON.stringify(row.slice(0, 3)), row, 3);
  const sizes = new Map<string, AggregateRows['sizes'][number]>();
  for (const row of [...a.sizes, ...b.sizes]) {
    const key = JSON.stringify(row.slice(0, 2));
    const have = sizes.get(key);
    sizes.set(key, have === undefined ? row : [row[0], row[1], have[2] + row[2], have[3] + row[3], Math.min(have[4], row[4]), Math.max(have[5], row[5])]);
  }
  return {
    hasMemory: a.hasMemory || b.hasMemory,
    types: [...types.values()],
    patterns: [...patterns.values()],
    ttl: [...ttl.values()],
    sizes: [...sizes.values()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1])),
  };
}

/** Adds `row`'s numbers from column `from` on into the group `key` (a copy of `row` when new). */
function sumInto<R extends readonly unknown[]>(groups: Map<string, R>, key: string, row: R, from: number): void {
  const have = groups.get(key) as unknown[] | undefined;
  if (have === undefined) {
    groups.set(key, [...row] as unknown as R);
    return;
  }
  for (let i = from; i < row.length; i++) have[i] = (have[i] as number) + (row[i] as number);
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
