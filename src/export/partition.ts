import { join } from 'node:path';

/**
 * Characters escaped in a Hive partition value, as Hive writes them and Hive, Spark and DuckDB read
 * them back (Hive's FileUtils.escapePathName; Spark's ExternalCatalogUtils.charToEscape has the same
 * list): the ASCII control characters, DEL, and `" # % ' * / : = ? \ { [ ] ^`, each as `%XX`
 * (uppercase hex). Other characters, spaces and non-ASCII included, are kept as they are.
 */
// eslint-disable-next-line no-control-regex
const ESCAPED = /[\x00-\x1f\x7f"#%'*/:=?\\{[\]^]/g;

export function escapePartitionValue(value: string): string {
  return value.replace(ESCAPED, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** The UTC day of a time in ms, YYYY-MM-DD: the `date` partition of a snapshot. */
export function partitionDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `instance=<name>/date=<YYYY-MM-DD>`: the partition of one snapshot under the export directory. */
export function partitionPath(instance: string, snapshotTimeMs: number): string {
  return join(`instance=${escapePartitionValue(instance)}`, `date=${partitionDate(snapshotTimeMs)}`);
}

/** The file names of a partition, in the order they are renamed into place (snapshot.parquet last). */
export const PARTITION_FILES = ['keys.parquet', 'patterns.parquet', 'snapshot.parquet'] as const;
export type PartitionFile = (typeof PARTITION_FILES)[number];

/**
 * Where a file of the snapshot `snapshotId` is written before it is complete: in the export directory
 * itself (the partition is known only once the dump's time is read), hidden (a leading dot: Spark and
 * Hive skip such files) and not ending in `.parquet` (so `DIR/**\/*.parquet` never matches it). The
 * name depends only on the snapshot, so a re-run of a killed export overwrites what it left.
 */
export function tempPathFor(outDir: string, snapshotId: string, file: PartitionFile): string {
  const id = snapshotId.replace(/^[^:]*:/, '').slice(0, 24);
  return join(outDir, `.rdbscope-${id}-${file}.tmp`);
}
