import { humanBytes, humanTime } from '../output/human-units.js';
import type { Column, ResultTable, Row } from '../output/result.js';
import { isoTime } from '../output/result.js';
import type { Store } from '../store/open-store.js';
import { instanceOf, listSnapshots, type SnapshotRow } from '../store/snapshots.js';
import { linearFit, reachesAt, type LinearFit } from './linear-fit.js';
import { reconcileSnapshot } from './reconciliation.js';
import type { Report } from './report.js';
import { MAX_TRACKED_PATTERNS, OTHER_PATTERN } from '../store/load-aggregates.js';
import { basisFor, col, foldsPatterns, pickSnapshot, share, snapshotFacts, snapshotsUpTo } from './scope.js';
import { ALARM_SHARE, DAY_MS, FORECAST_HORIZON_DAYS, MIN_FORECAST_SNAPSHOTS, MIN_SNAPSHOT_SPACING_MS } from './thresholds.js';

/**
 * When does it hit the wall: memory and keys per day over every snapshot of one instance, by a least
 * squares line (linear-fit.ts says why that fit), in total and per pattern, with the date the total
 * reaches the 85% alarm and maxmemory. Patterns born or vanished inside the window are listed, not
 * fitted. Reads only the complete aggregates (type_stats, pattern_stats) and the snapshots' used-mem.
 */
