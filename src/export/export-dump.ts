import { basename } from 'node:path';
import type { RdbError } from '../core/errors.js';
import { openInput } from '../input/open-input.js';
import { DEFAULT_PATTERN_OPTIONS } from '../patterns/options.js';
import { parseRdb } from '../rdb/index.js';
import { fileFingerprint } from '../store/fingerprint.js';
import { keysPerDbOf } from '../store/keys-per-db.js';
import { mergeAggregateRows } from '../store/load-aggregates.js';
import { describeChecksum } from '../store/load-snapshot.js';
import { compactLimitsForSpec, modelFromSpec, settleBuild, type MemorySpec } from '../store/memory-spec.js';
import { produceRows, type LoadEnd, type LoadMessage } from '../store/produce-rows.js';
import { defaultInstanceFor } from '../store/snapshots.js';
import { LoadWorker, workerEntry } from '../store/worker-rows.js';
import { WriterAggregation } from '../store/writer-aggregation.js';
import { BatchRows } from './batch-rows.js';
import { checkInstanceDir, ExportRefusal, hasPartitionDate } from './partition.js';
import { PartitionWriter } from './partition-writer.js';
import { serverOf, type PatternRow, type SnapshotInfo } from './snapshot-info.js';

/**
 * Row batches the parse worker may run ahead of this thread. The Parquet encoding here is always the
 * slower side, so the worker's default (32, sized for loads with --jobs) only queues batches: 8 took
 * the peak RSS of an export of the 5 M-key bench dump from 150 to 142 MB at the same speed.
 */
const WORKER_CREDITS = 8;

export interface DumpExportOptions {
  path: string;
  outDir: string;
  /** The server the dump comes from (default: the dump's directory name, as `load`). */
  instance?: string;
  memory: MemorySpec | null;
  /** Key rows only for keys whose size (memory estimate, else bytes in the file) is at least this, as `load`. */
  keysMinBytes?: number | null;
  /** A worker thread to parse on (kept for the next dump); none = parse on this thread. */
  thread?: LoadWorker | null;
  /** Rows per keys.parquet row group (tests lower it). */
  rowsPerGroup?: number;
  onProgress?: (p: { keys: number; bytesIn: number; fileBytes: number | null }) => void;
}

export interface DumpExportResult {
  snapshot: SnapshotInfo;
  /** The partition directory the three files went to. */
  dir: string;
  /** Why the dump stopped halfway (status partial), or null. */
  error: RdbError | null;
  /** The profile the dump was exported a second time with (its first keys pointed to the other build), or null. */
  rereadWith: string | null;
}

/**
 * Exports one dump as a partition of three Parquet files (keys, patterns, snapshot). The dump is read
 * by the load pipeline itself (produceRows: the same memory model, key patterns, --keys-min-bytes
 * rule and aggregates as `load`, on a worker thread when one is given), so what the files hold equals
 * what `load` stores for the same dump. Rows stream to keys.parquet one row group at a time.
 *
 * A dump that stops halfway is exported with the keys read before the fault, status `partial` and the
 * error (returned, not thrown); a file that is not a dump at all leaves nothing and its RdbError is
 * thrown; any other failure removes the temporary files and is thrown.
 */
export async function exportDump(options: DumpExportOptions): Promise<DumpExportResult> {
  const first = await exportOnce(options);
  if (!('rerun' in first)) return first;
  // used-mem pointed to the other allocator build than the first keys did: export again with it, as
  // `load` loads again (load-snapshot.ts), so that both write the same estimates for the same dump.
  const again = await exportOnce({ ...options, memory: first.rerun });
  if ('rerun' in again) throw new Error('an export with a fixed memory profile asked to be redone');
  return { ...again, rereadWith: first.rerun.server };
}

