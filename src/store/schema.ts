/**
 * The database schema, as a forward-only list of migrations. `PRAGMA user_version` holds how many
 * have been applied; opening a database applies the rest in one transaction. Never edit a released
 * migration: append a new one.
 *
 * Tables
 * - `snapshots`: one row per loaded dump file.
 *     fingerprint = sha256 over (file size ‖ first 1 MiB ‖ last 1 MiB) of the file as stored on disk
 *     (compressed bytes for .gz/.lz4): cheap to compute before reading the whole file, which is what
 *     lets re-loading a known file be a no-op. snapshot_time_ms = AUX `ctime` (seconds → ms), else the
 *     file's mtime; `time_source` says which. status: `loading` (a load in progress, or one killed
 *     midway: the next load of the same file replaces it), `complete`, `partial` (the parser stopped
 *     with `error`; every key read before the fault is kept). memory_profile is the memory model
 *     profile used for `keys.memory_bytes` (NULL = no estimates: reports rank by bytes in the file);
 *     memory_profile_reason says why (--server, or the dump's version and the build used-mem points to).
 * - `keys`: one row per key (may later be limited by the scale knobs; the *_stats tables never are).
 *     key is the exact bytes (BLOB); key_printable is UTF-8 or redis-cli style escapes, stored only
 *     when it differs from the bytes (NULL for plain ASCII keys, most of them: smaller database, faster
 *     load) — use `coalesce(key_printable, CAST(key AS TEXT))`, or the view v_keys. expire_at_ms
 *     is absolute Unix ms. encoding is the in-memory encoding from the memory model (NULL without it);
 *     rdb_type is how the file stores the value.
 * - `aux`: the dump's AUX fields in file order.
 * - `type_stats`, `pattern_stats`, `ttl_stats`: per-snapshot aggregates computed during the load,
 *     complete even when per-key rows are limited. `pattern_stats` tracks a bounded number of distinct
 *     patterns; the rest is folded into the pattern `<other>` so memory stays flat. "untimed" = no TTL.
 *     ttl_stats.bucket is the remaining TTL at snapshot time: expired, <1m, <1h, <1d, <7d, <30d, >30d,
 *     none.
 *
 * Views (for ad hoc `rdbscope sql`): `v_keys` (keys with snapshot name/time, ttl_seconds at snapshot
 * time and size = memory when estimated else file bytes), `v_snapshots` (readable times), `v_patterns`.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: initial schema
  `
  CREATE TABLE snapshots (
    id               INTEGER PRIMARY KEY,
    file_name        TEXT    NOT NULL,
    path             TEXT    NOT NULL,
    file_bytes       INTEGER NOT NULL,
    fingerprint      TEXT    NOT NULL,
    compression      TEXT    NOT NULL,
    magic            TEXT,
    rdb_version      INTEGER,
    redis_ver        TEXT,
    snapshot_time_ms INTEGER,
    time_source      TEXT    NOT NULL,             -- 'ctime' | 'mtime' | 'none'
    used_mem         INTEGER,
    key_count        INTEGER NOT NULL DEFAULT 0,
    rdb_bytes        INTEGER NOT NULL DEFAULT 0,   -- decompressed RDB bytes read
    checksum         TEXT,
    status           TEXT    NOT NULL CHECK (status IN ('loading', 'complete', 'partial')),
    error            TEXT,
    memory_profile   TEXT,
    unestimated_keys INTEGER NOT NULL DEFAULT 0,   -- keys the memory model failed on (memory NULL)
    pattern_mode     TEXT    NOT NULL,
    loaded_at_ms     INTEGER NOT NULL
  );
  CREATE INDEX snapshots_by_fingerprint ON snapshots(fingerprint);

  CREATE TABLE keys (
    snapshot_id      INTEGER NOT NULL REFERENCES snapshots(id),
    db               INTEGER NOT NULL,
    key              BLOB    NOT NULL,
    key_printable    TEXT,                         -- NULL when the key is plain ASCII (= CAST(key AS TEXT))
    pattern          TEXT    NOT NULL,
    type             TEXT    NOT NULL,
    rdb_type         TEXT    NOT NULL,
    encoding         TEXT,
    elements         INTEGER NOT NULL,
    value_bytes      INTEGER NOT NULL,
    memory_bytes     INTEGER,
    largest_element  INTEGER NOT NULL,
    expire_at_ms     INTEGER,
    idle             INTEGER,
    freq             INTEGER,
    fields_with_ttl  INTEGER,
    stream_groups    INTEGER,
    stream_pending   INTEGER
  );

  CREATE TABLE aux (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    seq         INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    value       TEXT    NOT NULL,
    PRIMARY KEY (snapshot_id, seq)
  );

  CREATE TABLE type_stats (
    snapshot_id        INTEGER NOT NULL REFERENCES snapshots(id),
    db                 INTEGER NOT NULL,
    type               TEXT    NOT NULL,
    rdb_type           TEXT    NOT NULL,
    encoding           TEXT,
    keys               INTEGER NOT NULL,
    memory_bytes       INTEGER,
    file_bytes         INTEGER NOT NULL,
    untimed_keys       INTEGER NOT NULL,
    untimed_memory     INTEGER,
    untimed_file_bytes INTEGER NOT NULL,
    expired_keys       INTEGER NOT NULL
  );
  CREATE INDEX type_stats_by_snapshot ON type_stats(snapshot_id);

  CREATE TABLE pattern_stats (
    snapshot_id        INTEGER NOT NULL REFERENCES snapshots(id),
    pattern            TEXT    NOT NULL,
    type               TEXT    NOT NULL,
    keys               INTEGER NOT NULL,
    memory_bytes       INTEGER,
    file_bytes         INTEGER NOT NULL,
    untimed_keys       INTEGER NOT NULL,
    untimed_memory     INTEGER,
    untimed_file_bytes INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, pattern, type)
  );

  CREATE TABLE ttl_stats (
    snapshot_id  INTEGER NOT NULL REFERENCES snapshots(id),
    db           INTEGER NOT NULL,
    type         TEXT    NOT NULL,
    bucket       TEXT    NOT NULL,
    keys         INTEGER NOT NULL,
    memory_bytes INTEGER,
    file_bytes   INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, db, type, bucket)
  );

  CREATE VIEW v_snapshots AS
    SELECT id, file_name, path, status, error, key_count, file_bytes, rdb_version, redis_ver, used_mem,
           datetime(snapshot_time_ms / 1000, 'unixepoch') AS snapshot_time, time_source, memory_profile,
           datetime(loaded_at_ms / 1000, 'unixepoch') AS loaded_at
    FROM snapshots;

  CREATE VIEW v_keys AS
    SELECT k.snapshot_id, s.file_name AS snapshot, k.db, coalesce(k.key_printable, CAST(k.key AS TEXT)) AS key, k.pattern, k.type,
           k.rdb_type, k.encoding, k.elements, k.value_bytes AS file_bytes, k.memory_bytes,
           COALESCE(k.memory_bytes, k.value_bytes) AS size_bytes, k.largest_element,
           CASE WHEN k.expire_at_ms IS NULL THEN NULL
                ELSE (k.expire_at_ms - s.snapshot_time_ms) / 1000 END AS ttl_seconds,
           k.expire_at_ms, k.idle, k.freq, k.fields_with_ttl, k.stream_groups, k.stream_pending, k.key AS key_bytes
    FROM keys k JOIN snapshots s ON s.id = k.snapshot_id;

  CREATE VIEW v_patterns AS
    SELECT p.snapshot_id, s.file_name AS snapshot, p.pattern, p.type, p.keys, p.memory_bytes, p.file_bytes,
           p.untimed_keys, p.untimed_memory, p.untimed_file_bytes
    FROM pattern_stats p JOIN snapshots s ON s.id = p.snapshot_id;
  `,
  // 2: compact key rows (issue 5). Text that repeats on every key (db/type/rdb_type/encoding, pattern)
  // becomes integer ids into small dictionaries; idle/freq share one column; the stream and
  // field-TTL counters (rare) are packed into one nullable JSON column. `keys` becomes a view with
  // the version-1 columns, so every query written against version 1 keeps working.
  `
  CREATE TABLE patterns (
    id      INTEGER PRIMARY KEY,
    pattern TEXT NOT NULL UNIQUE
  );
  CREATE TABLE key_kinds (
    id       INTEGER PRIMARY KEY,
    db       INTEGER NOT NULL,
    type     TEXT    NOT NULL,
    rdb_type TEXT    NOT NULL,
    encoding TEXT
  );
  CREATE TABLE key_rows (
    snapshot_id     INTEGER NOT NULL,
    key             BLOB    NOT NULL,
    key_printable   TEXT,            -- NULL when the key is plain ASCII (= CAST(key AS TEXT))
    pattern_id      INTEGER NOT NULL, -- patterns.id
    kind_id         INTEGER NOT NULL, -- key_kinds.id: db, type, rdb_type, encoding
    elements        INTEGER NOT NULL,
    value_bytes     INTEGER NOT NULL,
    memory_bytes    INTEGER,
    largest_element INTEGER NOT NULL,
    expire_at_ms    INTEGER,
    access          INTEGER,         -- LRU idle seconds (>= 0), or -1 - LFU counter (< 0), or NULL
    extra           TEXT             -- NULL, or JSON {fields_with_ttl, stream_groups, stream_pending}
  );
  INSERT INTO patterns (pattern) SELECT DISTINCT pattern FROM keys;
  INSERT INTO key_kinds (db, type, rdb_type, encoding) SELECT DISTINCT db, type, rdb_type, encoding FROM keys;
  INSERT INTO key_rows
    SELECT k.snapshot_id, k.key, k.key_printable, p.id, t.id, k.elements, k.value_bytes, k.memory_bytes,
           k.largest_element, k.expire_at_ms,
           CASE WHEN k.idle IS NOT NULL THEN k.idle WHEN k.freq IS NOT NULL THEN -1 - k.freq END,
           CASE WHEN k.fields_with_ttl IS NULL AND k.stream_groups IS NULL THEN NULL
                ELSE json_object('fields_with_ttl', k.fields_with_ttl, 'stream_groups', k.stream_groups, 'stream_pending', k.stream_pending) END
    FROM keys k JOIN patterns p ON p.pattern = k.pattern
         JOIN key_kinds t ON t.db = k.db AND t.type = k.type AND t.rdb_type = k.rdb_type AND t.encoding IS k.encoding
    ORDER BY k.rowid;
  DROP INDEX IF EXISTS keys_by_snapshot;
  DROP TABLE keys;
  CREATE VIEW keys AS
    SELECT r.snapshot_id, t.db, r.key, r.key_printable, p.pattern, t.type, t.rdb_type, t.encoding, r.elements,
           r.value_bytes, r.memory_bytes, r.largest_element, r.expire_at_ms,
           CASE WHEN r.access >= 0 THEN r.access END AS idle,
           CASE WHEN r.access < 0 THEN -1 - r.access END AS freq,
           json_extract(r.extra, '$.fields_with_ttl') AS fields_with_ttl,
           json_extract(r.extra, '$.stream_groups') AS stream_groups,
           json_extract(r.extra, '$.stream_pending') AS stream_pending,
           r.rowid AS rowid
    FROM key_rows r JOIN key_kinds t ON t.id = r.kind_id JOIN patterns p ON p.id = r.pattern_id;

  -- Size distribution per snapshot and type (percentiles without per-key rows): log buckets, 8 per
  -- doubling (bucket 0 = size 0; bucket b >= 1 holds sizes in [2^((b-1)/8), 2^(b/8)) ), with the exact
  -- smallest and largest size seen in each. size = memory estimate when the snapshot has one, else
  -- bytes in the file.
  CREATE TABLE size_stats (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
    type        TEXT    NOT NULL,
    bucket      INTEGER NOT NULL,
    keys        INTEGER NOT NULL,
    size_bytes  INTEGER NOT NULL,
    min_bytes   INTEGER NOT NULL,
    max_bytes   INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, type, bucket)
  );

  -- Scale knobs the snapshot was loaded with, and how many per-key rows were kept.
  ALTER TABLE snapshots ADD COLUMN keys_min_bytes INTEGER;
  ALTER TABLE snapshots ADD COLUMN top_per_pattern INTEGER;
  ALTER TABLE snapshots ADD COLUMN key_rows INTEGER;
  UPDATE snapshots SET key_rows = key_count;
  -- Content identity: CRC64 trailer + decompressed length (same dump as .rdb, .gz or .lz4).
  CREATE INDEX snapshots_by_checksum ON snapshots(checksum);
  `,
  // v3: what the loaded keys hold beyond what MEMORY USAGE charges them (stream radix trees,
  // quantum-16 struct rounding), summed at load for the summary's reconciliation with used-mem.
  `
  ALTER TABLE snapshots ADD COLUMN allocation_gap_bytes INTEGER;
  `,
  // v4: key rows found by row-id range instead of an index (issue 5: building key_rows(snapshot_id)
  // took ~20% of a load of 5 M tiny keys). key_rows gets an INTEGER PRIMARY KEY so row ids are
  // stable (VACUUM may renumber an implicit rowid) and each snapshot records the range its rows
  // occupy; reports scan `row_id BETWEEN first_row AND last_row AND snapshot_id = id`. Rows are
  // copied grouped by snapshot, so old snapshots get exact ranges.
  `
  DROP VIEW v_keys;
  DROP VIEW keys;
  CREATE TABLE key_rows_v4 (
    row_id          INTEGER PRIMARY KEY,
    snapshot_id     INTEGER NOT NULL,
    key             BLOB    NOT NULL,
    key_printable   TEXT,
    pattern_id      INTEGER NOT NULL,
    kind_id         INTEGER NOT NULL,
    elements        INTEGER NOT NULL,
    value_bytes     INTEGER NOT NULL,
    memory_bytes    INTEGER,
    largest_element INTEGER NOT NULL,
    expire_at_ms    INTEGER,
    access          INTEGER,
    extra           TEXT
  );
  INSERT INTO key_rows_v4 (snapshot_id, key, key_printable, pattern_id, kind_id, elements, value_bytes, memory_bytes,
                           largest_element, expire_at_ms, access, extra)
    SELECT snapshot_id, key, key_printable, pattern_id, kind_id, elements, value_bytes, memory_bytes,
           largest_element, expire_at_ms, access, extra
    FROM key_rows ORDER BY snapshot_id, rowid;
  DROP TABLE key_rows;
  ALTER TABLE key_rows_v4 RENAME TO key_rows;
  ALTER TABLE snapshots ADD COLUMN first_row INTEGER;
  ALTER TABLE snapshots ADD COLUMN last_row INTEGER;
  UPDATE snapshots SET (first_row, last_row) = (SELECT min(row_id), max(row_id) FROM key_rows WHERE snapshot_id = snapshots.id);
  CREATE VIEW keys AS
    SELECT r.snapshot_id, t.db, r.key, r.key_printable, p.pattern, t.type, t.rdb_type, t.encoding, r.elements,
           r.value_bytes, r.memory_bytes, r.largest_element, r.expire_at_ms,
           CASE WHEN r.access >= 0 THEN r.access END AS idle,
           CASE WHEN r.access < 0 THEN -1 - r.access END AS freq,
           json_extract(r.extra, '$.fields_with_ttl') AS fields_with_ttl,
           json_extract(r.extra, '$.stream_groups') AS stream_groups,
           json_extract(r.extra, '$.stream_pending') AS stream_pending,
           r.row_id AS rowid
    FROM key_rows r JOIN key_kinds t ON t.id = r.kind_id JOIN patterns p ON p.id = r.pattern_id;
  CREATE VIEW v_keys AS
    SELECT k.snapshot_id, s.file_name AS snapshot, k.db, coalesce(k.key_printable, CAST(k.key AS TEXT)) AS key, k.pattern, k.type,
           k.rdb_type, k.encoding, k.elements, k.value_bytes AS file_bytes, k.memory_bytes,
           COALESCE(k.memory_bytes, k.value_bytes) AS size_bytes, k.largest_element,
           CASE WHEN k.expire_at_ms IS NULL THEN NULL
                ELSE (k.expire_at_ms - s.snapshot_time_ms) / 1000 END AS ttl_seconds,
           k.expire_at_ms, k.idle, k.freq, k.fields_with_ttl, k.stream_groups, k.stream_pending, k.key AS key_bytes
    FROM keys k JOIN snapshots s ON s.id = k.snapshot_id AND k.rowid BETWEEN s.first_row AND s.last_row;
  `,
  // v5: the server a snapshot comes from (issue 14). Growth and forecast compare snapshots of one
  // instance only, so a database can hold the nightly backups of many shards. NULL (snapshots loaded
  // before v5) is one default instance; `load --instance`, else the dump's parent directory name.
  `
  ALTER TABLE snapshots ADD COLUMN instance TEXT;
  CREATE INDEX snapshots_by_instance ON snapshots(instance, snapshot_time_ms);
  DROP VIEW v_snapshots;
  CREATE VIEW v_snapshots AS
    SELECT id, instance, file_name, path, status, error, key_count, file_bytes, rdb_version, redis_ver, used_mem,
           datetime(snapshot_time_ms / 1000, 'unixepoch') AS snapshot_time, time_source, memory_profile,
           datetime(loaded_at_ms / 1000, 'unixepoch') AS loaded_at
    FROM snapshots;
  `,
  // v6: why memory_profile is what it is (issue 19): given by --server, or the dump's version with
  // the allocator build told by used-mem; the summary names it.
  `
  ALTER TABLE snapshots ADD COLUMN memory_profile_reason TEXT;
  `,
  // v7: what a load learnt about the dump itself (issue 15). unknown_version = 1: the header's RDB
  // version is none a release writes and the dump was read anyway (--relaxed-version-check).
  // empty_keys: empty lists, sets, zsets and hashes, which a server drops on load: their key rows
  // are kept (memory NULL), the *_stats tables leave them out. duplicate_keys: keys that occur more
  // than once in their db (a server refuses such a file); NULL = not checked (a dump too large for
  // the in-memory check, loaded without --check-duplicates or with per-key rows limited, or a
  // snapshot loaded before v7).
  `
  ALTER TABLE snapshots ADD COLUMN unknown_version INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE snapshots ADD COLUMN empty_keys INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE snapshots ADD COLUMN duplicate_keys INTEGER;
  `,
  // v8: a load whose first keys could not tell the allocator build estimates every key under both
  // builds (produce-rows.ts weighBothBuilds) and keeps the first build's estimate in memory_bytes
  // and the other's difference here, so that when the whole dump points to the other build it
  // switches the rows in place (memory_bytes + other_build_delta, and the delta negated) instead of
  // reading the dump again. Either way it then holds the estimate under the build memory_profile
  // does not name, minus memory_bytes; NULL for rows of other loads.
  `
  ALTER TABLE key_rows ADD COLUMN other_build_delta INTEGER;
  `,
  // v9: v_keys.ttl_seconds rounds as Redis's TTL rounds ((ttl + 500) / 1000, R:expire.c
  // ttlGenericCommand; an expired key's the same way below zero), as report bigkeys prints it. It
  // truncated: a key with 59.7 s left read 59 here and 60 in bigkeys and in redis-cli TTL.
  `
  DROP VIEW v_keys;
  CREATE VIEW v_keys AS
    SELECT k.snapshot_id, s.file_name AS snapshot, k.db, coalesce(k.key_printable, CAST(k.key AS TEXT)) AS key, k.pattern, k.type,
           k.rdb_type, k.encoding, k.elements, k.value_bytes AS file_bytes, k.memory_bytes,
           COALESCE(k.memory_bytes, k.value_bytes) AS size_bytes, k.largest_element,
           CASE WHEN k.expire_at_ms IS NULL THEN NULL
                WHEN k.expire_at_ms >= s.snapshot_time_ms THEN (k.expire_at_ms - s.snapshot_time_ms + 500) / 1000
                ELSE -((500 - (k.expire_at_ms - s.snapshot_time_ms)) / 1000) END AS ttl_seconds,
           k.expire_at_ms, k.idle, k.freq, k.fields_with_ttl, k.stream_groups, k.stream_pending, k.key AS key_bytes
    FROM keys k JOIN snapshots s ON s.id = k.snapshot_id AND k.rowid BETWEEN s.first_row AND s.last_row;
  `,
  // v10: key_kinds found by what a kind is (Dictionaries.kind, key-inserter.ts: once per db, type and
  // encoding new to a load). Without an index each lookup read the whole table: a dump of 20 000
  // dbs took 5.4 s to load, one of 40 000 dbs 21 s.
  `
  CREATE INDEX key_kinds_by_kind ON key_kinds (db, type, rdb_type, encoding);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Oldest schema a read-only open (`report`, `sql`, `html`, `export --db`) reads as it is: the
 * migrations after it change nothing a reader sees (v10 adds an index that only loads use). A reader
 * cannot migrate (it may read a database it cannot write), so a migration that changes tables or
 * views must raise this to its own version; older databases then need one `rdbscope load`.
 */
