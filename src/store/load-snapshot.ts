import { basename } from 'node:path';
import { isRdbError, type RdbError } from '../core/errors.js';
import type { KeyRecord, MemoryEstimate } from '../core/record.js';
import type { RdbFileInfo } from '../rdb/file-info.js';
import { auxValue } from '../rdb/file-info.js';
import { keyPattern } from '../patterns/key-pattern.js';
import { DEFAULT_PATTERN_OPTIONS, type PatternOptions } from '../patterns/options.js';
import { fileFingerprint } from './fingerprint.js';
import { KeyInserter } from './key-inserter.js';
import { LoadAggregates } from './load-aggregates.js';
import type { Store } from './open-store.js';
import { POST_LOAD_INDEXES } from './schema.js';
import { deleteSnapshot, findByFingerprint } from './snapshots.js';
import { ttlBucket } from './ttl-buckets.js';

/** What the loader needs from an opened input (a subset of OpenedInput). */
export interface LoadInput {
  compression: string;
  bytesIn: () => number;
  fileBytes: number | null;
}

/** What the loader needs from a parse (a subset of RdbParse). */
export interface LoadParse {
  batches(): AsyncIterable<KeyRecord[]>;
  readonly info: RdbFileInfo;
}

export interface LoadProgress {
  keys: number;
  bytesIn: number;
  fileBytes: number | null;
}

export interface LoadOptions {
  path: string;
  /** Opens and starts parsing the file; called only when the file is not in the database yet. */
  open: () => Promise<{ input: LoadInput; parse: LoadParse }>;
  /**
   * Memory model, chosen once the dump's AUX fields are known (the default profile comes from
   * `redis-ver`): returns the profile name stored on the snapshot and the per-record estimator that
   * fills `rec.memory`. Absent = no estimates (memory columns stay NULL).
   */
  memoryModel?: (info: RdbFileInfo) => MemoryModel;
  /** Profile name to record when the records already carry `rec.memory` (tests, callers that estimate). */
  memoryProfile?: string | null;
  patterns?: PatternOptions;
  onProgress?: (p: LoadProgress) => void;
  /** Commit every this many keys so a huge load does not build one giant WAL transaction. */
  commitEvery?: number;
  /** Pattern cap for pattern_stats (tests lower it). */
  maxPatterns?: number;
}

export interface MemoryModel {
  profile: string;
  estimate: (rec: KeyRecord) => MemoryEstimate;
}

export type LoadResult =
  | { outcome: 'already-loaded'; snapshotId: number; fileName: string; status: 'complete' | 'partial'; keys: number }
  | { outcome: 'loaded'; snapshotId: number; fileName: string; status: 'complete' | 'partial'; keys: number; error: RdbError | null };

/**
 * Streams one dump into the store as a new snapshot.
 *
 * - A file whose fingerprint is already stored (complete or partial) is not read again.
 * - A snapshot left in status `loading` by a killed load is deleted and the file loaded afresh.
 * - When the parser throws an RdbError after yielding records, the snapshot is kept as `partial` with
 *   every key read before the fault and the error text; the error is returned, not thrown. When the
 *   file was not an RDB at all (no header parsed, no key read), nothing is kept and the error is thrown.
 * - Any other failure (disk full, a bug) rolls back and removes the snapshot, then rethrows.
 */
