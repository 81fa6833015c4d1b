import type { ResultTable, Row, RowSource } from '../output/result.js';
import { humanTime } from '../output/human-units.js';
import type { Store } from '../store/open-store.js';
import { instanceOf, listSnapshots, type SnapshotRow } from '../store/snapshots.js';
import { ReportInputError, type Report, type ReportOptions } from './report.js';
import { MAX_TRACKED_PATTERNS, OTHER_PATTERN } from '../store/load-aggregates.js';
import { basisFor, col, compareSnapshots, filters, foldsPatterns, pickSnapshot, queryRows, share, snapshotsUpTo } from './scope.js';

const DAY_MS = 86_400_000;
/** Below this gap a per-day rate is an extrapolation from noise (two dumps minutes apart): not shown. */
const MIN_GAP_FOR_RATE_MS = 3_600_000;

/**
 * Per pattern, what changed between two snapshots (default: the last two by snapshot time): keys,
 * memory, share of keys with a TTL, absolute / percent / per-day change; new and vanished patterns.
 * Ranked by memory added (and, in a second table, removed). With more than two snapshots of the
 * instance up to `to`, a per-pattern series over them.
 */
export const growth: Report = {
  name: 'growth',
  help: 'per-pattern change between two snapshots (default the last two; --from/--to), ranked by memory added; series when > 2',
  accepts: ['instance', 'from', 'to', 'type', 'match', 'top'],
  run(db, options) {
    const { from, to, skipped } = pickPair(db, options);
    // Only one server's snapshots are compared: the series is over the snapshots of `to`'s instance
    // up to `to` (a later one is no part of a comparison that ends at `to`).
    // PARTIAL snapshots other than the pair itself are left out of it: their keys stop at a fault,
    // and each would draw every pattern dipping and recovering (the HTML page charts this series).
    const upTo = snapshotsUpTo(db, to);
    const all = upTo.filter((s) => s.status === 'complete' || s.id === from.id || s.id === to.id);
    const cutOut = upTo.filter((s) => !all.includes(s)).map((s) => s.id);
    const b = basisFor(from, to);
    // The series has its own: a snapshot in it without estimates, or with estimates of another
    // allocator build, would draw a step no key made.
    const sb = basisFor(...all);
    const f = filters(db, options, { column: 'pattern' });
    const gapMs = from.snapshot_time_ms !== null && to.snapshot_time_ms !== null ? to.snapshot_time_ms - from.snapshot_time_ms : null;
    const days = gapMs !== null && gapMs >= MIN_GAP_FOR_RATE_MS ? gapMs / DAY_MS : null;

    // A load tracks the first MAX_TRACKED_PATTERNS (pattern, type) pairs of a dump in file order and
    // adds the rest to `<other>` (store/load-aggregates.ts); the order changes night to night, so a
    // pattern missing from a snapshot that folded some is not known to be absent: it may be in
    // `<other>` there. It is neither new nor vanished, its change unknown: left out of the rankings.
    const folds = foldsPatterns(db, options);
    const unknownBefore = folds(from.id) ? 'NOT was' : '0';
    const unknownAfter = folds(to.id) ? 'NOT is_now' : '0';
    // Per pattern, both sides (a full join: a new or vanished pattern has one side only). Ranked in SQL
    // and read a row at a time when printed.
    const side = `SELECT pattern, sum(keys) AS keys, sum(${b.statsColumn}) AS size, sum(keys) - sum(untimed_keys) AS timed
                  FROM pattern_stats WHERE snapshot_id = ?${f.sql} GROUP BY pattern`;
    const joined = `WITH x AS (${side}), y AS (${side})
       SELECT * FROM (
         SELECT coalesce(x.pattern, y.pattern) AS pattern, x.pattern IS NOT NULL AS was, y.pattern IS NOT NULL AS is_now,
                coalesce(x.keys, 0) AS keys_before, coalesce(x.size, 0) AS size_before, coalesce(x.timed, 0) AS timed_before,
                coalesce(y.keys, 0) AS keys_after, coalesce(y.size, 0) AS size_after, coalesce(y.timed, 0) AS timed_after,
                coalesce(y.size, 0) - coalesce(x.size, 0) AS change
         FROM x FULL JOIN y ON y.pattern = x.pattern)`;
    const ranked = (where: string, order: string) =>
      `${joined} WHERE (${where}) AND NOT (${unknownBefore}) AND NOT (${unknownAfter}) ORDER BY ${order}, pattern LIMIT ?`;
    // Most memory added (new patterns too), most removed (vanished patterns too).
    const ADDED = ranked('change > 0 OR NOT was', 'change DESC');
    const REMOVED = ranked('change < 0 OR NOT is_now', 'change');
    const params = [from.id, ...f.params, to.id, ...f.params, options.top];
    const unknown = db.prepare(`SELECT count(*) FROM (${joined} WHERE (${unknownBefore}) OR (${unknownAfter}))`).pluck()
      .get(from.id, ...f.params, to.id, ...f.params) as number;

    const n = b.name;
    const shape = (c: Change): Row => ({
      pattern: c.pattern,
      status: !c.was ? 'new' : !c.is_now ? 'vanished' : c.change > 0 ? 'grown' : c.change < 0 ? 'shrunk' : 'same',
      keys_before: c.keys_before, keys_after: c.keys_after, keys_change: c.keys_after - c.keys_before,
      [`${n}_before`]: c.size_before, [`${n}_after`]: c.size_after, [`${n}_change`]: c.change,
      [`${n}_change_pct`]: share(c.change, c.size_before),
      [`${n}_change_per_day`]: days === null ? null : Math.round(c.change / days),
      ttl_share_before: share(c.timed_before, c.keys_before), ttl_share_after: share(c.timed_after, c.keys_after),
    });
    const columns = [col('pattern', 'text'), col('status', 'text'), col('keys_before', 'int'), col('keys_after', 'int'), col('keys_change', 'int'),
      col(`${n}_before`, 'bytes'), col(`${n}_after`, 'bytes'), col(`${n}_change`, 'bytes'), col(`${n}_change_pct`, 'percent'),
      col(`${n}_change_per_day`, 'bytes', 'the change divided by the days between the two snapshots compared (forecast and the diagnosis fit every snapshot: their rate may differ)'), col('ttl_share_before', 'percent'), col('ttl_share_after', 'percent')];

    const sizeOf = db.prepare(`SELECT coalesce(sum(${b.statsColumn}), 0) FROM pattern_stats WHERE snapshot_id = ?${f.sql}`).pluck();
    const total = (sizeOf.get(to.id, ...f.params) as number) - (sizeOf.get(from.id, ...f.params) as number);
    const tables: ResultTable[] = [
      { name: 'growth', title: `Largest growth (top ${options.top})`, columns, rows: queryRows(db.prepare(ADDED), params, shape) },
      { name: 'shrinking', title: `Largest shrink (top ${options.top})`, columns, rows: queryRows(db.prepare(REMOVED), params, shape) },
    ];
    if (all.length > 2) {
      // Its own statement: the series reads the ranking while it looks up each pattern.
      const added = db.prepare(ADDED);
      if (added.get(...params) !== undefined) tables.push(series(db, all, queryRows(added, params, (c: Change) => ({ pattern: c.pattern })), options, sb.statsColumn, sb.name));
    }
    return {
      report: 'growth',
      notes: [
        `instance ${instanceOf(to)}: from snapshot ${from.id} (${from.file_name}, ${when(from)}) to ${to.id} (${to.file_name}, ${when(to)})` +
          (days !== null ? `: ${days.toFixed(2)} days` : gapMs !== null ? `: ${Math.round(gapMs / 1000)} s apart, too close for a per-day rate` : ''),
        ...skipped,
        ...(all.length > 2 && cutOut.length > 0 ? [`PARTIAL snapshot(s) ${cutOut.join(', ')} left out of the series: their keys stop at a fault`] : []),
        ...[from, to].filter((s) => s.status === 'partial').map((s) => `PARTIAL snapshot ${s.id}: ${s.error ?? ''}`),
        ...(unknown > 0 ? [`${unknown} pattern(s) in only one of the two snapshots left out: the other tracked the first ${MAX_TRACKED_PATTERNS} patterns of its dump and added the rest to ${OTHER_PATTERN}, where these may be (their change is unknown; ${OTHER_PATTERN} changes with them)`] : []),
        b.note,
        ...(all.length > 2 && sb.name !== b.name ? [`series over the snapshots in bytes in the file: ${sb.fallback ?? ''}`] : []),
        `total ${n} change: ${total} bytes${days === null ? '' : ` (${Math.round(total / days)} per day)`}`,
      ],
      tables,
    };
  },
};

