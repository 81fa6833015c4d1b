import { holdsDate } from '../core/date-range.js';
import type { Store } from '../store/open-store.js';
import { KEY_ROWS_OF, keyRowsOf } from '../store/schema.js';
import { instanceOf, type SnapshotRow } from '../store/snapshots.js';
import { keyTextBytes } from './batch-rows.js';
import type { KeyRowValues } from './key-columns.js';
import { checkInstanceDir, ExportRefusal, hasPartitionDate, partitionPath } from './partition.js';
import { PartitionWriter } from './partition-writer.js';
import { serverOf, type PatternRow, type SnapshotInfo } from './snapshot-info.js';
import { utf8Bytes } from './text-bytes.js';

/** A row of the store's `keys` view as read here. */
interface StoredKey {
  db: number;
  key: Buffer;
  key_printable: string | null;
  pattern: string;
  type: string;
  rdb_type: string;
  encoding: string | null;
  elements: number;
  value_bytes: number;
  memory_bytes: number | null;
  largest_element: number;
  expire_at_ms: number | null;
  idle: number | null;
  freq: number | null;
  fields_with_ttl: number | null;
  stream_groups: number | null;
  stream_pending: number | null;
}

const nan = (v: number | null): number => (v === null ? NaN : v);

/**
 * Exports a finished snapshot of a database as its partition: its kept key rows (a snapshot loaded
 * with --keys-min-bytes or --top-per-pattern has only those; snapshot.parquet says which limit and
 * how many rows), its pattern_stats and its snapshots row. The snapshot id is the fingerprint `load`
 * stored, the same an export of the dump itself writes.
 */
/**
 * The snapshot time that dates a stored snapshot's partition, or null when it has none a date holds
 * (a corrupt ctime past year 9999, stored before the load refused such times: partition.ts
 * hasPartitionDate); the load time dates it then.
 */
function partitionTimeOf(s: SnapshotRow): number | null {
  return s.snapshot_time_ms !== null && holdsDate(s.snapshot_time_ms) && hasPartitionDate(s.snapshot_time_ms) ? s.snapshot_time_ms : null;
}

/**
 * The partition (`instance=…/date=…`) a stored snapshot is exported to, or null when its instance
 * names no directory (its export is refused with the reason).
 */
export function storedPartition(s: SnapshotRow): string | null {
  try {
    return partitionPath(instanceOf(s), partitionTimeOf(s) ?? s.loaded_at_ms);
  } catch (err) {
    if (err instanceof ExportRefusal) return null;
    throw err;
  }
}

export function exportStoredSnapshot(db: Store, s: SnapshotRow, outDir: string, rowsPerGroup?: number): { snapshot: SnapshotInfo; dir: string } {
  // A name no partition directory can have is refused before any row is read.
  checkInstanceDir(instanceOf(s), `snapshot ${s.id} (${s.path})`);
  const partition = new PartitionWriter(outDir, s.fingerprint, rowsPerGroup);
  try {
    const keys = db.prepare(
      `SELECT db, key, key_printable, pattern, type, rdb_type, encoding, elements, value_bytes, memory_bytes, largest_element, expire_at_ms,
              idle, freq, fields_with_ttl, stream_groups, stream_pending
         FROM keys WHERE ${KEY_ROWS_OF} ORDER BY rowid`,
    );
    let rows = 0;
    for (const k of keys.iterate(...keyRowsOf(s)) as IterableIterator<StoredKey>) {
      const key = new Uint8Array(k.key.buffer, k.key.byteOffset, k.key.length);
      const r: KeyRowValues = {
        db: k.db, key, keyText: k.key_printable !== null ? utf8Bytes(k.key_printable) : keyTextBytes(key), pattern: k.pattern, type: k.type,
        rdbType: k.rdb_type, encoding: k.encoding, elements: k.elements, valueBytes: k.value_bytes, memoryBytes: nan(k.memory_bytes),
        largestElementBytes: k.largest_element, expireAtMs: nan(k.expire_at_ms), idleSeconds: nan(k.idle), lfuFreq: nan(k.freq),
        fieldsWithTtl: nan(k.fields_with_ttl), streamGroups: nan(k.stream_groups), streamPending: nan(k.stream_pending),
      };
      partition.keys.push(r);
      rows++;
    }
    const patterns = db
      .prepare(`SELECT pattern, type, keys, memory_bytes, file_bytes, untimed_keys, untimed_memory, untimed_file_bytes FROM pattern_stats WHERE snapshot_id = ? ORDER BY rowid`)
      .raw()
      .all(s.id) as PatternRow[];
    const aux = (db.prepare('SELECT name AS key, value FROM aux WHERE snapshot_id = ? ORDER BY seq').all(s.id) as { key: string; value: string }[]);
    const { server, version } = serverOf(aux);
    const storedTime = partitionTimeOf(s);
    const snapshot: SnapshotInfo = {
      snapshotId: s.fingerprint,
      instance: instanceOf(s),
      fileName: s.file_name,
      path: s.path,
      fileBytes: s.file_bytes,
      compression: s.compression,
      // A time no date holds (stored before the load refused one) names no partition: as if none.
      snapshotTimeMs: storedTime ?? s.loaded_at_ms,
      timeSource: storedTime === null ? 'loaded_at' : s.time_source,
      server,
      serverVersion: version,
      rdbVersion: s.rdb_version,
      usedMem: s.used_mem,
      keyCount: s.key_count,
      keyRows: rows,
      keysMinBytes: s.keys_min_bytes,
      topPerPattern: s.top_per_pattern,
      status: s.status === 'partial' ? 'partial' : 'complete',
      error: s.error,
      memoryProfile: s.memory_profile,
      unestimatedKeys: s.unestimated_keys,
      rdbBytes: s.rdb_bytes,
      checksum: s.checksum ?? 'absent',
    };
    return { snapshot, dir: partition.finish(snapshot, patterns) };
  } catch (err) {
    partition.abort();
    // A value the Parquet schema cannot hold (key-columns.ts): named with its snapshot.
    throw err instanceof ExportRefusal ? new ExportRefusal(`snapshot ${s.id} (${s.path}): ${err.message}`) : err;
  }
}
