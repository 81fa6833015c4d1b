import type Database from 'better-sqlite3';
import { errorCodeIn } from '../core/errors.js';
import { parseProfile } from '../memory/index.js';
import type { Column, ReportResult, Row, RowSource } from '../output/result.js';
import { humanTime } from '../output/human-units.js';
import { OTHER_PATTERN } from '../store/load-aggregates.js';
import type { Store } from '../store/open-store.js';
import { instanceOf, instancesNamedBy, listInstances, listSnapshots, resolveSnapshot, type SnapshotRow } from '../store/snapshots.js';
import { globSql } from './glob-sql.js';
import { ReportInputError, type ReportOptions } from './report.js';

/**
 * The snapshot a report is about (`ref`, else the latest; of `instance` when given), or a
 * ReportInputError naming what is available.
 */
export function pickSnapshot(db: Store, ref: string | undefined, instance?: string): SnapshotRow {
  const several = ref === undefined ? null : instancesNamedBy(db, ref, instance);
  if (several !== null) throw new ReportInputError(`${JSON.stringify(ref)} names snapshots of ${several.length} instances (${several.join(', ')}): add --instance <name>, or give the snapshot's id`);
  const snap = resolveSnapshot(db, ref, instance);
  if (snap) return snap;
  if (listSnapshots(db).length === 0) throw new ReportInputError('the database holds no snapshot yet (run `rdbscope load` first)');
  const all = listSnapshots(db, instance);
  if (instance !== undefined && all.length === 0) {
    throw new ReportInputError(`no snapshot of instance ${JSON.stringify(instance)}; instances: ${listInstances(db).join(', ')}`);
  }
  throw new ReportInputError(`no snapshot ${JSON.stringify(ref)}${instance === undefined ? '' : ` of instance ${JSON.stringify(instance)}`}; known: ${all.map((s) => `${s.id} (${s.file_name})`).join(', ')}`);
}

/**
 * Snapshot order within an instance: snapshot time, then id (load order) between snapshots of one
 * time; a snapshot without a time comes first. The order of listSnapshots.
 */
export function compareSnapshots(a: SnapshotRow, b: SnapshotRow): number {
  const ta = a.snapshot_time_ms;
  const tb = b.snapshot_time_ms;
  if (ta !== tb) {
    if (ta === null) return -1;
    if (tb === null) return 1;
    return ta - tb;
  }
  return a.id - b.id;
}

/**
 * The snapshots of `snap`'s instance up to and including it, oldest first: what a report about
 * `snap` may compare it with. A later snapshot is never part of it, so a report of an older
 * snapshot says what was known then.
 */
export function snapshotsUpTo(db: Store, snap: SnapshotRow): SnapshotRow[] {
  return listSnapshots(db, instanceOf(snap)).filter((s) => compareSnapshots(s, snap) <= 0);
}

/**
 * What "memory" means in a report: the memory model's estimate when every snapshot involved has one
 * made with one allocator build, else the bytes of the value in the file — and the header says which,
 * so no figure is passed off as an estimate it is not.
 */
export interface Basis {
  estimated: boolean;
  /** Output column name: `memory` or `file_bytes`. */
  name: 'memory' | 'file_bytes';
  /** Column in keys. */
  keysColumn: 'memory_bytes' | 'value_bytes';
  /** Columns in the *_stats tables. */
  statsColumn: 'memory_bytes' | 'file_bytes';
  untimedColumn: 'untimed_memory' | 'untimed_file_bytes';
  note: string;
  /** Why the figures are bytes in the file, as a clause (`one of them has no memory estimates`); null when estimated. */
  fallback: string | null;
}