export const forecast: Report = {
  name: 'forecast',
  help: 'memory and keys per day over every snapshot of an instance (least squares), per pattern; with --maxmemory the dates the 85% alarm and maxmemory are reached; --snapshot: as of that snapshot',
  accepts: ['snapshot', 'instance', 'top', 'maxmemory'],
  metrics: { name: 'forecast', tables: ['total', 'wall', 'patterns'] },
  run(db, options) {
    // The series ends at --snapshot (default the latest): a forecast as of an older snapshot uses
    // only what was known then.
    const latest = pickSnapshot(db, options.snapshot, options.instance);
    const instance = instanceOf(latest);
    const upTo = snapshotsUpTo(db, latest);
    const later = listSnapshots(db, instance).length - upTo.length;
    const plan = planSeries(upTo);
    const used = plan.used;
    const b = basisFor(...(used.length ? used : [latest]));
    const m = b.name;
    const notes = [`instance ${instance}: ${plan.all} snapshot(s)${later > 0 ? ` up to snapshot ${latest.id} (${latest.file_name}); ${later} later one(s) left out` : ''}`, ...plan.notes, b.note];
    const series = seriesRows(db, used, b.statsColumn);
    const usedMemKnown = series.every((s) => s.snap.used_mem !== null);
    // Without used-mem the wall is measured on what a server loading each dump would hold by the
    // memory model (keys, dict buckets, expires, an empty server: the figure capacity compares), not
    // on the keys alone, which leave out ~1 MB of server and the keyspace's own tables.
    const explained = usedMemKnown || !b.estimated ? [] : series.map((s) => reconcileSnapshot(db, s.snap, s.size, { withoutUsedMem: true })?.rows[0]?.['explained']);
    const loaded = explained.length > 0 && explained.every((v) => typeof v === 'number') ? (explained as number[]) : null;
    const tables: ResultTable[] = [];
    const seriesTable: ResultTable = {
      name: 'series',
      title: 'Every snapshot used',
      columns: [col('snapshot_id', 'int'), col('snapshot', 'text'), col('snapshot_time', 'time'), col('used_mem', 'bytes'),
        ...(loaded !== null ? [col('estimated_used', 'bytes', 'what a server loading the dump would hold by the memory model (the dump has no used-mem)')] : []),
        col(m, 'bytes'), col('keys', 'int')],
      rows: series.map((s, i) => ({
        snapshot_id: s.snap.id, snapshot: s.snap.file_name, snapshot_time: s.t, used_mem: s.snap.used_mem,
        ...(loaded !== null ? { estimated_used: loaded[i]! } : {}), [m]: s.size, keys: s.keys,
      })),
    };
    if (used.length < MIN_FORECAST_SNAPSHOTS) {
      notes.push(`no forecast: it needs ${MIN_FORECAST_SNAPSHOTS} snapshots of the instance at least ${MIN_SNAPSHOT_SPACING_MS / 3_600_000} h apart; ${used.length} usable`);
      return { report: 'forecast', notes, tables: [seriesTable], labels: { instance }, snapshot: snapshotFacts(latest) };
    }

    const t0 = series[0]!.t;
    const lastT = series.at(-1)!.t;
    const xs = series.map((s) => (s.t - t0) / DAY_MS);
    const lastX = xs.at(-1)!;
    const days = lastX;
    notes.push(`fit: least squares over ${used.length} snapshots from ${humanTime(t0)} to ${humanTime(lastT)} (${days.toFixed(1)} days); R² and the residual RMS say how straight the series is`);

    const fits: { measure: string; unit: 'bytes' | 'keys'; fit: LinearFit; last: number }[] = [];
    if (usedMemKnown) fits.push({ measure: 'used_mem', unit: 'bytes', fit: linearFit(xs, series.map((s) => s.snap.used_mem!)), last: series.at(-1)!.snap.used_mem! });
    if (loaded !== null) fits.push({ measure: 'estimated_used', unit: 'bytes', fit: linearFit(xs, loaded), last: loaded.at(-1)! });
    const sizeFit = linearFit(xs, series.map((s) => s.size));
    fits.push({ measure: m, unit: 'bytes', fit: sizeFit, last: series.at(-1)!.size });
    fits.push({ measure: 'keys', unit: 'keys', fit: linearFit(xs, series.map((s) => s.keys)), last: series.at(-1)!.keys });
    tables.push({
      name: 'total',
      title: 'Total per day',
      // One row per measure, bytes or keys: their figures are shown in the row's unit (Column.unitFrom).
      columns: [col('measure', 'text'), { ...col('unit', 'text', 'bytes or keys: what the row\'s figures count'), key: false },
        inUnit(col('last', 'int', 'value in the last snapshot')), inUnit(col('per_day', 'float', 'growth per day (least squares slope)')),
        col('r2', 'float', 'R² of the fit (1 = a straight line)'), inUnit(col('residual_rms', 'float', 'root mean square distance of the snapshots from the line')),
        inUnit(col('fitted_last', 'int', 'the line at the last snapshot')), inUnit(col('projected_30d', 'int', 'the line 30 days after the last snapshot')),
        inUnit(col('projected_90d', 'int', 'the line 90 days after the last snapshot')), col('snapshots', 'int'), col('span_days', 'days', 'time from the first to the last snapshot used')],
      rows: fits.map((f) => ({
        measure: f.measure, unit: f.unit, last: f.last, per_day: f.fit.slope, r2: f.fit.r2, residual_rms: f.fit.residualRms,
        fitted_last: Math.round(f.fit.at(lastX)), projected_30d: Math.round(f.fit.at(lastX + 30)), projected_90d: Math.round(f.fit.at(lastX + 90)),
        snapshots: f.fit.n, span_days: days,
      })),
    });

    const patterns = patternSeries(db, used, xs, b.statsColumn);
    const fitted = patterns.filter((p) => p.status === 'fitted');
    const unknown = patterns.filter((p) => p.status === 'unknown').length;
    if (unknown > 0) {
      notes.push(`${unknown} pattern(s) left out: missing from snapshot(s) that tracked the first ${MAX_TRACKED_PATTERNS} patterns of their dump and added the rest to ${OTHER_PATTERN}, where these may be (their series is unknown)`);
    }
    const ranked = fitted.sort((a, c) => c.fit!.slope - a.fit!.slope || (a.pattern < c.pattern ? -1 : 1)).slice(0, options.top);

    // The wall: the measure the server compares with maxmemory (used-mem; the estimate of the loaded
    // server when the dumps record none; none without a memory model).
    const wallMeasure = fits[0]!;
    // Bytes of values in the file are no measure of memory (compressed, without per-key overhead:
    // a fraction of what a server holds): no date from them, as capacity compares nothing then.
    const noMemoryMeasure = wallMeasure.measure === 'file_bytes';
    if (options.maxmemory !== undefined && options.maxmemory > 0 && noMemoryMeasure) {
      const without = series.filter((s) => s.snap.used_mem === null).length;
      const dumps = without === series.length ? 'the dumps record' : `${without} of the ${series.length} dumps record`;
      // Estimates of two allocator builds are not compared (scope.ts basisFor): a line through them
      // would date the wall by the build's rounding.
      const estimates = used.every((s) => s.memory_profile !== null) ? 'their memory estimates assume two allocator builds' : 'have no memory estimates';
      notes.push(`no dates for the alarm and maxmemory: ${dumps} no used-mem and ${estimates}; the bytes of the values in the file are far below what a server holds`);
    } else if (options.maxmemory !== undefined && options.maxmemory > 0) {
      const maxmemory = options.maxmemory;
      const wall: Row[] = [];
      for (const [threshold, bytes] of [['alarm', Math.floor(maxmemory * ALARM_SHARE)], ['maxmemory', maxmemory]] as const) {
        const fitNow = wallMeasure.fit.at(lastX);
        const x = reachesAt(wallMeasure.fit, bytes, lastX);
        const past = fitNow >= bytes || wallMeasure.last >= bytes;
        const beyond = x !== null && !past && x - lastX > FORECAST_HORIZON_DAYS;
        // Past (the last snapshot or the line at it) is reached "now" whatever the slope: a last
        // snapshot above the threshold on a falling line is still past it, as the note says.
        wall.push({
          threshold, bytes, measure: wallMeasure.measure,
          reached_at: past ? lastT : x === null || beyond ? null : Math.round(t0 + x * DAY_MS),
          days_from_last: past ? 0 : x === null ? null : x - lastX,
        });
        const name = threshold === 'alarm' ? `the ${ALARM_SHARE * 100}% alarm (${humanBytes(bytes)})` : `maxmemory (${humanBytes(bytes)})`;
        const rate = `${humanBytes(Math.round(wallMeasure.fit.slope))}/day`;
        // Past on the fitted line only: the last snapshot itself is below the threshold, and saying
        // it is past would contradict capacity, which reads that snapshot.
        const pastMeasured = wallMeasure.last >= bytes;
        notes.push(past && pastMeasured ? `${wallMeasure.measure} is already past ${name}`
          : past ? `${wallMeasure.measure} is ${humanBytes(wallMeasure.last)} in the last snapshot, below ${name}, but its fitted line is already past it: it can be reached any time`
          : x === null ? `${wallMeasure.measure} is not growing: ${name} is not reached on this trend`
            : beyond ? `${wallMeasure.measure} reaches ${name} only in more than ${FORECAST_HORIZON_DAYS / 365.25} years at ${rate}: no date`
              : `${wallMeasure.measure} reaches ${name} on ${isoTime(t0 + x * DAY_MS).slice(0, 10)}, in ${(x - lastX).toFixed(1)} days at ${rate}`);
      }
      if (wallMeasure.measure !== 'used_mem') {
        const without = series.filter((s) => s.snap.used_mem === null).length;
        notes.push(`${without === series.length ? 'the dumps record' : `${without} of the ${series.length} dumps record`} no used-mem: the wall is forecast from the memory estimates`);
      }
      tables.push({
        name: 'wall',
        title: 'When the total reaches the alarm and maxmemory',
        columns: [col('threshold', 'text'), col('bytes', 'bytes'), { ...col('measure', 'text'), key: false }, col('reached_at', 'time', 'date the fitted line reaches the threshold (the last snapshot when already past)'),
          col('days_from_last', 'days', 'time from the last snapshot')],
        rows: wall,
      });
      const drivers = ranked.filter((p) => p.fit!.slope > 0).slice(0, 3);
      if (drivers.length && sizeFit.slope > 0) {
        notes.push(`driven by: ${drivers.map((p) => `${p.pattern} ${((p.fit!.slope / sizeFit.slope) * 100).toFixed(0)}%`).join(', ')} of the growth`);
      }
    } else if (options.maxmemory === 0) {
      // Redis reads maxmemory 0 as no limit (redis.conf: "maxmemory <bytes>", 0 = unlimited on 64-bit).
      notes.push('maxmemory 0: Redis has no memory limit, so there is no alarm or maxmemory date; the host\'s RAM is the limit (report capacity --ram)');
    } else {
      notes.push('no maxmemory given: add --maxmemory <size> (or --redis-conf) for the dates the alarm and maxmemory are reached');
    }

    tables.push({
      name: 'patterns',
      title: `Patterns by ${m} added per day (top ${options.top})`,
      columns: [col('pattern', 'text'), col('snapshots', 'int', 'snapshots the pattern is in'), col('keys_last', 'int'), col(`${m}_last`, 'bytes'),
        col(`${m}_per_day`, 'bytes', 'growth per day (least squares slope)'), col('keys_per_day', 'float'), col('r2', 'float'),
        col('share_of_growth', 'percent', 'the pattern\'s slope / the total\'s slope'), col('fitted_last', 'bytes'), col('projected_30d', 'bytes', 'the line 30 days after the last snapshot')],
      rows: ranked.map((p) => ({
        pattern: p.pattern, snapshots: p.present, keys_last: p.keys.at(-1)!, [`${m}_last`]: p.size.at(-1)!, [`${m}_per_day`]: Math.round(p.fit!.slope),
        keys_per_day: p.keyFit!.slope, r2: p.fit!.r2, share_of_growth: sizeFit.slope > 0 ? share(p.fit!.slope, sizeFit.slope) : null,
        fitted_last: Math.round(p.fit!.at(lastX)), projected_30d: Math.round(p.fit!.at(lastX + 30)),
      })),
    });
    const changed = patterns.filter((p) => p.status !== 'fitted' && p.status !== 'unknown');
    tables.push({
      name: 'born_vanished',
      title: 'Patterns born or vanished inside the window (not fitted)',
      columns: [col('pattern', 'text'), col('status', 'text'), col('first_seen', 'time'), col('last_seen', 'time'), col(`${m}_at_last_seen`, 'bytes'), col('keys_at_last_seen', 'int')],
      rows: changed
        .sort((a, c) => (a.status < c.status ? -1 : a.status > c.status ? 1 : c.lastSize - a.lastSize))
        .slice(0, options.top)
        .map((p) => ({ pattern: p.pattern, status: p.status, first_seen: series[p.first]!.t, last_seen: series[p.last]!.t, [`${m}_at_last_seen`]: p.lastSize, keys_at_last_seen: p.lastKeys })),
    });
    tables.push({
      name: 'pattern_series',
      title: 'The ranked patterns in every snapshot, with their fitted line',
      columns: [col('pattern', 'text'), col('snapshot_time', 'time'), col(m, 'bytes'), col('fitted', 'bytes')],
      // Made as printed: --top may rank every pattern.
      rows: {
        *[Symbol.iterator]() {
          for (const p of ranked) for (const [i, s] of series.entries()) yield { pattern: p.pattern, snapshot_time: s.t, [m]: p.size[i]!, fitted: Math.round(p.fit!.at(xs[i]!)) };
        },
      },
    });
    tables.push(seriesTable);
    return { report: 'forecast', notes, tables, labels: { instance }, snapshot: snapshotFacts(latest) };
  },
};

