import type { Store } from './open-store.js';
import { SNAPSHOT_TABLES } from './schema.js';

export interface SnapshotRow {
  id: number;
  file_name: string;
  path: string;
  file_bytes: number;
  fingerprint: string;
  compression: string;
  magic: string | null;
  rdb_version: number | null;
  redis_ver: string | null;
  snapshot_time_ms: number | null;
  time_source: string;
  used_mem: number | null;
  key_count: number;
  rdb_bytes: number;
  checksum: string | null;
  status: 'loading' | 'complete' | 'partial';
  error: string | null;
  memory_profile: string | null;
  /** Why that profile: given by --server, or from the dump's version with the build told by used-mem. */
  memory_profile_reason: string | null;
  unestimated_keys: number;
  allocation_gap_bytes: number | null;
  pattern_mode: string;
  loaded_at_ms: number;
  /** Scale knobs of the load (NULL = not limited) and the per-key rows kept. */
  keys_min_bytes: number | null;
  top_per_pattern: number | null;
  key_rows: number | null;
  /** Row-id range of the snapshot's key_rows (see KEY_ROWS_OF); null when it has none yet. */
  first_row: number | null;
  last_row: number | null;
}

/** Finished snapshots (complete or partial), oldest first by snapshot time then id. */
export function listSnapshots(db: Store): SnapshotRow[] {
  return db
    .prepare(`SELECT * FROM snapshots WHERE status <> 'loading' ORDER BY snapshot_time_ms, id`)
    .all() as SnapshotRow[];
}

/**
 * A finished complete snapshot with the same RDB content: same CRC64 trailer and decompressed length
 * (the same dump stored plain, gzip'd or lz4'd), other than `exceptId`.
 */
export function findByContent(db: Store, checksum: string, rdbBytes: number, exceptId: number): SnapshotRow | undefined {
  return db
    .prepare(`SELECT * FROM snapshots WHERE checksum = ? AND rdb_bytes = ? AND status = 'complete' AND id <> ? ORDER BY id LIMIT 1`)
    .get(checksum, rdbBytes, exceptId) as SnapshotRow | undefined;
}

export function findByFingerprint(db: Store, fingerprint: string): SnapshotRow | undefined {
  return db.prepare('SELECT * FROM snapshots WHERE fingerprint = ? ORDER BY id DESC LIMIT 1').get(fingerprint) as
    | SnapshotRow
    | undefined;
}

/**
 * A snapshot by reference: a numeric id, else a file name or path (the most recent load of that
 * name). Undefined ref = the latest snapshot. Returns undefined when nothing matches.
 */
export function resolveSnapshot(db: Store, ref?: string): SnapshotRow | undefined {
  const all = listSnapshots(db);
  if (ref === undefined) return all.at(-1);
  if (/^\d+$/.test(ref)) {
    const byId = all.find((s) => s.id === Number(ref));
    if (byId) return byId;
  }
  const byName = all.filter((s) => s.file_name === ref || s.path === ref);
  return byName.sort((a, b) => a.id - b.id).at(-1);
}

/** Removes a snapshot and every row that belongs to it (used for loads killed midway). */
export function deleteSnapshot(db: Store, id: number): void {
  db.transaction(() => {
    const range = db.prepare('SELECT first_row, last_row FROM snapshots WHERE id = ?').get(id) as { first_row: number | null; last_row: number | null } | undefined;
    removeSnapshotRows(db, id, range?.first_row ?? null, range?.last_row ?? null);
  }).immediate();
}

/**
 * Deletes snapshot `id` and its rows, inside the caller's transaction. Its key rows lie at or after
 * `firstRow` (null = it wrote none) and at or before `lastRow` (null while loading: no upper bound).
 */
export function removeSnapshotRows(db: Store, id: number, firstRow: number | null, lastRow: number | null): void {
  for (const table of SNAPSHOT_TABLES) {
    if (table !== 'key_rows') db.prepare(`DELETE FROM ${table} WHERE snapshot_id = ?`).run(id);
  }
  if (firstRow !== null) {
    db.prepare('DELETE FROM key_rows WHERE row_id >= ? AND row_id <= ? AND snapshot_id = ?').run(firstRow, lastRow ?? Number.MAX_SAFE_INTEGER, id);
  }
  db.prepare('DELETE FROM snapshots WHERE id = ?').run(id);
}
