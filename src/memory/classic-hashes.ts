/**
 * Hashes on Redis 7.0–8.0 (rdb-format.md §9.4 "Hash"): listpack, listpackex (7.4+, fields with
 * TTLs: a 32-byte listpackEx in front) or hash table (encoding choice in hash-plan.ts).
 */
import type { KeyRecord } from '../core/record.js';
import type { EncodingConfig } from './config.js';
import type { ValueEstimate } from './estimate.js';
import { planHash } from './hash-plan.js';
import { atLeast } from './profile.js';
import { mstrBytes } from './sds.js';
import type { Sizing } from './sizing.js';

const ROBJ = 16;
const DICT = 56;
const DICT_ENTRY = 24;
const LISTPACK_EX = 32;

export function classicHash(rec: KeyRecord, s: Sizing, cfg: EncodingConfig): ValueEstimate {
  const plan = planHash(rec, s.profile, cfg);
  if (plan.encoding !== 'hashtable') {
    const ex = plan.encoding === 'listpackex' ? LISTPACK_EX : 0;
    return { encoding: plan.encoding, bytes: ROBJ + ex + s.A(plan.listpackBytes), exact: plan.exact };
  }
  const t = hashTableEntries(rec, s);
  return { encoding: 'hashtable', bytes: ROBJ + DICT + 8 * plan.buckets + DICT_ENTRY * rec.elements + t.bytes, exact: plan.exact && t.exact };
}

/** Σ (field + Z(value)); fields are sds up to 7.2, mstr from 7.4 (+18 bytes with a TTL, §9.3). */
export function hashTableEntries(rec: KeyRecord, s: Sizing, value: (len: number) => number = s.Z): { bytes: number; exact: boolean } {
  const n = rec.elements;
  const sh = rec.shape;
  const mstr = atLeast(s.profile, 7, 4);
  const field = (len: number) => (mstr ? s.A(mstrBytes(len, false)) : s.Z(len));
  const f = s.over(sh.members, n, field, sh.maxFieldBytes ?? rec.largestElementBytes);
  const v = s.over(sh.values, n, value, sh.maxValueBytes ?? rec.largestElementBytes);
  let bytes = f.bytes + v.bytes;
  if (mstr && sh.ttlFieldLengths) bytes += s.sum(sh.ttlFieldLengths, (len) => s.A(mstrBytes(len, true)) - s.A(mstrBytes(len, false)));
  const exact = f.exact && v.exact;
  return { bytes, exact };
}
