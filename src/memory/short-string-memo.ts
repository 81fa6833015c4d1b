/**
 * Estimates of short plain strings, worked out once per shape instead of once per key.
 *
 * A string's estimate is a function of five facts of its record on every model family (classic,
 * modern, Valkey 8.0; classic-strings.ts, modern.ts string(), modern-key.ts, valkey80.ts): the key's
 * length, the value's length, whether the value is a canonical integer (`shape.strIsInt`), whether
 * the key has an expiry, and its KEY_META classes (none here). Dumps of small strings repeat a
 * handful of such shapes millions of times, and the estimate (two jemalloc class lookups, two
 * objects) cost ~30 ns a key of `keys` on 2 M tiny strings, as much as decoding them.
 * A test compares every memoized shape with the estimator's own answer on every profile.
 */
import { keyLengthOf, type KeyRecord, type MemoryEstimate } from '../core/record.js';

/** Key and value lengths below this are memoized: 6-bit lengths, the RDB's one-byte form (§2.1). */
const MAX_LENGTH = 64;

/**
 * `estimate` with its answers for short plain strings (RDB type 0) kept in a table. The answers
 * are shared between keys: a consumer reads `rec.memory`, never writes it.
 */
export function memoizeShortStrings(estimate: (rec: KeyRecord) => MemoryEstimate): (rec: KeyRecord) => MemoryEstimate {
  const known: (MemoryEstimate | undefined)[] = new Array<MemoryEstimate | undefined>(MAX_LENGTH * MAX_LENGTH * 4).fill(undefined);
  return (rec) => {
    if (rec.rdbTypeId !== 0 || rec.keyMeta !== undefined) return estimate(rec);
    const keyLength = keyLengthOf(rec);
    const valueLength = rec.largestElementBytes;
    if (keyLength >= MAX_LENGTH || valueLength >= MAX_LENGTH) return estimate(rec);
    const slot = (((keyLength << 6) | valueLength) << 2) | (rec.shape.strIsInt === true ? 2 : 0) | (rec.expireAtMs !== null ? 1 : 0);
    let m = known[slot];
    if (m === undefined) known[slot] = m = estimate(rec);
    return m;
  };
}
