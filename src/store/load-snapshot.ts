import { basename } from 'node:path';
import { type RdbError } from '../core/errors.js';
import { DEFAULT_PATTERN_OPTIONS, type PatternOptions } from '../patterns/options.js';
import { fileFingerprint, type FileFingerprint } from './fingerprint.js';
import { KeyInserter, dictionariesOf } from './key-inserter.js';
import { keysPerDbOf } from './keys-per-db.js';
import { mergeAggregateRows, writeAggregates } from './load-aggregates.js';
import type { MemorySpec } from './memory-spec.js';
import type { Store } from './open-store.js';
import { produceRows, type LoadEnd, type LoadInput, type LoadMessage, type LoadParse, type MemoryModel, type RdbInfoLite, type RowLimits } from './produce-rows.js';
import { KEY_ROWS_OF, POST_LOAD_INDEXES } from './schema.js';
import { countDuplicateKeys } from './duplicate-keys.js';
import { clearSnapshotRows, defaultInstanceFor, deleteSnapshot, instanceOf, findByContent, findByFingerprint, loaderState, markLoader, removeSnapshotRows, unmarkLoader, type LoaderMark, type SnapshotRow } from './snapshots.js';
import { Txn } from './txn.js';
import { LoadWorker, workerEntry } from './worker-rows.js';
import { WriterAggregation } from './writer-aggregation.js';

export type { LoadInput, LoadParse, MemoryModel } from './produce-rows.js';

export interface LoadProgress {
  keys: number;
  bytesIn: number;
  fileBytes: number | null;
}

export interface LoadOptions extends RowLimits {
  path: string;
  /** The server the dump comes from (default: the dump's directory name, defaultInstanceFor). */
  instance?: string;
  /** Opens and starts parsing the file on this thread; called only when the file is not in the database yet. */
  open: () => Promise<{ input: LoadInput; parse: LoadParse }>;
  /**
   * Memory model, chosen once the dump's AUX fields are known (the default profile comes from
   * `redis-ver`): returns the profile name stored on the snapshot and the per-record estimator that
   * fills `rec.memory`. Absent = no estimates (memory columns stay NULL).
   */
  memoryModel?: (info: import('../rdb/file-info.js').RdbFileInfo) => MemoryModel;
  /**
   * The spec `memoryModel` was made from: with it (or `worker.memory`) and no fixed server, a dump
   * whose used-mem points to the other allocator build is loaded again with that build
   * (memory-spec.ts settleBuild).
   */
  memorySpec?: MemorySpec | null;
  /** Profile name to record when the records already carry `rec.memory` (tests, callers that estimate). */
  memoryProfile?: string | null;
  patterns?: PatternOptions;
  onProgress?: (p: LoadProgress) => void;
  /**
   * Told once when this load waits for another process's load of the same file (its snapshot is
   * `loading` and that process is alive): the wait lasts as long as that load, or as long as that
   * process is stopped.
   */
  onWait?: (loader: string) => void;
  /** Commit every this many key rows so a huge load does not build one giant WAL transaction. */
  commitEvery?: number;
  /** Pattern cap for pattern_stats (tests lower it). */
  maxPatterns?: number;
  /**
   * Parse on a worker thread (the writer stays on this thread) instead of calling `open`: the file is
   * opened by path there, and the memory model comes from `memory` (null = no estimates). `thread`:
   * a LoadWorker to use (kept for the next file); without one, a thread for this file only. Ignored
   * (same-thread parse) when the package has no compiled worker entry.
   */
  worker?: { memory: MemorySpec | null; thread?: LoadWorker } | null;
  /** Shared transaction of concurrent loads into one database (loadFiles with --jobs). */
  txn?: Txn;
  /** Do not build the post-load indexes (the caller builds them once, after several loads). */
  deferIndexes?: boolean;
  /**
   * For a worker's parse: read a header version no release writes (ParseOptions; `open` sets its
   * own parse's option).
   */
  relaxedVersionCheck?: boolean;
  /**
   * Count repeated keys by SQLite over the key rows when the dump was too large for the parse's
   * in-memory check (needs every key's row). A sort of every key: on 1 M keys it added ~40% to the
   * load (measured in SCHEMA.md), hence asked for, not done by default.
   */
  checkDuplicates?: boolean;
}

