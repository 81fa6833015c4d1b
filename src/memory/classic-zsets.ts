/**
 * Sorted sets on Redis 7.0–8.0 (rdb-format.md §9.4 "Zset", §9.5): listpack or skiplist + dict.
 * Skiplist node levels are random, so skiplist sizes are expectations (exact = false).
 */
import type { KeyRecord } from '../core/record.js';
import type { EncodingConfig } from './config.js';
import { presizedBuckets } from './dict-buckets.js';
import type { ValueEstimate } from './estimate.js';
import { expectedNodeAlloc, headerNodeAlloc } from './skiplist.js';
import { atLeast } from './profile.js';
import type { Sizing } from './sizing.js';

const ROBJ = 16;
const ZSET = 16;
const ZSKIPLIST = 32;
const DICT = 56;
const DICT_ENTRY = 24;
/** zskiplistNode without its level array: ele, score, backward. */
const NODE_BASE = 24;

export function classicZset(rec: KeyRecord, s: Sizing, cfg: EncodingConfig): ValueEstimate {
  const n = rec.elements;
  const sh = rec.shape;
  switch (rec.rdbType) {
    case 'zset-listpack':
      // kept as loaded when within the entry limit (only the count is checked, §9.5)
      if (n <= cfg.zsetMaxListpackEntries) return { encoding: 'listpack', bytes: ROBJ + s.A(sh.blobBytes ?? 0), exact: sh.blobBytes !== undefined };
      return skiplist(rec, s);
    case 'zset-ziplist':
      // converted entry for entry into a listpack and kept when within the entry limit: only the
      // count is checked, however long a member (`R:rdb.c rdbLoadObject` RDB_TYPE_ZSET_ZIPLIST)
      if (n <= cfg.zsetMaxListpackEntries && sh.listpackBytes != null) return { encoding: 'listpack', bytes: ROBJ + s.A(sh.listpackBytes), exact: true };
      return skiplist(rec, s);
    default: {
      // skiplist files and ziplists are rebuilt; small ones become a listpack (`zsetConvert`), a
      // skiplist's scores printed as this server prints doubles (double-text.ts)
      const g17 = s.profile.family === 'redis' && !atLeast(s.profile, 7, 2);
      const lp = g17 && sh.listpackBytesG17 !== undefined ? sh.listpackBytesG17 : sh.listpackBytes;
      if (n <= cfg.zsetMaxListpackEntries && rec.largestElementBytes <= cfg.zsetMaxListpackValue && lp != null) {
        return { encoding: 'listpack', bytes: ROBJ + s.A(lp), exact: true };
      }
      return skiplist(rec, s);
    }
  }
}

function skiplist(rec: KeyRecord, s: Sizing): ValueEstimate {
  const n = rec.elements;
  const q = s.profile.quantum;
  const members = rec.shape.members;
  let bytes = ROBJ + ZSET + ZSKIPLIST + DICT + 8 * presizedBuckets(n) + headerNodeAlloc(NODE_BASE, q);
  bytes += n * (DICT_ENTRY + expectedNodeAlloc(NODE_BASE, q));
  bytes += s.over(members, n, s.Z, rec.largestElementBytes).bytes;
  return { encoding: 'skiplist', bytes: Math.round(bytes), exact: false };
}