/** A row of growth's ranking query. */
interface Change {
  pattern: string;
  was: 0 | 1;
  is_now: 0 | 1;
  keys_before: number;
  size_before: number;
  timed_before: number;
  keys_after: number;
  size_after: number;
  timed_after: number;
  change: number;
}

/**
 * The two snapshots to compare, both of one instance: `--to` (default the latest complete one, of
 * `--instance` or `--from`'s instance when given) and `--from` (default the complete snapshot of the
 * same instance just before it). A PARTIAL snapshot (a dump cut short) is never a default: its keys
 * stop at the fault, so every pattern would seem to shrink after it, or grow from it. `skipped` says
 * which were passed over; given by --from or --to, a PARTIAL snapshot is compared, with a note.
 */
function pickPair(db: Store, options: ReportOptions): { from: SnapshotRow; to: SnapshotRow; skipped: string[] } {
  const skipped: string[] = [];
  const passOver = (s: SnapshotRow, option: string) =>
    skipped.push(`snapshot ${s.id} (${s.file_name}) is PARTIAL and left out of the default pair (its keys stop at a fault); give ${option} ${s.id} to compare with it`);
  // With only --from, --to defaults to the latest snapshot of --from's instance.
  const given = options.from !== undefined && options.to === undefined ? pickSnapshot(db, options.from, options.instance) : undefined;
  let to = pickSnapshot(db, options.to, options.instance ?? (given === undefined ? undefined : instanceOf(given)));
  const instance = instanceOf(to);
  const mine = listSnapshots(db, instance);
  if (options.to === undefined && to.status === 'partial') {
    // The latest complete one after --from when given: one at or before it is no --to for it, and
    // the PARTIAL latest is still a later snapshot to compare with.
    const last = mine.filter((s) => s.status === 'complete' && compareSnapshots(s, to) < 0 && (given === undefined || compareSnapshots(s, given) > 0)).at(-1);
    if (last !== undefined) {
      for (const s of mine.filter((s) => s.status === 'partial' && compareSnapshots(s, last) > 0)) passOver(s, '--to');
      to = last;
    }
  }
  let from: SnapshotRow | undefined;
  if (options.from !== undefined) {
    from = pickSnapshot(db, options.from, options.instance);
    if (instanceOf(from) !== instance) {
      throw new ReportInputError(`--from is a snapshot of instance ${JSON.stringify(instanceOf(from))} and --to of ${JSON.stringify(instance)}; growth compares snapshots of one server`);
    }
    if (from.id === to.id) {
      throw new ReportInputError(options.to === undefined
        ? `--from is snapshot ${from.id} (${from.file_name}), the latest of instance ${JSON.stringify(instance)}: no later snapshot to compare it with`
        : '--from and --to are the same snapshot');
    }
    if (compareSnapshots(from, to) > 0) {
      throw new ReportInputError(`--from (snapshot ${from.id}, ${when(from)}) is later than --to (snapshot ${to.id}, ${when(to)}); growth goes from the older snapshot to the newer: swap them`);
    }
  } else {
    const before = mine.filter((s) => compareSnapshots(s, to) < 0);
    from = before.filter((s) => s.status === 'complete').at(-1);
    if (from !== undefined) for (const s of before.filter((s) => s.status === 'partial' && compareSnapshots(s, from!) > 0)) passOver(s, '--from');
    else from = before.at(-1);
    if (!from) {
      throw new ReportInputError(mine.length < 2
        ? `growth needs two snapshots of instance ${JSON.stringify(instance)}; the database holds ${mine.length} of it (load another dump of the same server)`
        : `growth needs a snapshot of instance ${JSON.stringify(instance)} before snapshot ${to.id}; give --from`);
    }
  }
  return { from, to, skipped };
}

