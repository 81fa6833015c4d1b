import { readdirSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { isRdbError, keysBeforeFault } from '../core/errors.js';
import { openInput } from '../input/open-input.js';
import { parseRdb } from '../rdb/index.js';
import { buildIndexes, loadSnapshot, type LoadResult } from '../store/load-snapshot.js';
import type { MemorySpec } from '../store/memory-spec.js';
import { compactLimitsForSpec, modelFromSpec } from '../store/memory-spec.js';
import { useWal, WRITE_LOCK_WAIT_MS, type Store } from '../store/open-store.js';
import type { RowLimits } from '../store/produce-rows.js';
import { defaultInstanceFor, removeAbandonedLoads } from '../store/snapshots.js';
import { Txn } from '../store/txn.js';
import { LoadWorker, workerEntry } from '../store/worker-rows.js';
import { DATABASE_SIDE_FILES } from './database-files.js';
import { ProgressLine, progressEnabled } from './progress.js';
import { buildNote } from './build-note.js';

export interface LoadFilesOptions extends RowLimits {
  quiet?: boolean;
  /** Memory model (null = none). */
  memory: MemorySpec | null;
  /** Files parsed at once, each on its own worker thread, into the one writer (default 1). */
  jobs?: number;
  /** Parse on a worker thread even for one file at a time (default: when it pays, see below). */
  worker?: boolean;
  /** The server the dumps come from (default: each dump's directory name). */
  instance?: string;
  /** Read dumps whose header version no release writes (--relaxed-version-check). */
  relaxedVersionCheck?: boolean;
  /** Count repeated keys over the key rows of dumps too large for the in-memory check (--check-duplicates). */
  checkDuplicates?: boolean;
  /** Where one-line outcomes go (stdout for `load`, stderr for `analyze` whose stdout is the report). */
  say: (line: string) => void;
}

export interface LoadFilesOutcome {
  /** In input order; files that failed to load have no entry. */
  results: LoadResult[];
  /** Files that failed or loaded only partially. */
  failures: number;
}

/**
 * Loads each file as a snapshot, reporting one line per file. A file that is not an RDB, is
 * unreadable or stops halfway is reported (one line on stderr) and the others are loaded; anything
 * else (a database error, a bug) stops the batch. With `jobs` > 1, that many files are parsed in
 * parallel on worker threads while this thread is the single SQLite writer (one shared transaction,
 * indexes built once at the end); lines are printed as files finish.
 */
export async function loadFiles(db: Store, files: string[], options: LoadFilesOptions): Promise<LoadFilesOutcome> {
  const abandoned = removeAbandonedLoads(db);
  if (abandoned.length > 0 && !options.quiet) {
    options.say(`removed ${abandoned.length} unfinished snapshot(s) left by interrupted loads (${abandoned.join(', ')})`);
  }
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, files.length));
  const results: (LoadResult | undefined)[] = [];
  let failures = 0;
  const txn = new Txn(db, undefined, () => {
    if (!options.quiet) options.say(`${db.name}: waiting for another process's write lock on this database (up to ${WRITE_LOCK_WAIT_MS / 60_000} minutes)`);
  });
  // One file at a time the parse runs on a worker by default too: parser + memory model on one core,
  // SQLite on the other (measured in src/store/SCHEMA.md "Load speed").
  const useWorker = options.worker ?? true;
  const progressOn = jobs === 1 && progressEnabled(options.quiet);

  const loadOne = async (index: number, thread: LoadWorker | undefined): Promise<void> => {
    const path = files[index]!;
    const progress = new ProgressLine(path, progressOn);
    const started = Date.now();
    try {
      const res = await loadSnapshot(db, {
        path,
        instance: options.instance,
        open: async () => {
          const input = await openInput(path);
          const parseOptions = { fileName: path, compactLimits: compactLimitsForSpec(options.memory), relaxedVersionCheck: options.relaxedVersionCheck };
          return { input, parse: parseRdb(input.chunks, parseOptions) };
        },
        relaxedVersionCheck: options.relaxedVersionCheck,
        checkDuplicates: options.checkDuplicates,
        memoryModel: options.memory ? modelFromSpec(options.memory) : undefined,
        memorySpec: options.memory,
        worker: useWorker ? { memory: options.memory, thread } : null,
        keysMinBytes: options.keysMinBytes,
        topPerPattern: options.topPerPattern,
        txn,
        deferIndexes: true,
        onProgress: (p) => progress.update(p),
        onWait: (loader) => {
          if (!options.quiet) options.say(`${path}: waiting for the load of this file by another process (${loader}) to end`);
        },
      });
      progress.done();
      results[index] = res;
      if (res.outcome === 'already-loaded') {
        const how = res.sameContent ? 'same RDB content already loaded' : 'already loaded';
        if (!options.quiet) options.say(`${path}: ${how} as snapshot ${res.snapshotId} (${res.keys} keys, ${res.status}); nothing to do`);
        // Asked for more than the stored snapshot holds (every key's row, a duplicate check): a dump is
        // stored once, so this load's options change nothing; said on stderr, even with --quiet.
        const lacking = lackingFromStored(res.stored, options);
        if (lacking !== null) process.stderr.write(`rdbscope: ${path}: note: snapshot ${res.snapshotId} was loaded ${lacking}; this load's options change nothing (a dump is stored once)\n`);
        // The file still stops halfway: the same verdict as the load that kept it (error line, exit 1).
        if (res.status === 'partial') {
          failures++;
          process.stderr.write(`rdbscope: ${res.stoppedBy ?? `${path}: the dump stops halfway`} (kept before as PARTIAL snapshot ${res.snapshotId})\n`);
        }
        // A dump is stored once: the same content from another server (--instance, else the dump's
        // directory: two shards' empty dumps, a copy filed elsewhere) does not move it there, and
        // that instance's growth and forecast leave it out. Said on stderr, even with --quiet.
        const instance = options.instance ?? defaultInstanceFor(path);
        if (instance !== res.instance) {
          process.stderr.write(`rdbscope: ${path}: WARNING: already loaded as a snapshot of instance ${res.instance}, not ${instance}: reports of ${instance} leave it out\n`);
        }
        return;
      }
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const rows = res.keyRows === res.keys ? '' : ` (${res.keyRows} key rows kept)`;
      if (res.error) {
        failures++;
        process.stderr.write(`rdbscope: ${res.error.message}\n`);
        options.say(`${path}: kept as PARTIAL snapshot ${res.snapshotId}: ${keysBeforeFault(res.error.code, res.keys)}${rows} (${secs}s)`);
      } else if (!options.quiet) {
        options.say(`${path}: loaded as snapshot ${res.snapshotId}: ${res.keys} keys${rows} in ${secs}s${buildNote(res)}`);
      }
      // What a server would do differently with this dump: on stderr, even with --quiet.
      if (res.duplicateKeys !== null && res.duplicateKeys > 0) {
        process.stderr.write(`rdbscope: ${path}: WARNING: ${res.duplicateKeys} key(s) occur more than once in their db (a server refuses this file); every occurrence is kept and counted\n`);
      }
      if (res.emptyKeys > 0) {
        process.stderr.write(`rdbscope: ${path}: note: ${res.emptyKeys} empty list/set/zset/hash key(s), which a server drops on load: kept as rows, left out of every total\n`);
      }
    } catch (err) {
      progress.done();
      if (!isRdbError(err)) throw err;
      failures++;
      process.stderr.write(`rdbscope: ${err.message}\n`);
    }
  };

  let next = 0;
  let fatal: { err: unknown } | null = null;
  // Each lane keeps one worker thread for all its files (worker-rows.ts LoadWorker).
  const entry = useWorker ? workerEntry() : null;
  const lane = async (): Promise<void> => {
    const thread = entry !== null ? new LoadWorker(entry) : undefined;
    try {
      while (next < files.length && fatal === null) {
        try {
          await loadOne(next++, thread);
        } catch (err) {
          fatal ??= { err };
        }
      }
    } finally {
      await thread?.close();
    }
  };
  await Promise.all(Array.from({ length: jobs }, lane));
  if (fatal !== null) throw (fatal as { err: unknown }).err;
  txn.commit();
  buildIndexes(db);
  // A new database was loaded with a rollback journal (openStore): from now on, WAL.
  useWal(db);
  return { results: results.filter((r): r is LoadResult => r !== undefined), failures };
}

