import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A dump or snapshot the export refuses as it stands (a partition name no file system takes, a value
 * keys.parquet's schema cannot hold): one line naming it; the export goes on with the next one, as
 * for a dump that cannot be read.
 */
export class ExportRefusal extends RangeError {
  override name = 'ExportRefusal';
}

/**
 * Characters escaped in a Hive partition value, as Hive writes them and Hive, Spark and DuckDB read
 * them back (Hive's FileUtils.escapePathName; Spark's ExternalCatalogUtils.charToEscape has the same
 * list): the ASCII control characters, DEL, and `" # % ' * / : = ? \ { [ ] ^`, each as `%XX`
 * (uppercase hex). Other characters, spaces and non-ASCII included, are kept as they are.
 */
// eslint-disable-next-line no-control-regex
const ESCAPED = /[\x00-\x1f\x7f"#%'*/:=?\\{[\]^]/g;

/**
 * Values a reader takes for a null partition, not for the text: DuckDB reads `NULL` in any case and
 * `__HIVE_DEFAULT_PARTITION__` as NULL (an instance named `null` came back as NULL); Hive and Spark
 * write a null partition as `__HIVE_DEFAULT_PARTITION__`. Their first character is escaped too:
 * every reader compares the raw name with these, then unescapes any %XX.
 */
const READ_AS_NULL = /^(?:null|__hive_default_partition__)$/i;

const percent = (ch: string): string => '%' + ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');

export function escapePartitionValue(value: string): string {
  const escaped = value.replace(ESCAPED, percent);
  return READ_AS_NULL.test(value) ? percent(value[0]!) + escaped.slice(1) : escaped;
}

/**
 * The times whose UTC day is written YYYY-MM-DD: years 0001 to 9999. Past them toISOString writes
 * `+011476-08-…`, a partition value no reader takes for a date: one such dump made DuckDB type the
 * `date` column of the whole export VARCHAR, and `date >= DATE '…'` failed on every query.
 */
const FIRST_DATE_MS = Date.parse('0001-01-01T00:00:00Z');
const LAST_DATE_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** True when the UTC day of `ms` has a YYYY-MM-DD partition value. */
export function hasPartitionDate(ms: number): boolean {
  return ms >= FIRST_DATE_MS && ms <= LAST_DATE_MS;
}

/** The UTC day of a time in ms, YYYY-MM-DD: the `date` partition of a snapshot (hasPartitionDate first). */
export function partitionDate(ms: number): string {
  if (!hasPartitionDate(ms)) throw new RangeError(`snapshot time ${ms} ms has no YYYY-MM-DD day (years 0001 to 9999)`);
  return new Date(ms).toISOString().slice(0, 10);
}

/** The longest file name most file systems take (NAME_MAX, in bytes: ext4, XFS, APFS, NTFS in UTF-16 units). */
const NAME_MAX_BYTES = 255;

/**
 * `instance=<escaped name>`, the first directory of a snapshot's partition. Throws an ExportRefusal saying
 * so when it is longer than a file name can be: an instance name of 200 characters escapes to up to
 * 600 (`%` is `%25`) or 800 bytes of UTF-8, and mkdir failed with a bare ENAMETOOLONG after the whole
 * dump was read.
 */
export function instanceDirName(instance: string): string {
  const name = `instance=${escapePartitionValue(instance)}`;
  const bytes = Buffer.byteLength(name);
  if (bytes > NAME_MAX_BYTES) {
    throw new ExportRefusal(`instance name ${JSON.stringify(instance)} makes a partition directory name of ${bytes} bytes (instance=…, escaped, UTF-8); file systems take at most ${NAME_MAX_BYTES}: give a shorter --instance`);
  }
  return name;
}

/**
 * instanceDirName as a check made before an export reads anything: its ExportRefusal names `subject` (the
 * dump, or the stored snapshot), not only the name.
 */
export function checkInstanceDir(instance: string, subject: string): void {
  try {
    instanceDirName(instance);
  } catch (err) {
    throw err instanceof ExportRefusal ? new ExportRefusal(`${subject}: ${err.message}`) : err;
  }
}

/** `instance=<name>/date=<YYYY-MM-DD>`: the partition of one snapshot under the export directory. */
export function partitionPath(instance: string, snapshotTimeMs: number): string {
  return join(instanceDirName(instance), `date=${partitionDate(snapshotTimeMs)}`);
}

/** The file names of a partition, in the order they are renamed into place (snapshot.parquet last). */
export const PARTITION_FILES = ['keys.parquet', 'patterns.parquet', 'snapshot.parquet'] as const;
export type PartitionFile = (typeof PARTITION_FILES)[number];

/**
 * Where a file of the snapshot `snapshotId` is written before it is complete: in the export directory
 * itself (the partition is known only once the dump's time is read), hidden (a leading dot: Spark and
 * Hive skip such files) and not ending in `.parquet` (so `DIR/**\/*.parquet` never matches it).
 *
 * The name carries the run (`runTag`): with a name per snapshot only, a second export of the same dump
 * into the same directory (a retried batch job while the first still ran) opened the first one's
 * file with O_TRUNC; the first went on writing past the cut, renamed its file into the partition, and
 * keys.parquet read as corrupt (a hole of zeros) until the second caught up, for ever if it was killed.
 * What a killed run leaves is removed by the next run of the same snapshot that completes
 * (staleTempFiles).
 */
export function tempPathFor(outDir: string, snapshotId: string, runTag: string, file: PartitionFile): string {
  return join(outDir, `${tempPrefix(snapshotId)}${runTag}-${file}.tmp`);
}

/** `.rdbscope-<id>-`: what every temporary file of a snapshot's exports starts with. */
function tempPrefix(snapshotId: string): string {
  return `.rdbscope-${snapshotId.replace(/^[^:]*:/, '').slice(0, 24)}-`;
}

/** A tag no other run has at the same time: process id and random bits, in [0-9a-z]. */
export function newRunTag(): string {
  return `${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 6).toString(36).padStart(6, '0')}`;
}

/**
 * The temporary files of `snapshotId` in `outDir` left by other runs and untouched since `beforeMs`,
 * this run's start: a run still writing touches its file at least every megabyte of output, so such
 * a file is a killed run's. A run that wrote nothing for that long (one huge key being parsed) loses
 * its file and fails at its rename, loudly: the same snapshot's partition has just been written.
 */
export function staleTempFiles(outDir: string, snapshotId: string, ownTag: string, beforeMs: number): string[] {
  const prefix = tempPrefix(snapshotId);
  const stale: string[] = [];
  for (const name of readdirSync(outDir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp') || name.startsWith(`${prefix}${ownTag}-`)) continue;
    const path = join(outDir, name);
    const mtimeMs = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
    if (mtimeMs !== undefined && mtimeMs < beforeMs) stale.push(path);
  }
  return stale;
}
