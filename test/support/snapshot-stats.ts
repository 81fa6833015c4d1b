import type Database from 'better-sqlite3';

export type Row = Record<string, unknown>;

/**
 * A snapshot's aggregate rows (type, pattern, TTL and size stats, AUX fields) in a fixed order: what
 * two loads of one dump must agree on, whatever their order or parallelism.
 */
export function snapshotStats(db: Database.Database, id: unknown): Row[] {
  return [
    ...(db.prepare('SELECT db, type, rdb_type, encoding, keys, memory_bytes, file_bytes, untimed_keys, expired_keys FROM type_stats WHERE snapshot_id = ? ORDER BY 1, 2, 3, 4').all(id) as Row[]),
    ...(db.prepare('SELECT pattern, type, keys, memory_bytes, file_bytes, untimed_keys FROM pattern_stats WHERE snapshot_id = ? ORDER BY 1, 2').all(id) as Row[]),
    ...(db.prepare('SELECT db, type, bucket, keys, memory_bytes FROM ttl_stats WHERE snapshot_id = ? ORDER BY 1, 2, 3').all(id) as Row[]),
    ...(db.prepare('SELECT type, bucket, keys, size_bytes, min_bytes, max_bytes FROM size_stats WHERE snapshot_id = ? ORDER BY 1, 2').all(id) as Row[]),
    ...(db.prepare('SELECT seq, name, value FROM aux WHERE snapshot_id = ? ORDER BY seq').all(id) as Row[]),
  ];
}