export type LoadResult =
  | {
      outcome: 'already-loaded'; snapshotId: number; fileName: string; status: 'complete' | 'partial'; keys: number; sameContent?: boolean;
      /** The instance that snapshot belongs to (a dump is stored once, under the instance of its first load). */
      instance: string;
      /** Why a partial snapshot stops (its stored error); null for a complete one. */
      stoppedBy?: string | null;
      /** What that snapshot was loaded with: per-key row limits (null = none), rows kept, duplicate count (null = not checked). */
      stored?: { keysMinBytes: number | null; topPerPattern: number | null; keyRows: number | null; duplicateKeys: number | null };
    }
  | {
      outcome: 'loaded'; snapshotId: number; fileName: string; status: 'complete' | 'partial'; keys: number; keyRows: number; error: RdbError | null;
      /** Empty collections (dropped by a server on load) and keys repeated in their db (null: not checked). */
      emptyKeys: number; duplicateKeys: number | null;
      /**
       * The profile the dump was read a second time with, because its first keys pointed to the
       * other allocator build than the whole file (build-guess.ts); null when it was read once.
       */
      rereadWith: string | null;
      /** The profile kept after weighing both allocator builds on every key (produce-rows.ts weighBothBuilds), else null. */
      weighedBoth: string | null;
    };

/**
 * Streams one dump into the store as a new snapshot.
 *
 * - A file whose fingerprint is already stored (complete or partial) is not read again; a file whose
 *   RDB content (CRC64 trailer + decompressed length) equals a complete snapshot's — the same dump
 *   plain, gzip'd or lz4'd — is read, then dropped as already loaded.
 * - A snapshot left in status `loading` by a killed load is deleted and the file loaded afresh.
 * - Loads running together into one database in this process (loadFiles with --jobs) end as a serial
 *   load would: a file whose fingerprint another is loading waits for that load's outcome
 *   (claimFingerprint); of two with the same RDB content, the first to finish is kept.
 * - When the parser throws an RdbError after yielding records, the snapshot is kept as `partial` with
 *   every key read before the fault and the error text; the error is returned, not thrown. When the
 *   file was not an RDB at all (no header parsed, no key read), nothing is kept and the error is thrown.
 * - Any other failure (disk full, a bug) removes the snapshot, then rethrows.
 * - When the dump's used-mem points to the other allocator build than its first keys did
 *   (build-guess.ts), the rows switch to it in place if every key was estimated under both
 *   (produce-rows.ts weighBothBuilds); otherwise the dump is read a second time with it.
 */
export async function loadSnapshot(db: Store, options: LoadOptions): Promise<LoadResult> {
  const file = await fileFingerprint(options.path);
  const release = await claimFingerprint(db, file.fingerprint);
  try {
    const first = await loadOnce(db, options, file, null);
    if (first.outcome !== 'rerun') return first;
    // used-mem pointed to the other allocator build: the first pass's rows are gone, load again with
    // it into the same snapshot row, still `loading` under this load's mark
    const spec = first.spec;
    const { modelFromSpec } = await import('./memory-spec.js');
    const again = await loadOnce(db, {
      ...options,
      memoryModel: modelFromSpec(spec),
      memorySpec: spec,
      worker: options.worker ? { ...options.worker, memory: spec } : options.worker,
    }, file, first.held);
    if (again.outcome === 'rerun') throw new Error('a load with a fixed memory profile asked to be redone');
    return again.outcome === 'loaded' ? { ...again, rereadWith: spec.server } : again;
  } finally {
    release();
  }
}

/**
 * Loads under way in this process, per database, by file fingerprint; each entry settles when that
 * load ends (whatever its outcome).
 */
