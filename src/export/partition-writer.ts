import { closeSync, fsyncSync, openSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KEY_COLUMNS, PATTERN_COLUMNS, SNAPSHOT_COLUMNS, type ColumnSpec } from './columns.js';
import { KeyColumns, KEY_ROWS_PER_GROUP } from './key-columns.js';
import { makeDirs } from './make-dirs.js';
import { ParquetFile, type ColumnValues } from './parquet-file.js';
import { newRunTag, partitionPath, staleTempFiles, tempPathFor, type PartitionFile } from './partition.js';
import type { PatternRow, SnapshotInfo } from './snapshot-info.js';
import { TextBytes } from './text-bytes.js';

/** Rows per row group of patterns.parquet (at most 20 000 pattern × type pairs per snapshot). */
const PATTERN_ROWS_PER_GROUP = 32_768;

/**
 * The three files of one snapshot's partition. keys.parquet is written while the dump is read (to a
 * temporary file in the export directory, tempPathFor); finish() writes patterns.parquet and
 * snapshot.parquet the same way, then renames the three into `instance=…/date=…/` (snapshot.parquet
 * last), replacing what an earlier export of that partition left there and nothing else.
 */
export class PartitionWriter {
  readonly keys: KeyColumns;
  private readonly keysFile: ParquetFile;
  private readonly others: ParquetFile[] = [];
  /** This run's part of the temporary files' names (partition.ts tempPathFor). */
  private readonly runTag = newRunTag();
  private readonly startedMs = Date.now();

  constructor(private readonly outDir: string, private readonly snapshotId: string, rowsPerGroup = KEY_ROWS_PER_GROUP) {
    makeDirs(outDir);
    this.keysFile = new ParquetFile(tempPathFor(outDir, snapshotId, this.runTag, 'keys.parquet'), KEY_COLUMNS, {
      // Min/max of a row group of keys in dump order spans nearly every value: no reader could skip
      // a group by them, and they took 7% of an export's time.
      statistics: false,
    });
    this.keys = new KeyColumns(this.keysFile, snapshotId, rowsPerGroup);
  }

  /** Writes patterns.parquet and snapshot.parquet and moves the three files into the partition; returns its directory. */
  finish(info: SnapshotInfo, patterns: readonly PatternRow[]): string {
    this.keys.flush();
    const text = new TextBytes();
    const id = text.of(this.snapshotId);
    const str = (s: string | null) => (s === null ? null : text.of(s));
    
    const patternFile = this.open('patterns.parquet', PATTERN_COLUMNS);
    for (let start = 0; start < patterns.length; start += PATTERN_ROWS_PER_GROUP) {
      const group = patterns.slice(start, start + PATTERN_ROWS_PER_GROUP);
      const cols: ColumnValues[] = [
        group.map(() => id), group.map((p) => text.of(p[0])), group.map((p) => text.of(p[1])),
        ...[2, 3, 4, 5, 6, 7].map((i) => group.map((p) => p[i] as number | null)),
      ];
      patternFile.writeGroup(cols);
    }

    const snapshotFile = this.open('snapshot.parquet', SNAPSHOT_COLUMNS);
    const s = info;
    const row: (number | Uint8Array | null)[] = [
      id, str(s.fileName), str(s.path), s.fileBytes, str(s.compression), s.snapshotTimeMs, str(s.timeSource), str(s.server),
      str(s.serverVersion), s.rdbVersion, int64OrNull(s.usedMem), s.keyCount, s.keyRows, s.keysMinBytes, s.topPerPattern,
      str(s.status), str(s.error), str(s.memoryProfile), s.unestimatedKeys, s.rdbBytes, str(s.checksum),
    ];
    snapshotFile.writeGroup(row.map((v) => [v]) as ColumnValues[]);

    const dir = join(this.outDir, partitionPath(info.instance, info.snapshotTimeMs));
    makeDirs(dir);
    // Every file whole on disk first, then the three renames back to back (snapshot.parquet last): a
    // sync between two renames (each took one) left a partition of one run's keys.parquet beside the
    // files it replaced for that long, to readers and to a kill.
    const files: [ParquetFile, PartitionFile][] = [[this.keysFile, 'keys.parquet'], [patternFile, 'patterns.parquet'], [snapshotFile, 'snapshot.parquet']];
    for (const [f] of files) f.seal();
    for (const [f, name] of files) f.moveTo(join(dir, name));
    // The renames themselves on disk: the directories that gained or lost entries.
    for (const d of new Set([dir, dirname(dir), this.outDir])) syncDirectory(d);
    this.others.length = 0;
    // What killed runs of this snapshot left (their names differ from this run's).
    for (const stale of staleTempFiles(this.outDir, this.snapshotId, this.runTag, this.startedMs)) rmSync(stale, { force: true });
    return dir;
  }

  /** Removes the temporary files (an export that failed or found no dump). */
  abort(): void {
    this.keysFile.abort();
    for (const f of this.others) f.abort();
  }

  private open(file: PartitionFile, columns: readonly ColumnSpec[]): ParquetFile {
    const f = new ParquetFile(tempPathFor(this.outDir, this.snapshotId, this.runTag, file), columns);
    this.others.push(f);
    return f;
  }
}

/** 2^63: the first magnitude past Parquet's INT64 (and past a C long long, as a server writes used-mem). */
const INT64_LIMIT = 2 ** 63;

/**
 * A figure read from the dump's own text (AUX used-mem) as INT64, or null when no INT64 holds it: a
 * server writes used-mem as a long long, so a larger one is no server's figure, and the Parquet
 * writer refused it ("INT64 value out of range"), failing the whole export for one AUX field.
 */
function int64OrNull(v: number | null): number | null {
  return v !== null && Math.abs(v) < INT64_LIMIT ? v : null;
}

/**
 * fsync(2) of a directory, so that renames into and out of it survive a power loss (a renamed file's
 * own fsync does not cover its directory entry). Best effort: some platforms cannot open or sync a
 * directory, and the files are whole either way.
 */
function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here (Windows: EPERM / EISDIR): the renames are done, only not yet durable.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
