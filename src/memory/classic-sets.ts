/**
 * Sets on Redis 7.0–8.0 (rdb-format.md §9.4 "Set", §9.5): intset, listpack (7.2+) or hash table.
 */
import type { KeyRecord } from '../core/record.js';
import type { EncodingConfig } from './config.js';
import { presizedBuckets } from './dict-buckets.js';
import type { ValueEstimate } from './estimate.js';
import { atLeast } from './profile.js';
import type { Sizing } from './sizing.js';

const ROBJ = 16;
const DICT = 56;
const DICT_ENTRY = 24;
const INTSET_HEADER = 8;

export function classicSet(rec: KeyRecord, s: Sizing, cfg: EncodingConfig): ValueEstimate {
  const n = rec.elements;
  const sh = rec.shape;
  const hasListpack = atLeast(s.profile, 7, 2);
  switch (rec.rdbType) {
    case 'intset':
      // a blob within the entry limit is kept as loaded
      if (n <= cfg.setMaxIntsetEntries) return { encoding: 'intset', bytes: ROBJ + s.A(sh.blobBytes ?? INTSET_HEADER + 8 * n), exact: sh.blobBytes !== undefined };
      return hashTableSet(rec, s);
    case 'set-listpack':
      if (hasListpack && n <= cfg.setMaxListpackEntries) return { encoding: 'listpack', bytes: ROBJ + s.A(sh.blobBytes ?? 0), exact: sh.blobBytes !== undefined };
      if (!hasListpack && sh.allInts && n <= cfg.setMaxIntsetEntries) return intsetFromMembers(rec, s);
      return hashTableSet(rec, s);
    default:
      // built member by member (`rdbLoadObject` RDB_TYPE_SET): intset while all are integers, then
      // listpack while small, else a hash table pre-sized for the full count
      if (sh.allInts && n <= cfg.setMaxIntsetEntries) return intsetFromMembers(rec, s);
      if (hasListpack && n <= cfg.setMaxListpackEntries && rec.largestElementBytes <= cfg.setMaxListpackValue && sh.listpackBytes != null) {
        return { encoding: 'listpack', bytes: ROBJ + s.A(sh.listpackBytes), exact: true };
      }
      return hashTableSet(rec, s);
  }
}

function intsetFromMembers(rec: KeyRecord, s: Sizing): ValueEstimate {
  const width = rec.shape.intWidth ?? 8;
  return { encoding: 'intset', bytes: ROBJ + s.A(INTSET_HEADER + width * rec.elements), exact: rec.shape.intWidth !== undefined };
}

/** 16 + 56 + 8·B(n) + Σ (24 + Z(member)); every load path pre-sizes the dict for the final count. */
function hashTableSet(rec: KeyRecord, s: Sizing): ValueEstimate {
  const n = rec.elements;
  const members = rec.shape.members;
  const m = s.over(members, n, s.Z, memberGuess(rec));
  const bytes = ROBJ + DICT + 8 * presizedBuckets(n) + DICT_ENTRY * n + m.bytes;
  const exact = m.exact;
  return { encoding: 'hashtable', bytes, exact };
}

/** Without member lengths: integer members of the recorded width, else the longest element. */
function memberGuess(rec: KeyRecord): number {
  if (rec.shape.allInts) return rec.shape.intWidth === 2 ? 5 : rec.shape.intWidth === 4 ? 10 : 19;
  return rec.largestElementBytes;
}
