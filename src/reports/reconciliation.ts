import type { ResultTable, Row } from '../output/result.js';
import { parseProfile, reconcile } from '../memory/index.js';
import type { Store } from '../store/index.js';
import type { SnapshotRow } from '../store/snapshots.js';
import { col } from './scope.js';

/**
 * The dump's own `used-mem` against Σ key estimates plus what is not per key (dict bucket arrays,
 * expires entries, the allocation gap summed at load, an empty server): how much is explained.
 * Null without `used-mem`, unless `withoutUsedMem`: then the row still gives what a server loading
 * the dump would hold (`explained`), with `used_mem` and the share empty, for a report that needs
 * that estimate in place of the figure the dump lacks (Redis before 4.0 writes no `used-mem`).
 */
export function reconcileSnapshot(db: Store, snap: SnapshotRow, keysBytes: number, options: { withoutUsedMem?: boolean } = {}): (ResultTable & { rows: Row[] }) | null {
  if ((snap.used_mem === null && options.withoutUsedMem !== true) || snap.memory_profile === null) return null;
  let profile;
  try {
    profile = parseProfile(snap.memory_profile);
  } catch {
    return null;
  }
  const perDb = db
    .prepare('SELECT db, sum(keys) AS keys, sum(keys - untimed_keys) AS expires FROM type_stats WHERE snapshot_id = ? GROUP BY db')
    .all(snap.id) as { db: number; keys: number; expires: number }[];
  const r = reconcile({ usedMem: snap.used_mem, perDb, allocationGapBytes: snap.allocation_gap_bytes ?? 0 }, keysBytes, profile);
  return {
    name: 'reconciliation',
    title: 'Reconciliation with used-mem',
    columns: [
      col('key_estimates', 'bytes'), col('allocation_gap', 'bytes'), col('dict_buckets_and_expires', 'bytes'),
      col('empty_server', 'bytes'), col('explained', 'bytes'), col('used_mem', 'bytes'), col('share_explained', 'percent'),
    ],
    rows: [{
      key_estimates: r.keysBytes, allocation_gap: r.allocationGapBytes, dict_buckets_and_expires: r.keyspaceBytes,
      empty_server: r.baselineBytes, explained: r.explainedBytes, used_mem: r.usedMem, share_explained: r.shareExplained,
    }],
  };
}

