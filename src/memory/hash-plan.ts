/**
 * What a Redis ≥ 7.0 server builds when it loads a hash (rdb-format.md §9.5, §7.1, §9.7.8): the
 * encoding, the listpack size for compact ones and the dict buckets for hash tables. Hash tables
 * built field by field may not be pre-sized for the final count and can end mid-rehash, which
 * MEMORY USAGE sees as two tables.
 */
import type { KeyRecord } from '../core/record.js';
import type { EncodingConfig } from './config.js';
import { GrowingDict, presizedBuckets } from './dict-buckets.js';
import { atLeast, type ServerProfile } from './profile.js';

export type HashPlan =
  | { encoding: 'listpack' | 'listpackex'; listpackBytes: number; exact: boolean }
  | { encoding: 'hashtable'; buckets: number; exact: boolean };

export function planHash(rec: KeyRecord, p: ServerProfile, cfg: EncodingConfig): HashPlan {
  const n = rec.elements;
  const sh = rec.shape;
  const maxEntries = cfg.hashMaxListpackEntries;
  const ttlAware = atLeast(p, 7, 4);
  const shortEntries =
    (sh.maxFieldBytes ?? rec.largestElementBytes) <= cfg.hashMaxListpackValue &&
    (sh.maxValueBytes ?? rec.largestElementBytes) <= cfg.hashMaxListpackValue;
  const noLongEntry = (sh.firstLongEntryIndex ?? -1) < 0 && shortEntries;
  const presized = (): HashPlan => ({ encoding: 'hashtable', buckets: presizedBuckets(n), exact: true });
  switch (rec.rdbType) {
    case 'hash-listpack':
      // kept as loaded when within the entry limit (only the count is checked, §9.5)
      if (n <= maxEntries) return { encoding: 'listpack', listpackBytes: sh.blobBytes ?? 0, exact: sh.blobBytes !== undefined };
      return presized();
    case 'hash-listpack-ex':
    case 'hash-listpack-ex-pre-ga':
      if (n > maxEntries) return presized();
      if (!ttlAware) return { encoding: 'listpack', listpackBytes: sh.listpackBytes ?? sh.blobBytes ?? 0, exact: false };
      return { encoding: 'listpackex', listpackBytes: sh.blobBytes ?? 0, exact: sh.blobBytes !== undefined };
    case 'hash-metadata':
    case 'hash-metadata-pre-ga':
      if (n > maxEntries) {
        // no pre-size: the table doubles from 4 as fields are added (§9.7.8 (b))
        const d = new GrowingDict();
        d.add(n);
        return { encoding: 'hashtable', buckets: d.buckets, exact: true };
      }
      if (ttlAware && noLongEntry) return { encoding: 'listpackex', listpackBytes: sh.listpackBytes ?? 0, exact: sh.listpackBytes != null };
      return convertedWhileLoading(rec, p);
    case 'hash-ziplist':
      // converted entry for entry into a listpack, kept when within the entry limit: only the count
      // is checked, however long an entry (`R:rdb.c rdbLoadObject` RDB_TYPE_HASH_ZIPLIST, 7.0–8.x,
      // Valkey alike)
      if (n <= maxEntries && sh.listpackBytes != null) return { encoding: 'listpack', listpackBytes: sh.listpackBytes, exact: true };
      return presized();
    case 'zipmap':
      // the zipmap conversion checks both the count and the longest field or value (RDB_TYPE_HASH_ZIPMAP)
      if (n <= maxEntries && shortEntries && sh.listpackBytes != null) return { encoding: 'listpack', listpackBytes: sh.listpackBytes, exact: true };
      return presized();
    case 'hash2':
      // Valkey 9 hash with field TTLs: always a table, pre-sized (§7.2)
      return presized();
    default:
      if (n > maxEntries) return presized();
      if (noLongEntry && sh.listpackBytes != null) return { encoding: 'listpack', listpackBytes: sh.listpackBytes, exact: true };
      return convertedWhileLoading(rec, p);
  }
}

/**
 * §9.7.8 (a): entries 0..p−1 went into a listpack; the p-th (first long) one converts it into a table
 * sized for p, then `dictTryExpand` asks for the remaining count (the total from 8.6), then the rest
 * is added one by one.
 */
function convertedWhileLoading(rec: KeyRecord, prof: ServerProfile): HashPlan {
  const n = rec.elements;
  const known = rec.shape.firstLongEntryIndex;
  const p = known !== undefined && known >= 0 ? Math.min(known, n - 1) : 0;
  const d = new GrowingDict();
  if (p > 0) {
    d.expand(p);
    d.add(p);
  }
  d.add(1);
  const remaining = n - p - 1;
  if (remaining > 4) d.expand(atLeast(prof, 8, 6) ? n : remaining);
  d.add(remaining);
  return { encoding: 'hashtable', buckets: d.buckets, exact: known !== undefined && known >= 0 };
}
