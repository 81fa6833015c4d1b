import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import type { Store } from './open-store.js';
import { SNAPSHOT_TABLES } from './schema.js';

/** The instance of snapshots loaded before instances existed (schema v5): they form one instance. */
export const DEFAULT_INSTANCE = 'default';

/** SQL expression for a snapshot's instance name (NULL is the default instance). */
export const INSTANCE_SQL = `coalesce(instance, '${DEFAULT_INSTANCE}')`;

/**
 * Every column of `snapshots`, and `server`: Valkey 9 writes the VALKEY magic, Valkey 8 the REDIS one
 * with a `valkey-ver` AUX field where Redis writes `redis-ver` (the Valkey 8.0 and 8.1 dumps of the
 * shared corpus hold no `redis-ver`).
 */
const SNAPSHOT_SELECT = `SELECT *, CASE WHEN magic = 'VALKEY' OR EXISTS (SELECT 1 FROM aux WHERE aux.snapshot_id = snapshots.id AND aux.name = 'valkey-ver')
  THEN 'Valkey' ELSE 'Redis' END AS server FROM snapshots`;

export interface SnapshotRow {
  id: number;
  /** The server the dump comes from (`load --instance`, else the dump's directory name); null = default. */
  instance: string | null;
  file_name: string;
  path: string;
  file_bytes: number;
  fingerprint: string;
  compression: string;
  magic: string | null;
  rdb_version: number | null;
  /** The writer's version: valkey-ver, else redis-ver (AUX fields). */
  redis_ver: string | null;
  /** Who wrote the dump (SNAPSHOT_SELECT): Valkey when its magic or its AUX fields say so. */
  server: 'Redis' | 'Valkey';
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
  /** 1 when the header's RDB version is none a release writes (read with --relaxed-version-check). */
  unknown_version: number;
  /** Empty collections: rows kept, out of the aggregates (a server drops them on load). */
  empty_keys: number;
  /** Keys occurring more than once in their db; null = not checked. */
  duplicate_keys: number | null;
}

/**
 * The instance a dump belongs to when the user names none: its directory's name (backups are
 * usually kept one directory per server: `backups/shard-3/dump-2026-12-01.rdb` → `shard-3`).
 */
export function defaultInstanceFor(path: string): string {
  return basename(dirname(resolve(path))) || DEFAULT_INSTANCE;
}

/** A snapshot's instance name, with the default for snapshots loaded without one. */
export function instanceOf(s: Pick<SnapshotRow, 'instance'>): string {
  return s.instance ?? DEFAULT_INSTANCE;
}

/**
 * Finished snapshots (complete or partial), oldest first by snapshot time then id; only those of
 * `instance` when given.
 */
export function listSnapshots(db: Store, instance?: string): SnapshotRow[] {
  const where = instance === undefined ? '' : ` AND ${INSTANCE_SQL} = ?`;
  return db
    .prepare(`${SNAPSHOT_SELECT} WHERE status <> 'loading'${where} ORDER BY snapshot_time_ms, id`)
    .all(...(instance === undefined ? [] : [instance])) as SnapshotRow[];
}

/** Names of the instances with finished snapshots, sorted. */
export function listInstances(db: Store): string[] {
  return db.prepare(`SELECT DISTINCT ${INSTANCE_SQL} FROM snapshots WHERE status <> 'loading' ORDER BY 1`).pluck().all() as string[];
}

/**
 * A finished complete snapshot with the same RDB content: same CRC64 trailer and decompressed length
 * (the same dump stored plain, gzip'd or lz4'd), other than `exceptId`.
 */
export function findByContent(db: Store, checksum: string, rdbBytes: number, exceptId: number): SnapshotRow | undefined {
  return db
    .prepare(`${SNAPSHOT_SELECT} WHERE checksum = ? AND rdb_bytes = ? AND status = 'complete' AND id <> ? ORDER BY id LIMIT 1`)
    .get(checksum, rdbBytes, exceptId) as SnapshotRow | undefined;
}

export function findByFingerprint(db: Store, fingerprint: string): SnapshotRow | undefined {
  return db.prepare(`${SNAPSHOT_SELECT} WHERE fingerprint = ? ORDER BY id DESC LIMIT 1`).get(fingerprint) as
    | SnapshotRow
    | undefined;
}

/**
 * A snapshot by reference: a numeric id, else a file name or path (the most recent load of that
 * name). Undefined ref = the latest snapshot. `instance` limits the choice to that instance's
 * snapshots. Returns undefined when nothing matches.
 */
export function resolveSnapshot(db: Store, ref?: string, instance?: string): SnapshotRow | undefined {
  const all = listSnapshots(db, instance);
  if (ref === undefined) return all.at(-1);
  if (/^\d+$/.test(ref)) {
    const byId = all.find((s) => s.id === Number(ref));
    if (byId) return byId;
  }
  const byName = all.filter((s) => s.file_name === ref || s.path === ref);
  return byName.sort((a, b) => a.id - b.id).at(-1);
}