const loadsInFlight = new WeakMap<Store, Map<string, Promise<void>>>();

/**
 * Makes this load the only one of `fingerprint` in this process (loads share a database with
 * `--jobs`): waits while another one runs, so the lookup that follows sees that load's outcome as a
 * serial load would (already loaded, kept as partial, or nothing left when it failed). A `loading`
 * row with this fingerprint is then never a sibling's in-flight snapshot, only one left by a killed
 * process, which may be deleted. Returns the release, to call when the load ends.
 */
async function claimFingerprint(db: Store, fingerprint: string): Promise<() => void> {
  let loads = loadsInFlight.get(db);
  if (loads === undefined) loadsInFlight.set(db, (loads = new Map()));
  // Several may wait on one load: the first to resume claims it, the others wait again.
  for (let other = loads.get(fingerprint); other !== undefined; other = loads.get(fingerprint)) await other;
  let settle!: () => void;
  const mine = new Promise<void>((resolve) => (settle = resolve));
  loads.set(fingerprint, mine);
  const held = loads;
  return () => {
    if (held.get(fingerprint) === mine) held.delete(fingerprint);
    settle();
  };
}

/**
 * The `loading` snapshot row a first pass keeps for the second one (loadSnapshot), emptied, with the
 * mark that tells other processes this load is alive. Were it deleted between the passes, another
 * process waiting for this file (settledByFingerprint) would find no load under way and start its own.
 */
interface HeldSnapshot {
  id: number;
  mark: LoaderMark;
}

