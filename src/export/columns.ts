/**
 * The columns of the three Parquet files an export writes per snapshot: a public, stable contract
 * (docs/fleet.md lists them; test/export/schema.test.ts reads them back from the files). Column order
 * is part of it; new columns are only ever appended.
 */

/** What a column holds, and so its Parquet physical + logical type. */
export type ColumnKind =
  /** INT64 (bytes, counts, ms since the epoch). */
  | 'int64'
  /** INT32 (db number, RDB version, LFU counter). */
  | 'int32'
  /** BYTE_ARRAY with the STRING (UTF8) logical type. */
  | 'string'
  /** BYTE_ARRAY without a logical type: exact bytes. */
  | 'binary'
  /** INT64 with the TIMESTAMP logical type (milliseconds, adjusted to UTC). */
  | 'timestamp';

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  /** OPTIONAL (may be null) or REQUIRED. */
  nullable: boolean;
  doc: string;
}

const col = (name: string, kind: ColumnKind, nullable: boolean, doc: string): ColumnSpec => ({ name, kind, nullable, doc });

const SNAPSHOT_ID_DOC = 'the dump\'s identity: the fingerprint `load` stores (sha256 over size, first and last MiB of the file as stored), the same from a dump and from `--db`';

/** keys.parquet: one row per key (the `keys` JSONL fields; keys below --keys-min-bytes left out). */
export const KEY_COLUMNS: readonly ColumnSpec[] = [
  col('snapshot_id', 'string', false, SNAPSHOT_ID_DOC),
  col('db', 'int32', false, 'database number (`db`)'),
  col('key', 'binary', false, 'the exact key bytes (`keyHex` is `hex(key)`)'),
  col('key_text', 'string', false, 'the key as printable text: UTF-8, or escaped as redis-cli prints binary (`key`)'),
  col('pattern', 'string', false, 'key pattern (`user:*:events`), as `load` computes it'),
  col('type', 'string', false, 'Redis type: string, list, set, zset, hash, stream, module … (`type`)'),
  col('rdb_type', 'string', false, 'encoding in the file (`rdbType`)'),
  col('encoding', 'string', true, 'OBJECT ENCODING once loaded, from the memory model (`encoding`)'),
  col('elements', 'int64', false, 'STRLEN / LLEN / SCARD / ZCARD / HLEN / XLEN (`elements`)'),
  col('value_bytes', 'int64', false, 'bytes of the value in the file (`valueBytes`)'),
  col('memory_bytes', 'int64', true, 'estimated MEMORY USAGE (`memoryBytes`); null when the model could not estimate the key'),
  col('largest_element_bytes', 'int64', false, 'longest element (`largestElementBytes`)'),
  col('expire_at_ms', 'int64', true, 'expiry, ms since the epoch; null = no TTL (`expireAtMs`); one past 2^63 − 1024 (a server takes PEXPIREAT up to 2^63 − 1) is written as 9223372036854774784'),
  col('idle_seconds', 'int64', true, 'LRU idle time (`idleSeconds`)'),
  col('lfu_freq', 'int32', true, 'LFU counter (`lfuFreq`)'),
  col('fields_with_ttl', 'int64', true, 'hash fields carrying a TTL (`fieldsWithTtl`)'),
  col('stream_groups', 'int64', true, 'consumer groups of a stream (`streamGroups`)'),
  col('stream_pending', 'int64', true, 'pending entries of a stream (`streamPending`)'),
];

/** patterns.parquet: one row per (pattern, type), the sums `load` stores in pattern_stats (every key). */
export const PATTERN_COLUMNS: readonly ColumnSpec[] = [
  col('snapshot_id', 'string', false, SNAPSHOT_ID_DOC),
  col('pattern', 'string', false, 'key pattern; `<other>` past 20 000 (pattern, type) pairs'),
  col('type', 'string', false, 'Redis type'),
  col('keys', 'int64', false, 'keys'),
  col('memory_bytes', 'int64', true, 'Σ estimated memory (null without a memory model)'),
  col('file_bytes', 'int64', false, 'Σ bytes in the file'),
  col('untimed_keys', 'int64', false, 'keys without TTL'),
  col('untimed_memory', 'int64', true, 'Σ estimated memory of keys without TTL'),
  col('untimed_file_bytes', 'int64', false, 'Σ bytes in the file of keys without TTL'),
];

/** snapshot.parquet: one row describing the dump. */
export const SNAPSHOT_COLUMNS: readonly ColumnSpec[] = [
  col('snapshot_id', 'string', false, SNAPSHOT_ID_DOC),
  col('file_name', 'string', false, 'dump file name'),
  col('path', 'string', false, 'dump path as given to the export or load'),
  col('file_bytes', 'int64', false, 'size of the file as stored (compressed for .gz / .lz4)'),
  col('compression', 'string', false, 'none, gzip or lz4'),
  col('snapshot_time', 'timestamp', false, 'when the dump was made: AUX ctime, else the file mtime (see time_source); the partition date is its UTC day'),
  col('time_source', 'string', false, 'ctime or mtime; loaded_at (with --db) for a stored time no date holds'),
  col('server', 'string', true, 'redis or valkey (from the AUX version fields)'),
  col('server_version', 'string', true, 'valkey-ver, else redis-ver'),
  col('rdb_version', 'int32', true, 'RDB format version'),
  col('used_mem', 'int64', true, 'AUX used-mem: the server\'s used_memory when it saved; null when absent or not an integer below 2^63 in magnitude'),
  col('key_count', 'int64', false, 'keys in the dump (read before the error when partial)'),
  col('key_rows', 'int64', false, 'rows in keys.parquet'),
  col('keys_min_bytes', 'int64', true, 'the --keys-min-bytes limit of the key rows; null = every key'),
  col('top_per_pattern', 'int64', true, 'the load\'s --top-per-pattern limit (exports from --db); null = none'),
  col('status', 'string', false, 'complete, or partial (the dump stops halfway; see error)'),
  col('error', 'string', true, 'why a partial dump stopped'),
  col('memory_profile', 'string', true, 'memory model profile of the estimates (e.g. redis-7.2)'),
  col('unestimated_keys', 'int64', false, 'keys the memory model could not estimate (memory_bytes null)'),
  col('rdb_bytes', 'int64', false, 'RDB bytes read (decompressed)'),
  col('checksum', 'string', false, 'CRC64 outcome: ok <hex>, mismatch …, absent, skipped'),
];
