import type { KeyRecord } from '../core/record.js';
import type { TtlBucket } from './ttl-buckets.js';
import type { Store } from './open-store.js';

/** Distinct (pattern, type) pairs tracked in memory during a load; the tail goes to `<other>`. */
export const MAX_TRACKED_PATTERNS = 20_000;
export const OTHER_PATTERN = '<other>';

interface Sums {
  keys: number;
  memory: number;
  file: number;
  untimedKeys: number;
  untimedMemory: number;
  untimedFile: number;
  expired: number;
}

const zero = (): Sums => ({ keys: 0, memory: 0, file: 0, untimedKeys: 0, untimedMemory: 0, untimedFile: 0, expired: 0 });

/**
 * Per-snapshot aggregates accumulated while keys stream by, so the *_stats tables are complete
 * whatever per-key rows are kept. Memory is bounded: type and TTL groups are few by nature; patterns
 * are capped at MAX_TRACKED_PATTERNS (first come, first tracked — folding happens only on dumps whose
 * patterns did not fold, where `<other>` is itself the finding).
 */
export class LoadAggregates {
  private readonly types = new Map<string, Sums & { db: number; type: string; rdbType: string; encoding: string | null }>();
  private readonly patterns = new Map<string, Sums & { pattern: string; type: string }>();
  private readonly ttl = new Map<string, Sums & { db: number; type: string; bucket: TtlBucket }>();
  private hasMemory = false;

  constructor(private readonly maxPatterns = MAX_TRACKED_PATTERNS) {}

  add(rec: KeyRecord, pattern: string, bucket: TtlBucket): void {
    const memory = rec.memory?.bytes ?? 0;
    if (rec.memory) this.hasMemory = true;
    const encoding = rec.memory?.encoding ?? null;

    const tk = `${rec.db}\u0000${rec.type}\u0000${rec.rdbType}\u0000${encoding ?? ''}`;
    let t = this.types.get(tk);
    if (!t) this.types.set(tk, (t = { ...zero(), db: rec.db, type: rec.type, rdbType: rec.rdbType, encoding }));
    accumulate(t, rec, memory, bucket);

    let pk = `${pattern}\u0000${rec.type}`;
    let p = this.patterns.get(pk);
    if (!p && this.patterns.size >= this.maxPatterns) {
      pk = `${OTHER_PATTERN}\u0000${rec.type}`;
      p = this.patterns.get(pk);
      pattern = OTHER_PATTERN;
    }
    if (!p) this.patterns.set(pk, (p = { ...zero(), pattern, type: rec.type }));
    accumulate(p, rec, memory, bucket);

    const bk = `${rec.db}\u0000${rec.type}\u0000${bucket}`;
    let b = this.ttl.get(bk);
    if (!b) this.ttl.set(bk, (b = { ...zero(), db: rec.db, type: rec.type, bucket }));
    accumulate(b, rec, memory, bucket);
  }

  /** Writes the aggregates of snapshot `id`; call inside the load's final transaction. */
  write(db: Store, id: number): void {
    const mem = (n: number): number | null => (this.hasMemory ? n : null);
    const typeStmt = db.prepare(
      `INSERT INTO type_stats (snapshot_id, db, type, rdb_type, encoding, keys, memory_bytes, file_bytes,
         untimed_keys, untimed_memory, untimed_file_bytes, expired_keys) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    for (const t of this.types.values()) {
      typeStmt.run(id, t.db, t.type, t.rdbType, t.encoding, t.keys, mem(t.memory), t.file, t.untimedKeys, mem(t.untimedMemory), t.untimedFile, t.expired);
    }
    const patternStmt = db.prepare(
      `INSERT INTO pattern_stats (snapshot_id, pattern, type, keys, memory_bytes, file_bytes, untimed_keys,
         untimed_memory, untimed_file_bytes) VALUES (?,?,?,?,?,?,?,?,?)`,
    );
    for (const p of this.patterns.values()) {
      patternStmt.run(id, p.pattern, p.type, p.keys, mem(p.memory), p.file, p.untimedKeys, mem(p.untimedMemory), p.untimedFile);
    }
    const ttlStmt = db.prepare(
      'INSERT INTO ttl_stats (snapshot_id, db, type, bucket, keys, memory_bytes, file_bytes) VALUES (?,?,?,?,?,?,?)',
    );
    for (const b of this.ttl.values()) ttlStmt.run(id, b.db, b.type, b.bucket, b.keys, mem(b.memory), b.file);
  }
}

function accumulate(s: Sums, rec: KeyRecord, memory: number, bucket: TtlBucket): void {
  s.keys++;
  s.memory += memory;
  s.file += rec.valueBytes;
  if (rec.expireAtMs === null) {
    s.untimedKeys++;
    s.untimedMemory += memory;
    s.untimedFile += rec.valueBytes;
  }
  if (bucket === 'expired') s.expired++;
}
