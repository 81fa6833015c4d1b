/**
 * Valkey 8.0 (rdb-format.md §9.7.0): the value as Redis 7.2 counts it, with two differences of its
 * `dict` (V@8.0:dict.c):
 *   - the key sits inside an embedded dictEntry of 17 + S(kl) bytes (`createEmbeddedEntry`,
 *     `embedKey`) instead of a separate sds + 24-byte entry;
 *   - a set's dict has no values and odd (sds) keys (`setDictType`: no_value, keys_are_odd), so a
 *     member alone in its bucket is stored in the bucket itself and only a member added to an
 *     occupied bucket gets a 16-byte `dictEntryNoValue` (`dictInsertAtPosition`);
 *     `objectComputeSize` charges `dictEntryMemUsage`: 0 or 16 per member.
 * Which members share a bucket depends on the per-process siphash seed (`dictSetHashFunctionSeed`
 * from random bytes in `main`), so a set's entry count is an expectation.
 */
import type { KeyRecord, MemoryEstimate } from '../core/record.js';
import { keyLengthOf } from '../core/record.js';
import { presizedBuckets } from './dict-buckets.js';
import { sdsBytes } from './sds.js';
import type { Sizing } from './sizing.js';

const DICT_ENTRY = 24;
const DICT_ENTRY_NO_VALUE = 16;

export function valkey80Estimate(rec: KeyRecord, classic: MemoryEstimate, s: Sizing): MemoryEstimate {
  const classicKey = s.Z(keyLengthOf(rec)) + DICT_ENTRY;
  const valkeyKey = s.A(17 + sdsBytes(keyLengthOf(rec), s.sdsRule));
  let bytes = classic.bytes - classicKey + valkeyKey;
  let exact = classic.exact;
  if (rec.type === 'set' && classic.encoding === 'hashtable') {
    const n = rec.elements;
    bytes += Math.round(DICT_ENTRY_NO_VALUE * expectedChained(n, presizedBuckets(n))) - DICT_ENTRY * n;
    exact = false;
  }
  return { ...classic, bytes, exact };
}

/**
 * Members that find their bucket occupied when `n` members hash uniformly into `b` buckets:
 * n − E[non-empty buckets] = n − b·(1 − (1 − 1/b)^n).
 */
export function expectedChained(n: number, b: number): number {
  return n - b * (1 - (1 - 1 / b) ** n);
}