/** A figure of the total table, in the unit its row names. */
function inUnit(column: Column): Column {
  return { ...column, unitFrom: 'unit' };
}

/**
 * The snapshots a forecast can use: finished, complete, with a time, each at least
 * MIN_SNAPSHOT_SPACING_MS before the next one used. Of two closer ones the earlier is skipped: the
 * last snapshot is the one the forecast is as of (the diagnosis of a dump taken just after the OOM,
 * minutes after the nightly one, must not forecast from the nightly one and call maxmemory days
 * away when that dump is past it).
 */
function planSeries(all: SnapshotRow[]): { used: SnapshotRow[]; all: number; notes: string[] } {
  const notes: string[] = [];
  const partial = all.filter((s) => s.status !== 'complete');
  if (partial.length) notes.push(`${partial.length} partial snapshot(s) left out (${partial.map((s) => s.id).join(', ')}): their keys stop at a fault`);
  const timeless = all.filter((s) => s.status === 'complete' && s.snapshot_time_ms === null);
  if (timeless.length) notes.push(`${timeless.length} snapshot(s) without a time left out`);
  const usable = all.filter((s) => s.status === 'complete' && s.snapshot_time_ms !== null);
  const used: SnapshotRow[] = [];
  const close: number[] = [];
  // From the last back: `all` is in time order (snapshotsUpTo), so each kept one is the next in time.
  for (let i = usable.length - 1; i >= 0; i--) {
    const s = usable[i]!;
    const next = used.at(-1);
    if (next && next.snapshot_time_ms! - s.snapshot_time_ms! < MIN_SNAPSHOT_SPACING_MS) close.push(s.id);
    else used.push(s);
  }
  used.reverse();
  close.reverse();
  if (close.length) notes.push(`${close.length} snapshot(s) less than ${MIN_SNAPSHOT_SPACING_MS / 3_600_000} h before the next one used left out (${close.join(', ')})`);
  return { used, all: all.length, notes };
}