export function basisFor(...snapshots: SnapshotRow[]): Basis {
  const builds = allocatorBuilds(snapshots);
  const estimated = snapshots.every((s) => s.memory_profile !== null) && builds === null;
  if (estimated) {
    return { estimated, name: 'memory', keysColumn: 'memory_bytes', statsColumn: 'memory_bytes', untimedColumn: 'untimed_memory', fallback: null,
      note: `memory: estimated by the memory model (profile ${[...new Set(snapshots.map((s) => s.memory_profile))].join(', ')})` };
  }
  const fileBytes = { estimated, name: 'file_bytes', keysColumn: 'value_bytes', statsColumn: 'file_bytes', untimedColumn: 'untimed_file_bytes' } as const;
  if (builds === null || snapshots.some((s) => s.memory_profile === null)) {
    return { ...fileBytes, fallback: 'one of them has no memory estimates', note: 'memory model not available: ranking by bytes in the file' };
  }
  return {
    ...fileBytes,
    fallback: 'their memory estimates assume two allocator builds',
    note: `memory estimates not compared: they assume two allocator builds of the server (${builds}), told apart per dump by its used-mem; ` +
      'the builds round allocations differently, which would show as growth of keys that did not change: compared by bytes in the file ' +
      '(a database loaded with --server naming one build compares memory)',
  };
}

/**
 * The snapshots grouped by the jemalloc quantum their estimates assume (`redis-7.0` for 1, 2;
 * `redis-7.0-q16` for 3), or null when they all assume one. The build of a dump is told by its
 * used-mem (memory/build-choice.ts), dump by dump: one server's small dumps keep the official build
 * (quantum 8) and its larger ones may be told a distro build (quantum 16), whose estimates of the
 * same keys are larger (a 3-field hash: 104 bytes, 120 with quantum 16). Estimates of two releases
 * with one quantum are compared: an upgrade does change what a server holds.
 */
function allocatorBuilds(snapshots: SnapshotRow[]): string | null {
  const byQuantum = new Map<number, Map<string, number[]>>();
  for (const s of snapshots) {
    if (s.memory_profile === null) continue;
    let quantum: number;
    try {
      quantum = parseProfile(s.memory_profile).quantum;
    } catch {
      continue;
    }
    const profiles = byQuantum.get(quantum) ?? new Map<string, number[]>();
    byQuantum.set(quantum, profiles);
    profiles.set(s.memory_profile, [...(profiles.get(s.memory_profile) ?? []), s.id]);
  }
  if (byQuantum.size < 2) return null;
  return [...byQuantum.keys()].sort((a, b) => a - b)
    .flatMap((q) => [...byQuantum.get(q)!].map(([profile, ids]) => `${profile} for snapshot(s) ${ids.join(', ')}`))
    .join('; ');
}

/** "Redis 7.0.15" / "Valkey 8.0.9": who wrote the dump; null when its AUX fields name no version. */
export function serverName(s: Pick<SnapshotRow, 'server' | 'redis_ver'>): string | null {
  return s.redis_ver === null ? null : `${s.server} ${s.redis_ver}`;
}

export function describeSnapshot(s: SnapshotRow): string[] {
  const when = s.snapshot_time_ms === null ? 'unknown time' : `${humanTime(s.snapshot_time_ms)} (${s.time_source})`;
  const server = s.redis_ver ? `${serverName(s)}, ` : '';
  const lines = [`snapshot ${s.id} of instance ${instanceOf(s)}: ${s.file_name}, ${when}, ${server}RDB v${s.rdb_version ?? '?'}, ${s.key_count} keys, ${s.status}`];
  if (s.unestimated_keys > 0) lines.push(`${s.unestimated_keys} key(s) could not be estimated by the memory model; their memory counts as 0`);
  if (s.unknown_version) lines.push(`RDB v${s.rdb_version ?? '?'} is a version no release writes: read past the version check (--relaxed-version-check); figures may be wrong`);
  if (s.status === 'partial') {
    lines.push(errorCodeIn(s.error) === 'CHECKSUM_MISMATCH'
      ? `PARTIAL: every key was read, but the file's checksum does not match, so their content is suspect: ${s.error}`
      : `PARTIAL: only the keys read before this error are included: ${s.error ?? 'unknown error'}`);
  }
  return lines;
}