/**
 * The instances a dump's file name or path names snapshots of, when that is more than one and no
 * instance narrows it: every Redis writes `dump.rdb`, so in a fleet's database the bare name does not
 * say which server's snapshot is meant, and resolveSnapshot's latest of them all is a guess. Null
 * when `ref` is an id, names one instance's snapshots or none, or `instance` is given.
 */
export function instancesNamedBy(db: Store, ref: string, instance?: string): string[] | null {
  if (instance !== undefined) return null;
  const all = listSnapshots(db);
  if (/^\d+$/.test(ref) && all.some((s) => s.id === Number(ref))) return null;
  const named = new Set(all.filter((s) => s.file_name === ref || s.path === ref).map(instanceOf));
  return named.size > 1 ? [...named].sort() : null;
}

/**
 * Deletes every `loading` snapshot whose load is known to be gone (loaderState): those of loads killed
 * or interrupted (SIGKILL, SIGINT, SIGTERM, a timeout) with their committed rows, which no report
 * reads and which would otherwise stay until that very file is loaded again (a rotated-away backup:
 * never). Snapshots whose writer cannot be told (another host, an older rdbscope) are kept: that
 * load may be running. Returns the file names of the snapshots removed.
 */
export function removeAbandonedLoads(db: Store): string[] {
  const rows = db.prepare("SELECT id, file_name, error FROM snapshots WHERE status = 'loading' ORDER BY id").all() as
    Pick<SnapshotRow, 'id' | 'file_name' | 'error'>[];
  const removed: string[] = [];
  for (const r of rows) {
    if (loaderState(r.error) !== 'gone') continue;
    deleteSnapshot(db, r.id);
    removed.push(r.file_name);
  }
  return removed;
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
  clearSnapshotRows(db, id, firstRow, lastRow);
  db.prepare('DELETE FROM snapshots WHERE id = ?').run(id);
}

/**
 * Deletes what snapshot `id` holds (key rows, aggregates, AUX) but not its `snapshots` row, inside
 * the caller's transaction; the row's range of key rows is reset. `firstRow`, `lastRow` as for
 * removeSnapshotRows.
 */
export function clearSnapshotRows(db: Store, id: number, firstRow: number | null, lastRow: number | null): void {
  for (const table of SNAPSHOT_TABLES) {
    if (table !== 'key_rows') db.prepare(`DELETE FROM ${table} WHERE snapshot_id = ?`).run(id);
  }
  if (firstRow !== null) {
    db.prepare('DELETE FROM key_rows WHERE row_id >= ? AND row_id <= ? AND snapshot_id = ?').run(firstRow, lastRow ?? Number.MAX_SAFE_INTEGER, id);
  }
  db.prepare('UPDATE snapshots SET first_row = NULL, last_row = NULL WHERE id = ?').run(id);
}

/**
 * Who is writing a `loading` snapshot, kept in its `error` column until the load ends (the final
 * update overwrites it): host, process id, the process's start time (Linux, /proc; pids are reused)
 * and a token of the load. Another process that finds a `loading` snapshot of the file it is about to
 * load must tell a live load (wait for it, as a serial load would) from one a killed process left
 * (replace it): deleting a live one's snapshot under it loses its rows and has both processes report
 * the file loaded.
 */
export interface LoaderMark {
  text: string;
  token: string;
}

const LOADER_RE = /^loading: pid (\d+) on host (.*), process start (\d+|-), load ([0-9a-f]+)$/;

/** Tokens of the loads under way in this process, whatever connection they write with. */
const liveLoads = new Set<string>();

export function markLoader(): LoaderMark {
  const token = randomBytes(8).toString('hex');
  liveLoads.add(token);
  return { text: `loading: pid ${process.pid} on host ${hostname()}, process start ${processStart(process.pid) ?? '-'}, load ${token}`, token };
}

export function unmarkLoader(mark: LoaderMark): void {
  liveLoads.delete(mark.token);
}

/**
 * Whether the process that wrote this `loading` snapshot's mark is still loading it: `alive`;
 * `gone` when that process has exited (or its pid now belongs to another process, or it is this
 * process and no load of it holds the token); `unknown` without a mark (a snapshot of an older
 * rdbscope) or for a mark of another host (a container or machine sharing the file: its processes
 * cannot be seen from here).
 */
export function loaderState(error: string | null): 'alive' | 'gone' | 'unknown' {
  const m = error === null ? null : LOADER_RE.exec(error);
  if (m === null) return 'unknown';
  const [, pidText, host, start, token] = m;
  const pid = Number(pidText);
  if (host !== hostname()) return 'unknown';
  if (pid === process.pid) return liveLoads.has(token!) ? 'alive' : 'gone';
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return 'gone';
  }
  const now = processStart(pid);
  return start === '-' || now === null || String(now) === start ? 'alive' : 'gone';
}

/** A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat); null where there is no /proc. */
function processStart(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isSafeInteger(ticks) ? ticks : null;
  } catch {
    return null;
  }
}