interface SeriesPoint {
  snap: SnapshotRow;
  t: number;
  size: number;
  keys: number;
}

function seriesRows(db: Store, used: SnapshotRow[], column: string): SeriesPoint[] {
  const stmt = db.prepare(`SELECT coalesce(sum(${column}), 0) AS size, coalesce(sum(keys), 0) AS keys FROM type_stats WHERE snapshot_id = ?`);
  return used.map((snap) => {
    const r = stmt.get(snap.id) as { size: number; keys: number };
    return { snap, t: snap.snapshot_time_ms!, size: r.size, keys: r.keys };
  });
}

interface PatternTrack {
  pattern: string;
  size: Float64Array;
  keys: Float64Array;
  /** 1 for each used snapshot the pattern is in. */
  seen: Uint8Array;
  present: number;
  first: number;
  last: number;
  lastSize: number;
  lastKeys: number;
  /** `unknown`: missing from a snapshot that folded patterns into `<other>`, where it may be. */
  status: 'fitted' | 'born' | 'vanished' | 'born and vanished' | 'unknown';
  fit: LinearFit | null;
  keyFit: LinearFit | null;
}

/**
 * Every pattern's size and keys in every used snapshot (0 where absent), fitted when it spans the
 * window. Absent from a snapshot that folded patterns into `<other>` (a load tracks the first
 * MAX_TRACKED_PATTERNS of a dump, in file order, which changes night to night), a pattern may be in
 * `<other>` there: its series is unknown, neither 0 nor a birth or a death.
 */