/** What a load's options ask for that the already stored snapshot lacks, in words; null when nothing. */
function lackingFromStored(
  stored: { keysMinBytes: number | null; topPerPattern: number | null; keyRows: number | null; duplicateKeys: number | null } | undefined,
  options: LoadFilesOptions,
): string | null {
  if (stored === undefined) return null;
  const parts: string[] = [];
  const limits = [
    stored.keysMinBytes !== null ? `--keys-min-bytes ${stored.keysMinBytes}` : null,
    stored.topPerPattern !== null ? `--top-per-pattern ${stored.topPerPattern}` : null,
  ].filter((l): l is string => l !== null);
  const wantsMoreRows =
    (stored.keysMinBytes !== null && (options.keysMinBytes == null || options.keysMinBytes < stored.keysMinBytes)) ||
    (stored.topPerPattern !== null && (options.topPerPattern == null || options.topPerPattern > stored.topPerPattern));
  if (wantsMoreRows) parts.push(`with per-key rows limited (${limits.join(', ')}: ${stored.keyRows ?? '?'} key rows kept)`);
  if (options.checkDuplicates === true && stored.duplicateKeys === null) parts.push('without a duplicate-key check');
  return parts.length === 0 ? null : parts.join(' and ');
}

/**
 * Whether a database a command created (`created`: no file at its path before) holds no snapshot at
 * all when the command ends: no input could be loaded. Such a database is removed (removeDatabase),
 * not left behind as if something had been loaded. False when the database cannot be read.
 */
export function createdEmpty(db: Store, created: boolean): boolean {
  if (!created || !db.open) return false;
  try {
    return db.prepare('SELECT count(*) FROM snapshots').pluck().get() === 0;
  } catch {
    return false;
  }
}

/**
 * Deletes a closed database file and the journal files SQLite keeps beside it, unless another
 * process has one of them open: two loads started together on a new --db both find no file there,
 * and the one that loads nothing must not unlink the file the other is loading into (its rows would
 * go to a deleted inode while it reports them loaded). Returns whether the files were deleted.
 */
export function removeDatabase(path: string): boolean {
  if (openElsewhere(path)) return false;
  for (const suffix of DATABASE_SIDE_FILES) rmSync(path + suffix, { force: true });
  return true;
}

/**
 * Whether a process other than this one holds one of the database's files open, by its
 * /proc/<pid>/fd links (Linux; processes of other users are not visible unless run as root).
 * False where there is no /proc.
 */
function openElsewhere(path: string): boolean {
  let target: string;
  try {
    target = realpathSync(path);
  } catch {
    return false;
  }
  const names = new Set(DATABASE_SIDE_FILES.map((suffix) => target + suffix));
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n) && Number(n) !== process.pid);
  } catch {
    return false;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's
    }
    for (const fd of fds) {
      try {
        if (names.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return true;
      } catch {
        // closed meanwhile
      }
    }
  }
  return false;
}
