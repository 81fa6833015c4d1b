import type { ResultTable, Row } from '../output/result.js';
import { isoTime } from '../output/result.js';
import type { Store } from '../store/open-store.js';
import { listSnapshots, type SnapshotRow } from '../store/snapshots.js';
import { ReportInputError, type Report, type ReportOptions } from './report.js';
import { basisFor, col, filters, pickSnapshot, share } from './scope.js';

const DAY_MS = 86_400_000;
/** Below this gap a per-day rate is an extrapolation from noise (two dumps minutes apart): not shown. */
const MIN_GAP_FOR_RATE_MS = 3_600_000;

interface Side {
  keys: number;
  size: number;
  timed: number;
}

/**
 * Per pattern, what changed between two snapshots (default: the last two by snapshot time): keys,
 * memory, share of keys with a TTL, absolute / percent / per-day change; new and vanished patterns.
 * Ranked by memory added (and, in a second table, removed). With more than two snapshots in the
 * database, a per-pattern series over all of them.
 */
export const growth: Report = {
  name: 'growth',
  help: 'per-pattern change between two snapshots (default the last two; --from/--to), ranked by memory added; series when > 2',
  accepts: ['from', 'to', 'type', 'match', 'top'],
  run(db, options) {
    const all = listSnapshots(db);
    const [from, to] = pickPair(db, all, options);
    const b = basisFor(from, to);
    const f = filters(options, 'pattern');
    const side = (snap: SnapshotRow) =>
      new Map(
        (db.prepare(
          `SELECT pattern, sum(keys) AS keys, sum(${b.statsColumn}) AS size, sum(keys) - sum(untimed_keys) AS timed
           FROM pattern_stats WHERE snapshot_id = ?${f.sql} GROUP BY pattern`,
        ).all(snap.id, ...f.params) as (Side & { pattern: string })[]).map(({ pattern, ...s }) => [pattern, s]),
      );
    const before = side(from);
    const after = side(to);
    const gapMs = from.snapshot_time_ms !== null && to.snapshot_time_ms !== null ? to.snapshot_time_ms - from.snapshot_time_ms : null;
    const days = gapMs !== null && Math.abs(gapMs) >= MIN_GAP_FOR_RATE_MS ? gapMs / DAY_MS : null;

    const n = b.name;
    const rows: (Row & { change: number })[] = [];
    for (const pattern of new Set([...before.keys(), ...after.keys()])) {
      const x = before.get(pattern) ?? { keys: 0, size: 0, timed: 0 };
      const y = after.get(pattern) ?? { keys: 0, size: 0, timed: 0 };
      const change = y.size - x.size;
      rows.push({
        pattern,
        status: !before.has(pattern) ? 'new' : !after.has(pattern) ? 'vanished' : change > 0 ? 'grown' : change < 0 ? 'shrunk' : 'same',
        keys_before: x.keys, keys_after: y.keys, keys_change: y.keys - x.keys,
        [`${n}_before`]: x.size, [`${n}_after`]: y.size, [`${n}_change`]: change,
        [`${n}_change_pct`]: share(change, x.size),
        [`${n}_change_per_day`]: days === null ? null : Math.round(change / days),
        ttl_share_before: share(x.timed, x.keys), ttl_share_after: share(y.timed, y.keys),
        change,
      });
    }
    const columns = [col('pattern', 'text'), col('status', 'text'), col('keys_before', 'int'), col('keys_after', 'int'), col('keys_change', 'int'),
      col(`${n}_before`, 'bytes'), col(`${n}_after`, 'bytes'), col(`${n}_change`, 'bytes'), col(`${n}_change_pct`, 'percent'),
      col(`${n}_change_per_day`, 'bytes'), col('ttl_share_before', 'percent'), col('ttl_share_after', 'percent')];
    const byPattern = (a: Row, c: Row) => String(a.pattern) < String(c.pattern) ? -1 : 1;
    const added = rows.filter((r) => r.change > 0 || (r.status === 'new')).sort((a, c) => c.change - a.change || byPattern(a, c)).slice(0, options.top);
    const removed = rows.filter((r) => r.change < 0 || r.status === 'vanished').sort((a, c) => a.change - c.change || byPattern(a, c)).slice(0, options.top);
    const strip = (rs: typeof rows) => rs.map(({ change: _c, ...r }) => r);

    const sum = (m: Map<string, Side>) => [...m.values()].reduce((s, v) => s + v.size, 0);
    const total = sum(after) - sum(before);
    const tables: ResultTable[] = [
      { name: 'growth', title: `Largest growth (top ${options.top})`, columns, rows: strip(added) },
      { name: 'shrinking', title: `Largest shrink (top ${options.top})`, columns, rows: strip(removed) },
    ];
    if (all.length > 2 && added.length > 0) tables.push(series(db, all, added.map((r) => String(r.pattern)), options, b.statsColumn, n));
    return {
      report: 'growth',
      notes: [
        `from snapshot ${from.id} (${from.file_name}, ${when(from)}) to ${to.id} (${to.file_name}, ${when(to)})` +
          (days !== null ? `: ${days.toFixed(2)} days` : gapMs !== null ? `: ${Math.round(gapMs / 1000)} s apart, too close for a per-day rate` : ''),
        ...[from, to].filter((s) => s.status === 'partial').map((s) => `PARTIAL snapshot ${s.id}: ${s.error ?? ''}`),
        b.note,
        `total ${n} change: ${total} bytes${days === null ? '' : ` (${Math.round(total / days)} per day)`}`,
      ],
      tables,
    };
  },
};