function when(s: SnapshotRow): string {
  return s.snapshot_time_ms === null ? 'unknown time' : humanTime(s.snapshot_time_ms);
}

/** For each pattern of `ranked` (read as the series is printed), its keys and size in every snapshot. */
function series(db: Store, all: SnapshotRow[], ranked: RowSource, options: ReportOptions, column: string, n: string): ResultTable {
  const t = filters(db, options, null);
  const stmt = db.prepare(`SELECT sum(keys) AS keys, sum(${column}) AS size FROM pattern_stats WHERE snapshot_id = ? AND pattern = ?${t.sql}`);
  return {
    name: 'series',
    title: 'Series over every snapshot up to the newer one compared, for the patterns above',
    columns: [col('pattern', 'text'), col('snapshot_id', 'int'), col('snapshot', 'text'), col('snapshot_time', 'time'), col('keys', 'int'), col(n, 'bytes')],
    rows: {
      *[Symbol.iterator]() {
        for (const { pattern } of ranked) {
          for (const s of all) {
            const r = stmt.get(s.id, pattern, ...t.params) as { keys: number | null; size: number | null };
            yield { pattern, snapshot_id: s.id, snapshot: s.file_name, snapshot_time: s.snapshot_time_ms, keys: r.keys ?? 0, [n]: r.size ?? (r.keys ? null : 0) };
          }
        }
      },
    },
  };
}