export const READABLE_SINCE_VERSION = 9;

/** SQL expression for a key's printable text in the `keys` table (see key_printable above). */
export const KEY_TEXT_SQL = 'coalesce(key_printable, CAST(key AS TEXT))';

/**
 * Indexes built after bulk loads (IF NOT EXISTS: once, over the loaded rows). None since v4: reports
 * reach a snapshot's key rows by its row-id range (`KEY_ROWS_OF`), and indexes on key bytes cost
 * most of the index build time while no report needs them.
 */
export const POST_LOAD_INDEXES: readonly string[] = [];

/**
 * SQL condition selecting one snapshot's rows of `key_rows` (or of the `keys` view, whose `rowid` is
 * the row id): the range narrows the scan, the id keeps it exact when concurrent loads (`--jobs`)
 * interleaved their rows. Parameters, in order: first_row, last_row, snapshot id.
 */
export const KEY_ROWS_OF = 'rowid BETWEEN ? AND ? AND snapshot_id = ?';

/** Parameters of KEY_ROWS_OF for a snapshot (a snapshot without key rows has a NULL range: no rows). */
export function keyRowsOf(s: { id: number; first_row: number | null; last_row: number | null }): [number | null, number | null, number] {
  return [s.first_row, s.last_row, s.id];
}

/** Tables holding per-snapshot rows (deleting a snapshot empties them for its id). */
export const SNAPSHOT_TABLES = ['key_rows', 'aux', 'type_stats', 'pattern_stats', 'ttl_stats', 'size_stats'] as const;