async function loadOnce(
  db: Store, options: LoadOptions, file: FileFingerprint, held: HeldSnapshot | null,
): Promise<LoadResult | { outcome: 'rerun'; spec: MemorySpec; held: HeldSnapshot }> {
  const fileName = basename(options.path);
  const { fingerprint, size, mtimeMs } = file;
  if (held === null) {
    const known = await settledByFingerprint(db, fingerprint, options.onWait);
    if (known && known.status !== 'loading') {
      return { outcome: 'already-loaded', snapshotId: known.id, fileName, status: known.status, keys: known.key_count, instance: instanceOf(known), stoppedBy: known.error, stored: storedWith(known) };
    }
    // Left by a killed process: a live load of this fingerprint, in this process (claimFingerprint) or
    // another (settledByFingerprint), has ended by now.
    if (known) deleteSnapshot(db, known.id);
  }

  const patterns = options.patterns ?? DEFAULT_PATTERN_OPTIONS;
  const entry = options.worker ? workerEntry() : null;
  const ownThread = entry !== null && !options.worker!.thread ? new LoadWorker(entry) : null;
  const thread = entry !== null ? (options.worker!.thread ?? ownThread!) : null;
  const source: AsyncGenerator<LoadMessage> = thread
    ? thread.rows({
        path: options.path, mtimeMs, memory: options.worker!.memory, patterns, maxPatterns: options.maxPatterns,
        keysMinBytes: options.keysMinBytes ?? null, topPerPattern: options.topPerPattern ?? null,
        relaxedVersionCheck: options.relaxedVersionCheck ?? false, weighBothBuilds: true,
      })
    : produceRows(options.open, {
        mtimeMs, patterns, maxPatterns: options.maxPatterns, keysMinBytes: options.keysMinBytes, topPerPattern: options.topPerPattern, weighBothBuilds: true,
        memoryModel: options.memoryModel ?? (options.worker?.memory ? (await import('./memory-spec.js')).modelFromSpec(options.worker.memory) : undefined),
      });

  const txn = options.txn ?? new Txn(db, options.commitEvery);
  let snapshotId: number | null = held?.id ?? null;
  let inserter: KeyInserter | null = null;
  let end: LoadEnd | null = null;
  let fileBytes: number | null = size;
  // first_row is stored with the first rows written (same transaction), so a load killed later can
  // be cleaned up by range; last_row when the snapshot is finished.
  let firstRowSaved = false;
  let mark: LoaderMark | null = held?.mark ?? null;
  let handedOn = false;
  const deferred = new WriterAggregation(patterns, options.maxPatterns);
  try {
    for await (const m of source) {
      if (m.t === 'open') {
        txn.begin();
        if (held !== null) {
          db.prepare('UPDATE snapshots SET compression = ?, memory_profile = ?, loaded_at_ms = ? WHERE id = ?').run(m.compression, options.memoryProfile ?? null, Date.now(), held.id);
        } else {
          mark = markLoader();
          snapshotId = Number(
            db.prepare(
              `INSERT INTO snapshots (instance, file_name, path, file_bytes, fingerprint, compression, time_source, status, error,
                 memory_profile, pattern_mode, loaded_at_ms, keys_min_bytes, top_per_pattern)
               VALUES (?, ?, ?, ?, ?, ?, 'mtime', 'loading', ?, ?, ?, ?, ?, ?)`,
            ).run(options.instance ?? defaultInstanceFor(options.path), fileName, options.path, size, fingerprint, m.compression, mark.text,
              options.memoryProfile ?? null, describePatternMode(patterns), Date.now(), options.keysMinBytes ?? null, options.topPerPattern ?? null).lastInsertRowid,
          );
        }
        inserter = new KeyInserter(db, snapshotId!);
        fileBytes = m.fileBytes ?? size;
      } else if (m.t === 'batch') {
        txn.begin();
        inserter!.add(m.rows, deferred.take(m.rows));
        if (!firstRowSaved && inserter!.firstRow !== null) {
          db.prepare('UPDATE snapshots SET first_row = ? WHERE id = ?').run(inserter!.firstRow, snapshotId);
          firstRowSaved = true;
        }
        txn.wrote(m.rows.n);
        options.onProgress?.({ keys: m.keys, bytesIn: m.bytesIn, fileBytes });
      } else {
        end = m.end;
      }
    }
    if (snapshotId === null || inserter === null || end === null) throw new Error('load ended without a result');
    let failure = end.failure;
    if (failure && failure.file === null) failure = failure.withFile(options.path);
    // A dump still being written (cp or scp into place while a nightly load runs) is read to its end
    // as it is then, not as it was fingerprinted: a whole read stores the file's fingerprint and size
    // of now (the old ones matched no later state of the file, and every later load read it again);
    // a cut one says why it may be cut. Only for the same file (device and inode): a new dump renamed
    // over the path meanwhile (a server's save) is not what was read, and is loaded by the next run.
    const after = await fileFingerprint(options.path).catch(() => null);
    const changed = after !== null && after.dev === file.dev && after.ino === file.ino && (after.size !== size || after.mtimeMs !== mtimeMs) ? after : null;
    if (failure && changed) {
      failure.message += '; the file changed while it was read (still being written?): load it again once it is whole';
    }
    txn.begin();
    if (failure && end.keys === 0 && end.info.version === null) {
      removeSnapshotRows(db, snapshotId, inserter.firstRow, null);
      txn.commit();
      throw Object.assign(failure, { [HANDLED]: true });
    }
    const spec = options.worker?.memory ?? options.memorySpec ?? null;
    const settleBuild = spec && (end.twin || spec.replaced) && !failure ? (await import('./memory-spec.js')).settleBuild : null;
    // From the content lookup to the status update nothing awaits: a sibling load of the same content
    // (a .gz copy on another lane) either finds this snapshot complete or finished before the lookup.
    const checksum = describeChecksum(end.info);
    if (!failure && end.info.checksum.status === 'ok' && !/^0+$/.test(end.info.checksum.value) && end.info.bytesRead > 0) {
      const same = findByContent(db, checksum, end.info.bytesRead, snapshotId);
      if (same) {
        removeSnapshotRows(db, snapshotId, inserter.firstRow, null);
        txn.commit();
        return { outcome: 'already-loaded', snapshotId: same.id, fileName, status: 'complete', keys: same.key_count, sameContent: true, instance: instanceOf(same), stored: storedWith(same) };
      }
    }
    const writerSide = deferred.rows();
    let aggregates = writerSide ? mergeAggregateRows(end.aggregates, writerSide, options.maxPatterns) : end.aggregates;
    const usedMem = intOrNull(auxOf(end.info, 'used-mem'));
    let profile = end.profile;
    let profileReason = end.profileReason;
    let allocationGap = end.allocationGap;
    if (spec && settleBuild) {
      const perDb = keysPerDbOf(aggregates.types);
      const settled = settleBuild(spec, end, usedMem, perDb);
      const other = end.otherBuild;
      if (settled.rerun && other !== null && other.encodingsAgree && settled.rerun.server === end.twin?.profile) {
        // Every key was estimated under both builds (produce-rows.ts weighBothBuilds): the rows and
        // aggregates switch to the other one in place, with the reason a second pass would store.
        const twin = end.twin;
        db.prepare(`UPDATE key_rows SET memory_bytes = memory_bytes + other_build_delta, other_build_delta = -other_build_delta WHERE ${KEY_ROWS_OF} AND other_build_delta <> 0`)
          .run(inserter.firstRow, inserter.lastRow, snapshotId);
        const writerOther = deferred.otherBuildRows();
        aggregates = writerOther ? mergeAggregateRows(other.aggregates, writerOther, options.maxPatterns) : other.aggregates;
        profile = twin.profile;
        allocationGap = twin.allocationGap;
        profileReason = settleBuild(settled.rerun, { profile, profileReason: settled.rerun.reason ?? null, keysBytes: twin.keysBytes, allocationGap, twin: null }, usedMem, perDb).reason;
      } else if (settled.rerun) {
        clearSnapshotRows(db, snapshotId, inserter.firstRow, null);
        txn.commit();
        handedOn = true;
        return { outcome: 'rerun', spec: settled.rerun, held: { id: snapshotId, mark: mark! } };
      } else profileReason = settled.reason;
    }
    writeAggregates(db, snapshotId, aggregates);
    writeAux(db, snapshotId, end.info);
    const status = failure ? 'partial' : 'complete';
    // The parse's check answers for dumps it could hold; past that, SQLite counts over the key rows
    // when asked and every key has one, and nothing is claimed otherwise.
    const everyRow = (options.keysMinBytes ?? null) === null && (options.topPerPattern ?? null) === null;
    const sqlCheck = options.checkDuplicates === true && everyRow;
    const duplicateKeys = end.duplicateKeys ?? (sqlCheck ? countDuplicateKeys(db, snapshotId, inserter.firstRow, inserter.lastRow) : null);
    if (changed && !failure) db.prepare('UPDATE snapshots SET fingerprint = ?, file_bytes = ? WHERE id = ?').run(changed.fingerprint, changed.size, snapshotId);
    db.prepare(
      `UPDATE snapshots SET magic = ?, rdb_version = ?, redis_ver = ?, snapshot_time_ms = ?, time_source = ?,
         used_mem = ?, key_count = ?, rdb_bytes = ?, checksum = ?, status = ?, error = ?,
         memory_profile = coalesce(?, memory_profile), memory_profile_reason = ?, unestimated_keys = ?, key_rows = ?,
         allocation_gap_bytes = ?, first_row = ?, last_row = ?, unknown_version = ?, empty_keys = ?, duplicate_keys = ? WHERE id = ?`,
    ).run(
      end.info.magic, end.info.version, serverVersion(end.info), end.snapshotTime.ms, end.snapshotTime.source,
      usedMem, end.keys, end.info.bytesRead, checksum, status, failure?.message ?? null,
      profile, profileReason, end.unestimated, inserter.rows, profile ? allocationGap : null, inserter.firstRow, inserter.lastRow,
      end.info.unknownVersion ? 1 : 0, end.emptyKeys, duplicateKeys, snapshotId,
    );
    txn.commit();
    if (!options.deferIndexes) buildIndexes(db);
    return {
      outcome: 'loaded', snapshotId, fileName, status, keys: end.keys, keyRows: inserter.rows, error: failure, rereadWith: null,
      weighedBoth: end.otherBuild !== null && !failure ? profile : null,
      emptyKeys: end.emptyKeys, duplicateKeys,
    };
  } catch (err) {
    if (snapshotId !== null && !(err as { [HANDLED]?: boolean })[HANDLED]) {
      try {
        txn.begin();
        removeSnapshotRows(db, snapshotId, inserter?.firstRow ?? null, null);
        txn.commit();
      } catch {
        if (db.inTransaction) db.exec('ROLLBACK');
        dictionariesOf(db).forget();
      }
    }
    throw err;
  } finally {
    if (mark !== null && !handedOn) unmarkLoader(mark);
    await source.return(undefined);
    await ownThread?.close();
  }
}