/**
 * When per-key rows were limited at load (`--keys-min-bytes`, `--top-per-pattern`: only the biggest
 * keys keep a row), what a figure read from the key rows leaves out: `only R of N keys have a row
 * (loaded with …)`. Null when every key has its row.
 */
export function keyRowsLimit(s: SnapshotRow): string | null {
  if (s.key_rows === null || s.key_rows >= s.key_count) return null;
  const knobs = [
    s.keys_min_bytes !== null ? `--keys-min-bytes ${s.keys_min_bytes}` : null,
    s.top_per_pattern !== null ? `--top-per-pattern ${s.top_per_pattern}` : null,
  ].filter((k) => k !== null).join(' ');
  return `only ${s.key_rows} of ${s.key_count} keys have a row (loaded with ${knobs || 'row limits'})`;
}

/** What `--match` is matched against: a key's bytes (a BLOB column), or a name's UTF-8 bytes (a TEXT column, e.g. a pattern). */
export type MatchTarget = { column: string } | null;

/**
 * `AND type = ? AND <match>` for the options a report applies to a table. `--match` is Redis's glob
 * (the matcher of `keys --match`, glob-sql.ts) on the bytes of `match.column`: a key's own bytes, or
 * the UTF-8 bytes of a text such as a pattern name.
 */
export function filters(db: Store, options: ReportOptions, match: MatchTarget, typeColumn = 'type'): { sql: string; params: unknown[] } {
  let sql = '';
  const params: unknown[] = [];
  if (options.type !== undefined) {
    sql += ` AND ${typeColumn} = ?`;
    params.push(options.type);
  }
  if (options.match !== undefined && match !== null) {
    const m = globSql(db, options.match, match.column);
    sql += m.sql;
    params.push(...m.params);
  }
  return { sql, params };
}

/**
 * Whether a snapshot folded patterns into `<other>` (of `--type` when given): past the first
 * MAX_TRACKED_PATTERNS (pattern, type) pairs of a dump, a load adds the keys of further ones there
 * (store/load-aggregates.ts), so a pattern missing from such a snapshot may be present in it.
 */
export function foldsPatterns(db: Store, options: ReportOptions): (snapshotId: number) => boolean {
  const t = filters(db, options, null);
  const stmt = db.prepare(`SELECT 1 FROM pattern_stats WHERE snapshot_id = ? AND pattern = ?${t.sql} LIMIT 1`).pluck();
  return (snapshotId) => stmt.get(snapshotId, OTHER_PATTERN, ...t.params) !== undefined;
}

export const col = (name: string, kind: Column['kind'], help?: string): Column => (help === undefined ? { name, kind } : { name, kind, help });

/** A column that identifies its row (a label in metrics) though it is not text, such as `db`. */
export const keyCol = (name: string, kind: Column['kind']): Column => ({ name, kind, key: true });

/** The labels of a result about one snapshot (its instance). */
export function snapshotLabels(s: SnapshotRow): Record<string, string> {
  return { instance: instanceOf(s) };
}

/** What a result says of the snapshot its figures are as of (ReportResult.snapshot). */
export function snapshotFacts(s: SnapshotRow): NonNullable<ReportResult['snapshot']> {
  return { timeMs: s.snapshot_time_ms, complete: s.status === 'complete' };
}

/** a / b, or null when b is 0 (a share of nothing is not 0%). */
export function share(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/**
 * The rows of a prepared statement as a RowSource: nothing is read until it is iterated; each pass
 * runs the statement with `params` and yields `shape` of every row, one at a time. Leaving a pass
 * early (`return()`) resets the statement.
 */
export function queryRows<T>(stmt: Database.Statement, params: readonly unknown[], shape: (row: T) => Row): RowSource {
  return {
    *[Symbol.iterator]() {
      for (const row of stmt.iterate(...params) as IterableIterator<T>) yield shape(row);
    },
  };
}
