import type { ResultTable, Row } from '../output/result.js';
import type { Report } from './report.js';
import { basisFor, col, describeSnapshot, filters, pickSnapshot, share } from './scope.js';
import type { Store } from '../store/index.js';
import type { SnapshotRow } from '../store/snapshots.js';
import { parseProfile, reconcile } from '../memory/index.js';

/**
 * The dump's own `used-mem` against Σ key estimates plus what is not per key (dict bucket arrays,
 * expires entries, the allocation gap summed at load, an empty server): how much is explained.
 */
function reconcileSnapshot(db: Store, snap: SnapshotRow, keysBytes: number): (ResultTable & { rows: Row[] }) | null {
  if (snap.used_mem === null || snap.memory_profile === null) return null;
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

/**
 * Keys and memory by db, type and encoding; what share has no TTL; the server's own `used-mem` beside
 * the total. Reads type_stats, which every load fills completely.
 */
export const summary: Report = {
  name: 'summary',
  help: 'keys, memory and file bytes by db, type and encoding; share with no TTL; used-mem from the file',
  accepts: ['snapshot', 'instance', 'type'],
  run(db, options) {
    const snap = pickSnapshot(db, options.snapshot, options.instance);
    const b = basisFor(snap);
    const f = filters(options, null);
    // by = '' → one row over the whole snapshot.
    const group = (by: string) =>
      db.prepare(
        `SELECT ${by ? `${by}, ` : ''}sum(keys) AS keys, sum(${b.statsColumn}) AS size, sum(file_bytes) AS file_bytes,
                sum(untimed_keys) AS untimed_keys, sum(${b.untimedColumn}) AS untimed_size, sum(expired_keys) AS expired_keys
         FROM type_stats WHERE snapshot_id = ?${f.sql}${by ? ` GROUP BY ${by} ORDER BY size DESC, ${by}` : ''}`,
      ).all(snap.id, ...f.params) as (Row & { keys: number; size: number; file_bytes: number; untimed_keys: number; untimed_size: number; expired_keys: number })[];

    const total = group('').filter((r) => r.keys !== null)[0] ?? { keys: 0, size: 0, file_bytes: 0, untimed_keys: 0, untimed_size: 0, expired_keys: 0 };
    const enc = b.estimated ? 'encoding' : 'rdb_type';
    const totals: ResultTable = {
      name: 'totals',
      columns: [
        col('keys', 'int'), col(b.name, 'bytes'), ...(b.estimated ? [col('file_bytes', 'bytes')] : []), col('used_mem', 'bytes'),
        col('untimed_keys', 'int'), col('untimed_key_share', 'percent'), col(`untimed_${b.name}`, 'bytes'), col(`untimed_${b.name}_share`, 'percent'),
        col('expired_keys', 'int'),
      ],
      rows: [{
        keys: total.keys, [b.name]: total.size, file_bytes: total.file_bytes, used_mem: snap.used_mem,
        untimed_keys: total.untimed_keys, untimed_key_share: share(total.untimed_keys, total.keys),
        [`untimed_${b.name}`]: total.untimed_size, [`untimed_${b.name}_share`]: share(total.untimed_size, total.size),
        expired_keys: total.expired_keys,
      }],
    };
    const breakdown = (name: string, title: string, keyColumns: string[], rows: ReturnType<typeof group>): ResultTable => ({
      name,
      title,
      columns: [...keyColumns.map((c) => col(c, c === 'db' ? 'int' : 'text')), col('keys', 'int'), col(b.name, 'bytes'), col(`${b.name}_share`, 'percent'), col('untimed_keys', 'int'), col('untimed_key_share', 'percent')],
      rows: rows.map((r) => ({
        ...Object.fromEntries(keyColumns.map((c) => [c, r[c] ?? null])),
        keys: r.keys, [b.name]: r.size, [`${b.name}_share`]: share(r.size, total.size),
        untimed_keys: r.untimed_keys, untimed_key_share: share(r.untimed_keys, r.keys),
      })),
    });
    const notes = [...describeSnapshot(snap), b.note];
    if (b.estimated && snap.memory_profile_reason) notes.push(`profile ${snap.memory_profile}: ${snap.memory_profile_reason}`);
    const reconciliation = b.estimated && options.type === undefined ? reconcileSnapshot(db, snap, total.size) : null;
    if (reconciliation) {
      const share = reconciliation.rows[0]!['share_explained'] as number | null;
      notes.push(`used-mem when the dump was written: ${snap.used_mem} bytes; the estimate explains ${share === null ? '?' : (share * 100).toFixed(1)}% of it (table "reconciliation")`);
    } else if (snap.used_mem !== null) {
      notes.push(`used-mem when the dump was written: ${snap.used_mem} bytes`);
    }
    return {
      report: 'summary',
      notes,
      tables: [
        totals,
        breakdown('by_db', 'By db', ['db'], group('db')),
        breakdown('by_type', 'By type', ['type', enc], group(`type, ${b.estimated ? 'encoding' : 'rdb_type'}`)),
        ...(reconciliation ? [reconciliation] : []),
      ],
    };
  },
};
