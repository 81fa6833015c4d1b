import type { Store } from './open-store.js';

/**
 * Keys of a snapshot that occur more than once in their db, counted over its key rows by SQLite: a
 * GROUP BY that sorts on disk, so memory stays bounded whatever the number of keys. For loads whose
 * dump was too large for the in-memory check (rdb/duplicate-keys.ts), when asked (load
 * --check-duplicates: it sorts every key) and every key has a row; with fewer rows the answer would
 * be a guess, so the caller does not ask.
 */
export function countDuplicateKeys(db: Store, snapshotId: number, firstRow: number | null, lastRow: number | null): number {
  if (firstRow === null || lastRow === null) return 0;
  return db
    .prepare(
      `SELECT count(*) FROM (
         SELECT 1 FROM key_rows r JOIN key_kinds k ON k.id = r.kind_id
         WHERE r.row_id BETWEEN ? AND ? AND r.snapshot_id = ?
         GROUP BY k.db, r.key HAVING count(*) > 1)`,
    )
    .pluck()
    .get(firstRow, lastRow, snapshotId) as number;
}