function storedWith(s: SnapshotRow): NonNullable<Extract<LoadResult, { outcome: 'already-loaded' }>['stored']> {
  return { keysMinBytes: s.keys_min_bytes, topPerPattern: s.top_per_pattern, keyRows: s.key_rows, duplicateKeys: s.duplicate_keys };
}

/** How often a load waiting for another process's load of the same file looks again. */
const OTHER_LOAD_POLL_MS = 200;

/**
 * The latest snapshot of this fingerprint once no live process is writing it: while another
 * process's load of the same file is under way (its snapshot `loading`, its process alive), waits for
 * it to end, so that this load then finds it loaded, kept as partial, or gone, as a serial load would.
 */
async function settledByFingerprint(db: Store, fingerprint: string, onWait?: (loader: string) => void): Promise<SnapshotRow | undefined> {
  for (let told = false; ; told = true) {
    const known = findByFingerprint(db, fingerprint);
    // A writer that cannot be told alive (another host, an older rdbscope) is taken for gone here, as
    // before marks existed: this file's load replaces its snapshot rather than wait, maybe forever.
    if (known === undefined || known.status !== 'loading' || loaderState(known.error) !== 'alive') return known;
    if (!told) onWait?.(known.error!.replace(/^loading: /, '').replace(/, load [0-9a-f]+$/, ''));
    await new Promise((resolve) => setTimeout(resolve, OTHER_LOAD_POLL_MS));
  }
}

