export { exportDump, exportThread, type DumpExportOptions, type DumpExportResult } from './export-dump.js';
export { exportStoredSnapshot, storedPartition } from './export-stored.js';
export { KEY_COLUMNS, PATTERN_COLUMNS, SNAPSHOT_COLUMNS, type ColumnSpec, type ColumnKind } from './columns.js';
export { escapePartitionValue, ExportRefusal, partitionPath, partitionDate, PARTITION_FILES } from './partition.js';
export { KEY_ROWS_PER_GROUP } from './key-columns.js';
export type { SnapshotInfo } from './snapshot-info.js';