async function exportOnce(options: DumpExportOptions): Promise<DumpExportResult | { rerun: MemorySpec }> {
  const { path, outDir } = options;
  const { fingerprint, size, mtimeMs } = await fileFingerprint(path);
  const patterns = DEFAULT_PATTERN_OPTIONS;
  const keysMinBytes = options.keysMinBytes ?? null;
  const instance = options.instance ?? defaultInstanceFor(path);
  // A name no partition directory can have is refused before the dump is read, not at the rename.
  checkInstanceDir(instance, path);
  const source: AsyncGenerator<LoadMessage> = options.thread
    ? options.thread.rows({ path, mtimeMs, memory: options.memory, patterns, keysMinBytes, topPerPattern: null, credits: WORKER_CREDITS })
    : produceRows(
        async () => {
          const input = await openInput(path);
          return { input, parse: parseRdb(input.chunks, { fileName: path, compactLimits: compactLimitsForSpec(options.memory) }) };
        },
        { mtimeMs, patterns, keysMinBytes, memoryModel: options.memory ? modelFromSpec(options.memory) : undefined },
      );

  const partition = new PartitionWriter(outDir, fingerprint, options.rowsPerGroup);
  const rows = new BatchRows(partition.keys);
  const deferred = new WriterAggregation(patterns);
  let compression = 'none';
  let fileBytes: number | null = size;
  let end: LoadEnd | null = null;
  try {
    for await (const m of source) {
      if (m.t === 'open') {
        compression = m.compression;
        fileBytes = m.fileBytes ?? size;
      } else if (m.t === 'batch') {
        rows.add(m.rows, deferred.take(m.rows));
        options.onProgress?.({ keys: m.keys, bytesIn: m.bytesIn, fileBytes });
      } else end = m.end;
    }
    if (end === null) throw new Error('export ended without a result');
    let failure = end.failure;
    if (failure && failure.file === null) failure = failure.withFile(path);
    // Not a dump at all (no header, no key): nothing to export, as `load` keeps nothing.
    if (failure && end.keys === 0 && end.info.version === null) throw failure;
    const writerSide = deferred.rows();
    const aggregates = writerSide ? mergeAggregateRows(end.aggregates, writerSide) : end.aggregates;
    const usedMem = end.info.aux.find((a) => a.key === 'used-mem')?.value;
    const usedMemBytes = usedMem !== undefined && /^-?\d+$/.test(usedMem) ? Number(usedMem) : null;
    const spec = options.memory;
    if (spec && (end.twin || spec.replaced) && !failure) {
      const settled = settleBuild(spec, end, usedMemBytes, keysPerDbOf(aggregates.types));
      if (settled.rerun) {
        partition.abort();
        return { rerun: settled.rerun };
      }
    }
    const mem = (n: number): number | null => (aggregates.hasMemory ? n : null);
    const patternRows: PatternRow[] = aggregates.patterns.map(([p, type, keys, memory, file, uk, um, uf]) => [p, type, keys, mem(memory), file, uk, mem(um), uf]);
    const { server, version } = serverOf(end.info.aux);
    // A ctime past year 9999 (a corrupt dump; a date still holds it) has no YYYY-MM-DD partition:
    // the file's mtime names the day, as for a dump without ctime (partition.ts hasPartitionDate).
    const time = hasPartitionDate(end.snapshotTime.ms) ? end.snapshotTime : { ms: Math.round(mtimeMs), source: 'mtime' };
    const snapshot: SnapshotInfo = {
      snapshotId: fingerprint,
      instance,
      fileName: basename(path),
      path,
      fileBytes: size,
      compression,
      snapshotTimeMs: time.ms,
      timeSource: time.source,
      server,
      serverVersion: version,
      rdbVersion: end.info.version,
      usedMem: usedMemBytes,
      keyCount: end.keys,
      keyRows: end.keptRows,
      keysMinBytes,
      topPerPattern: null,
      status: failure ? 'partial' : 'complete',
      error: failure?.message ?? null,
      memoryProfile: end.profile,
      unestimatedKeys: end.unestimated,
      rdbBytes: end.info.bytesRead,
      checksum: describeChecksum(end.info),
    };
    const dir = partition.finish(snapshot, patternRows);
    return { snapshot, dir, error: failure, rereadWith: null };
  } catch (err) {
    partition.abort();
    // A value the Parquet schema cannot hold (key-columns.ts): named with its dump.
    throw err instanceof ExportRefusal ? new ExportRefusal(`${path}: ${err.message}`) : err;
  } finally {
    await source.return(undefined);
  }
}

/** A worker thread for exports, or null when the package has no compiled worker entry (tests from sources). */
export function exportThread(): LoadWorker | null {
  const entry = workerEntry();
  return entry === null ? null : new LoadWorker(entry);
}
