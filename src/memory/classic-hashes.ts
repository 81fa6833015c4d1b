/**
 * Hashes on Redis 7.0–8.0 (rdb-format.md §9.4 "Hash", §9.5, §7.1): listpack, listpackex (7.4+,
 * fields with TTLs) or hash table. Hash tables built field by field may not be pre-sized for the
 * final count and can end mid-rehash (§9.7.8 "dict growth"), which MEMORY USAGE sees as two tables.
 */
import type { KeyRecord } from '../core/record.js';
import type { EncodingConfig } from './config.js';
import { GrowingDict, presizedBuckets } from './dict-buckets.js';
import type { ValueEstimate } from './estimate.js';
import { atLeast } from './profile.js';
import { mstrBytes } from './sds.js';
import type { Sizing } from './sizing.js';

const ROBJ = 16;
const DICT = 56;
const DICT_ENTRY = 24;
/** listpackEx struct in front of the listpack (7.4/8.0, §9.7.10). */
const LISTPACK_EX = 32;

export function classicHash(rec: KeyRecord, s: Sizing, cfg: EncodingConfig): ValueEstimate {
  const n = rec.elements;
  const sh = rec.shape;
  const maxEntries = cfg.hashMaxListpackEntries;
  const withTtls = atLeast(s.profile, 7, 4);
  const shortEntries = (sh.maxFieldBytes ?? rec.largestElementBytes) <= cfg.hashMaxListpackValue && (sh.maxValueBytes ?? rec.largestElementBytes) <= cfg.hashMaxListpackValue;
  switch (rec.rdbType) {
    case 'hash-listpack':
      if (n <= maxEntries) return { encoding: 'listpack', bytes: ROBJ + s.A(sh.blobBytes ?? 0), exact: sh.blobBytes !== undefined };
      return hashTable(rec, s, presizedBuckets(n));
    case 'hash-listpack-ex':
    case 'hash-listpack-ex-pre-ga':
      if (n <= maxEntries) {
        if (!withTtls) return { encoding: 'listpack', bytes: ROBJ + s.A(sh.listpackBytes ?? sh.blobBytes ?? 0), exact: false };
        return { encoding: 'listpackex', bytes: ROBJ + LISTPACK_EX + s.A(sh.blobBytes ?? 0), exact: sh.blobBytes !== undefined };
      }
      return hashTable(rec, s, presizedBuckets(n));
    case 'hash-metadata':
    case 'hash-metadata-pre-ga':
      if (n > maxEntries) {
        // no pre-size: the table doubles from 4 as fields are added (§9.7.8 (b))
        const d = new GrowingDict();
        d.add(n);
        return hashTable(rec, s, d.buckets);
      }
      if (withTtls && (sh.firstLongEntryIndex ?? -1) < 0 && shortEntries) {
        return { encoding: 'listpackex', bytes: ROBJ + LISTPACK_EX + s.A(sh.listpackBytes ?? 0), exact: sh.listpackBytes != null };
      }
      return convertedWhileLoading(rec, s, cfg);
    case 'hash-ziplist':
    case 'zipmap':
      if (n <= maxEntries && shortEntries && sh.listpackBytes != null) return { encoding: 'listpack', bytes: ROBJ + s.A(sh.listpackBytes), exact: true };
      return hashTable(rec, s, presizedBuckets(n));
    default:
      if (n > maxEntries) return hashTable(rec, s, presizedBuckets(n));
      if ((sh.firstLongEntryIndex ?? -1) < 0 && shortEntries && sh.listpackBytes != null) {
        return { encoding: 'listpack', bytes: ROBJ + s.A(sh.listpackBytes), exact: true };
      }
      return convertedWhileLoading(rec, s, cfg);
  }
}

/**
 * §9.7.8 (a): fields 0..p−1 went into a listpack; the p-th (first long) one converts it into a table
 * sized for p, then `dictTryExpand` asks for the remaining count (the total from 8.6), then the rest
 * is added one by one.
 */
function convertedWhileLoading(rec: KeyRecord, s: Sizing, cfg: EncodingConfig): ValueEstimate {
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
  const target = atLeast(s.profile, 8, 6) ? n : remaining;
  if (remaining > 4) d.expand(target);
  d.add(remaining);
  const est = hashTable(rec, s, d.buckets);
  void cfg;
  return { ...est, exact: est.exact && known !== undefined && known >= 0 };
}

/** 16 + 56 + 8·buckets + Σ (field + Z(value) + 24); fields are sds up to 7.2, mstr from 7.4. */
function hashTable(rec: KeyRecord, s: Sizing, buckets: number): ValueEstimate {
  const n = rec.elements;
  const sh = rec.shape;
  const mstr = atLeast(s.profile, 7, 4);
  let bytes = ROBJ + DICT + 8 * buckets + DICT_ENTRY * n;
  let exact = true;
  if (sh.members && sh.members.count === n) {
    bytes += mstr ? s.sum(sh.members, (len) => s.A(mstrBytes(len, false))) : s.sum(sh.members, s.Z);
    exact &&= sh.members.exact;
  } else {
    bytes += n * (mstr ? s.A(mstrBytes(rec.largestElementBytes, false)) : s.Z(rec.largestElementBytes));
    exact = false;
  }
  if (mstr && sh.ttlFieldLengths) {
    // a field with a TTL carries 18 more bytes of metadata (§9.3)
    bytes += s.sum(sh.ttlFieldLengths, (len) => s.A(mstrBytes(len, true)) - s.A(mstrBytes(len, false)));
  }
  if (sh.values && sh.values.count === n) {
    bytes += s.sum(sh.values, s.Z);
    exact &&= sh.values.exact;
  } else {
    bytes += n * s.Z(rec.largestElementBytes);
    exact = false;
  }
  return { encoding: 'hashtable', bytes, exact };
}