export async function loadSnapshot(db: Store, options: LoadOptions): Promise<LoadResult> {
  const fileName = basename(options.path);
  const { fingerprint, size, mtimeMs } = await fileFingerprint(options.path);
  const known = findByFingerprint(db, fingerprint);
  if (known && known.status !== 'loading') {
    return { outcome: 'already-loaded', snapshotId: known.id, fileName, status: known.status, keys: known.key_count };
  }
  if (known) deleteSnapshot(db, known.id);

  const { input, parse } = await options.open();
  const patternOptions = options.patterns ?? DEFAULT_PATTERN_OPTIONS;
  const snapshotId = Number(
    db
      .prepare(
        `INSERT INTO snapshots (file_name, path, file_bytes, fingerprint, compression, time_source, status,
           memory_profile, pattern_mode, loaded_at_ms)
         VALUES (?, ?, ?, ?, ?, 'mtime', 'loading', ?, ?, ?)`,
      )
      .run(fileName, options.path, size, fingerprint, input.compression, options.memoryProfile ?? null,
        describePatternMode(patternOptions), Date.now()).lastInsertRowid,
  );

  const commitEvery = options.commitEvery ?? 250_000;
  const inserter = new KeyInserter(db, snapshotId);
  const aggregates = new LoadAggregates(options.maxPatterns);
  let keys = 0;
  let sinceCommit = 0;
  let snapshotTime: { ms: number; source: 'ctime' | 'mtime' } | null = null;
  let failure: RdbError | null = null;
  let model: MemoryModel | null = null;
  let unestimated = 0;

  db.exec('BEGIN');
  try {
    try {
      for await (const batch of parse.batches()) {
        // AUX fields precede the first key in every dump, so the snapshot time is known here.
        snapshotTime ??= snapshotTimeOf(parse.info, mtimeMs);
        if (options.memoryModel && !model) model = options.memoryModel(parse.info);
        for (const rec of batch) {
          if (model) {
            // A model failure on one exotic key must not lose the whole load: the key keeps NULL
            // memory and the snapshot counts it, so reports can say so.
            try {
              rec.memory = model.estimate(rec);
            } catch {
              rec.memory = undefined;
              unestimated++;
            }
          }
          const pattern = keyPattern(rec.keyPrintable, patternOptions);
          inserter.add(rec, pattern);
          aggregates.add(rec, pattern, ttlBucket(rec.expireAtMs, snapshotTime.ms));
        }
        keys += batch.length;
        sinceCommit += batch.length;
        if (sinceCommit >= commitEvery) {
          inserter.flush();
          db.exec('COMMIT');
          db.exec('BEGIN');
          sinceCommit = 0;
        }
        options.onProgress?.({ keys, bytesIn: input.bytesIn(), fileBytes: input.fileBytes ?? size });
      }
    } catch (err) {
      if (!isRdbError(err)) throw err;
      failure = err.file === null ? err.withFile(options.path) : err;
    }
    if (failure && keys === 0 && parse.info.version === null) {
      db.exec('ROLLBACK');
      deleteSnapshot(db, snapshotId);
      throw failure;
    }
    inserter.flush();
    snapshotTime ??= snapshotTimeOf(parse.info, mtimeMs);
    aggregates.write(db, snapshotId);
    writeAux(db, snapshotId, parse.info);
    const status = failure ? 'partial' : 'complete';
    db.prepare(
      `UPDATE snapshots SET magic = ?, rdb_version = ?, redis_ver = ?, snapshot_time_ms = ?, time_source = ?,
         used_mem = ?, key_count = ?, rdb_bytes = ?, checksum = ?, status = ?, error = ?,
         memory_profile = coalesce(?, memory_profile), unestimated_keys = ? WHERE id = ?`,
    ).run(
      parse.info.magic, parse.info.version, serverVersion(parse.info), snapshotTime.ms, snapshotTime.source,
      intOrNull(auxValue(parse.info, 'used-mem')), keys, parse.info.bytesRead, describeChecksum(parse.info),
      status, failure?.message ?? null, (model ?? (options.memoryModel ? options.memoryModel(parse.info) : null))?.profile ?? null, unestimated, snapshotId,
    );
    db.exec('COMMIT');
    for (const ddl of POST_LOAD_INDEXES) db.exec(ddl);
    return { outcome: 'loaded', snapshotId, fileName, status, keys, error: failure };
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (err !== failure) deleteSnapshot(db, snapshotId);
    throw err;
  }
}

function snapshotTimeOf(info: RdbFileInfo, mtimeMs: number): { ms: number; source: 'ctime' | 'mtime' } {
  const ctime = intOrNull(auxValue(info, 'ctime'));
  return ctime !== null && ctime > 0 ? { ms: ctime * 1000, source: 'ctime' } : { ms: Math.round(mtimeMs), source: 'mtime' };
}

function serverVersion(info: RdbFileInfo): string | null {
  return auxValue(info, 'redis-ver') ?? auxValue(info, 'valkey-ver') ?? null;
}

function intOrNull(s: string | undefined): number | null {
  if (s === undefined || !/^-?\d+$/.test(s)) return null;
  return Number(s);
}

function describeChecksum(info: RdbFileInfo): string {
  const c = info.checksum;
  return c.status === 'ok' ? `ok ${c.value}` : c.status === 'mismatch' ? `mismatch expected ${c.expected} got ${c.actual}` : c.status;
}

function describePatternMode(p: PatternOptions): string {
  return p.depth === null ? `inferred sep=${p.separators}` : `fixed sep=${p.separators[0] ?? ':'} depth=${p.depth}`;
}

function writeAux(db: Store, snapshotId: number, info: RdbFileInfo): void {
  const stmt = db.prepare('INSERT INTO aux (snapshot_id, seq, name, value) VALUES (?, ?, ?, ?)');
  info.aux.forEach((a, i) => stmt.run(snapshotId, i, a.key, a.value));
}
