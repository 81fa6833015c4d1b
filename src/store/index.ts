export { openStore, StoreError, type Store } from './open-store.js';
export { loadSnapshot, type LoadOptions, type LoadResult, type LoadProgress, type LoadInput, type LoadParse, type MemoryModel } from './load-snapshot.js';
export { listSnapshots, resolveSnapshot, deleteSnapshot, type SnapshotRow } from './snapshots.js';
export { fileFingerprint } from './fingerprint.js';
export { TTL_BUCKETS, ttlBucket, type TtlBucket } from './ttl-buckets.js';
export { OTHER_PATTERN, MAX_TRACKED_PATTERNS } from './load-aggregates.js';
export { SCHEMA_VERSION, MIGRATIONS, KEY_TEXT_SQL } from './schema.js';
