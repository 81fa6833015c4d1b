/**
 * Memory that MEMORY USAGE never attributes to a key (rdb-format.md §9.1): the keyspace dict's bucket
 * arrays and, per volatile key, its entry in the `expires` dict. After a load both dicts are sized
 * from the RESIZEDB hints / key counts to the next power of two.
 *
 * MEMORY USAGE also counts each key's own dictEntry as `sizeof(dictEntry)` = 24 bytes, while the
 * allocator hands out A(24): the same on official builds (quantum 8) but 32 bytes with quantum 16
 * (distro builds, §9.2). That difference is real memory no key estimate holds, so it is counted here
 * (`entrySlackBytes`), as is the allocated size A(24) of each expires entry.
 */
import { presizedBuckets } from './dict-buckets.js';
import { jemallocSize } from './jemalloc.js';
import type { ServerProfile } from './profile.js';
import { atLeast } from './profile.js';

export interface KeyspaceOverhead {
  mainDictBuckets: number;
  expiresDictBuckets: number;
  expiresEntries: number;
  /** Σ (A(24) − 24) over the main dict's entries: 0 with quantum 8, 8 per key with quantum 16. */
  entrySlackBytes: number;
  bytes: number;
}

export function keyspaceOverhead(perDb: readonly { keys: number; expires: number }[], profile: ServerProfile): KeyspaceOverhead {
  let mainDictBuckets = 0;
  let expiresDictBuckets = 0;
  let expiresEntries = 0;
  let keys = 0;
  for (const db of perDb) {
    if (db.keys > 0) mainDictBuckets += presizedBuckets(db.keys);
    if (db.expires > 0) expiresDictBuckets += presizedBuckets(db.expires);
    expiresEntries += db.expires;
    keys += db.keys;
  }
  // Valkey ≥ 8.1 keeps keys in 64-byte, 7-slot hashtable buckets with no per-entry allocation;
  // Redis and Valkey 8.0 use 8-byte bucket pointers and a 24-byte dictEntry per expires entry.
  const valkeyTable = profile.family === 'valkey' && atLeast(profile, 8, 1);
  const bucketBytes = valkeyTable ? 0 : 8;
  const entryBytes = valkeyTable ? 0 : jemallocSize(24, profile.quantum);
  const entrySlackBytes = valkeyTable ? 0 : keys * (entryBytes - 24);
  let bytes = bucketBytes * (mainDictBuckets + expiresDictBuckets) + entryBytes * expiresEntries + entrySlackBytes;
  if (valkeyTable) {
    // b(n) = 2^ceil(log2(ceil(5n/32))) buckets of 64 bytes (§9.7.8 "Valkey hashtable")
    const table = (n: number) => (n > 0 ? 64 * 2 ** Math.ceil(Math.log2(Math.max(1, Math.ceil((5 * n) / 32)))) : 0);
    for (const db of perDb) bytes += table(db.keys) + table(db.expires);
  }
  return { mainDictBuckets, expiresDictBuckets, expiresEntries, entrySlackBytes, bytes };
}
