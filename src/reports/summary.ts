import type { Column, ResultTable, Row } from '../output/result.js';
import { reconcileSnapshot } from './reconciliation.js';
import { keyPercentiles, percentileCells, percentileColumns, percentilesAvailable } from './percentiles.js';
import type { Report } from './report.js';
import { basisFor, col, describeSnapshot, filters, keyCol, pickSnapshot, share, snapshotFacts, snapshotLabels } from './scope.js';
import type { SnapshotRow } from '../store/snapshots.js';

/** What a server would do differently with this dump's keys (rdb-format.md §3.2). */
function keyspaceNotes(snap: SnapshotRow): string[] {
  const notes: string[] = [];
  if (snap.duplicate_keys !== null && snap.duplicate_keys > 0) {
    notes.push(`WARNING: ${snap.duplicate_keys} key(s) occur more than once in their db (a server refuses this file); every occurrence is counted below`);
  } else if (snap.duplicate_keys === null) {
    notes.push('duplicate keys: not checked (a dump too large to check in memory, loaded without --check-duplicates or with per-key rows limited; or loaded by an older rdbscope)');
  }
  if (snap.empty_keys > 0) {
    notes.push(`${snap.empty_keys} empty key(s) a server drops on load (lists, sets, zsets or hashes without elements): not counted below`);
  }
  return notes;
}

/**
 * Keys and memory by db, type and encoding; what share has no TTL; the server's own `used-mem` beside
 * the total. Reads type_stats, which every load fills completely.
 */
export const summary: Report = {
  name: 'summary',
  help: 'keys, memory and file bytes by db, type and encoding (with p50/p90/p99/max per key); share with no TTL; used-mem from the file',
  accepts: ['snapshot', 'instance', 'type'],
  // "summary" is a Prometheus metric type (promtool refuses it in names): the families say keyspace.
  metrics: { name: 'keyspace', tables: ['totals', 'by_db', 'by_type', 'reconciliation'] },
  run(db, options) {
    const snap = pickSnapshot(db, options.snapshot, options.instance);
    const b = basisFor(snap);
    const f = filters(db, options, null);
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
    const breakdown = (name: string, title: string, keyColumns: string[], rows: ReturnType<typeof group>, extra?: { columns: Column[]; cells: (r: Row) => Row }): ResultTable => ({
      name,
      title,
      columns: [...keyColumns.map((c) => (c === 'db' ? keyCol(c, 'int') : col(c, 'text'))), col('keys', 'int'), col(b.name, 'bytes'), col(`${b.name}_share`, 'percent'),
        col('untimed_keys', 'int'), col('untimed_key_share', 'percent'), ...(extra?.columns ?? [])],
      rows: rows.map((r) => ({
        ...Object.fromEntries(keyColumns.map((c) => [c, r[c] ?? null])),
        keys: r.keys, [b.name]: r.size, [`${b.name}_share`]: share(r.size, total.size),
        untimed_keys: r.untimed_keys, untimed_key_share: share(r.untimed_keys, r.keys),
        ...(extra?.cells(r) ?? {}),
      })),
    });
    const notes = [...describeSnapshot(snap), b.note];
    if (b.estimated && snap.memory_profile_reason) notes.push(`profile ${snap.memory_profile}: ${snap.memory_profile_reason}`);
    notes.push(...keyspaceNotes(snap));
    // Per-key size and element percentiles by type and encoding, from the key rows.
    const pct = percentilesAvailable(snap);
    let byKind = new Map<string, Row>();
    if (pct.available) {
      const kinds = new Map((db.prepare(`SELECT id, type, ${enc} AS enc FROM key_kinds`).all() as { id: number; type: string; enc: string | null }[])
        .filter((k) => options.type === undefined || k.type === options.type)
        .map((k) => [k.id, `${k.type}\0${k.enc}`]));
      byKind = keyPercentiles(db, snap, b.keysColumn, b.name, (kind) => kinds.get(kind) ?? null);
    } else if (pct.note) {
      notes.push(pct.note);
    }
    const percentiles = { columns: percentileColumns(b.name), cells: (r: Row) => percentileCells(byKind.get(`${r['type']}\0${r[enc]}`), b.name) };
    const reconciliation = b.estimated && options.type === undefined ? reconcileSnapshot(db, snap, total.size) : null;
    if (reconciliation) {
      const share = reconciliation.rows[0]!['share_explained'] as number | null;
      notes.push(`used-mem when the dump was written: ${snap.used_mem} bytes; the estimate explains ${share === null ? '?' : (share * 100).toFixed(1)}% of it (table "reconciliation")`);
    } else if (snap.used_mem !== null) {
      notes.push(`used-mem when the dump was written: ${snap.used_mem} bytes`);
    }
    return {
      report: 'summary',
      // A summary of one type is labelled so: its totals are not the same series as the whole keyspace's.
      labels: options.type === undefined ? snapshotLabels(snap) : { ...snapshotLabels(snap), type: options.type },
      snapshot: snapshotFacts(snap),
      notes,
      tables: [
        totals,
        breakdown('by_db', 'By db', ['db'], group('db')),
        breakdown('by_type', 'By type', ['type', enc], group(`type, ${b.estimated ? 'encoding' : 'rdb_type'}`), percentiles),
        ...(reconciliation ? [reconciliation] : []),
      ],
    };
  },
};