function patternSeries(db: Store, used: SnapshotRow[], xs: number[], column: string): PatternTrack[] {
  const n = used.length;
  const folds = foldsPatterns(db, { top: 1 });
  const folded = used.map((s) => folds(s.id));
  const tracks = new Map<string, PatternTrack>();
  const stmt = db.prepare(`SELECT pattern, sum(keys) AS keys, coalesce(sum(${column}), 0) AS size FROM pattern_stats WHERE snapshot_id = ? GROUP BY pattern`);
  used.forEach((snap, i) => {
    for (const r of stmt.iterate(snap.id) as IterableIterator<{ pattern: string; keys: number; size: number }>) {
      let t = tracks.get(r.pattern);
      if (!t) {
        t = { pattern: r.pattern, size: new Float64Array(n), keys: new Float64Array(n), seen: new Uint8Array(n), present: 0, first: i, last: i, lastSize: 0, lastKeys: 0, status: 'fitted', fit: null, keyFit: null };
        tracks.set(r.pattern, t);
      }
      t.size[i] = r.size;
      t.keys[i] = r.keys;
      t.seen[i] = 1;
      t.present++;
      t.last = i;
      t.lastSize = r.size;
      t.lastKeys = r.keys;
    }
  });
  for (const t of tracks.values()) {
    if (folded.some((f, i) => f && !t.seen[i])) {
      t.status = 'unknown';
      continue;
    }
    const born = t.first > 0;
    const vanished = t.last < n - 1;
    t.status = born && vanished ? 'born and vanished' : born ? 'born' : vanished ? 'vanished' : 'fitted';
    if (t.status === 'fitted') {
      t.fit = linearFit(xs, t.size);
      t.keyFit = linearFit(xs, t.keys);
    }
  }
  return [...tracks.values()];
}