function pickPair(db: Store, all: SnapshotRow[], options: ReportOptions): [SnapshotRow, SnapshotRow] {
  if (options.from !== undefined || options.to !== undefined) {
    const to = options.to !== undefined ? pickSnapshot(db, options.to) : all.at(-1);
    const from = options.from !== undefined ? pickSnapshot(db, options.from) : all.filter((s) => s.id !== to?.id && order(s, to!) < 0).at(-1);
    if (!from || !to) throw new ReportInputError('growth needs a snapshot before --to; give --from');
    if (from.id === to.id) throw new ReportInputError('--from and --to are the same snapshot');
    return [from, to];
  }
  if (all.length < 2) throw new ReportInputError(`growth needs two snapshots; the database holds ${all.length} (load another dump of the same server)`);
  return [all.at(-2)!, all.at(-1)!];
}

/** Snapshot order: snapshot time, then load order. */
function order(a: SnapshotRow, b: SnapshotRow): number {
  return (a.snapshot_time_ms ?? 0) - (b.snapshot_time_ms ?? 0) || a.id - b.id;
}

function when(s: SnapshotRow): string {
  return s.snapshot_time_ms === null ? 'unknown time' : isoTime(s.snapshot_time_ms);
}

function series(db: Store, all: SnapshotRow[], patterns: string[], options: ReportOptions, column: string, n: string): ResultTable {
  const t = filters(options, null);
  const stmt = db.prepare(`SELECT sum(keys) AS keys, sum(${column}) AS size FROM pattern_stats WHERE snapshot_id = ? AND pattern = ?${t.sql}`);
  const rows: Row[] = [];
  for (const pattern of patterns) {
    for (const s of all) {
      const r = stmt.get(s.id, pattern, ...t.params) as { keys: number | null; size: number | null };
      rows.push({ pattern, snapshot_id: s.id, snapshot: s.file_name, snapshot_time: s.snapshot_time_ms, keys: r.keys ?? 0, [n]: r.size ?? (r.keys ? null : 0) });
    }
  }
  return {
    name: 'series',
    title: 'Series over every snapshot, for the patterns above',
    columns: [col('pattern', 'text'), col('snapshot_id', 'int'), col('snapshot', 'text'), col('snapshot_time', 'time'), col('keys', 'int'), col(n, 'bytes')],
    rows,
  };
}