const HANDLED = Symbol('handled');

/** The indexes reports need, built after bulk loads (once; later loads maintain them). */
export function buildIndexes(db: Store): void {
  for (const ddl of POST_LOAD_INDEXES) db.exec(ddl);
}


function auxOf(info: RdbInfoLite, key: string): string | undefined {
  for (const a of info.aux) if (a.key === key) return a.value;
  return undefined;
}

/** The writer's own version: a Valkey that also wrote `redis-ver` wrote its compatibility version there. */
function serverVersion(info: RdbInfoLite): string | null {
  return auxOf(info, 'valkey-ver') ?? auxOf(info, 'redis-ver') ?? null;
}

function intOrNull(s: string | undefined): number | null {
  if (s === undefined || !/^-?\d+$/.test(s)) return null;
  return Number(s);
}

/** The checksum outcome as snapshots.checksum stores it (export writes the same text). */
export function describeChecksum(info: RdbInfoLite): string {
  const c = info.checksum;
  return c.status === 'ok' ? `ok ${c.value}` : c.status === 'mismatch' ? `mismatch expected ${c.expected} got ${c.actual}` : c.status;
}

function describePatternMode(p: PatternOptions): string {
  return p.depth === null ? `inferred sep=${p.separators}` : `fixed sep=${p.separators[0] ?? ':'} depth=${p.depth}`;
}

function writeAux(db: Store, snapshotId: number, info: RdbInfoLite): void {
  const stmt = db.prepare('INSERT INTO aux (snapshot_id, seq, name, value) VALUES (?, ?, ?, ?)');
  info.aux.forEach((a, i) => stmt.run(snapshotId, i, a.key, a.value));
}
