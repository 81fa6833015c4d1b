/**
 * Redis 8.8 arrays (rdb-format.md §9.7.7): `ar->alloc_size`, exact with the default
 * `array-slice-size` 4096 and `array-sparse-kmax` 10. Value part; the key object is added by the caller.
 */
import type { KeyRecord } from '../core/record.js';
import type { ValueEstimate } from './estimate.js';
import type { Sizing } from './sizing.js';

const SPARSE_MAX = 10;
const SUPERDIR_BLOCK = 2048;

export function arrayValue(rec: KeyRecord, s: Sizing): ValueEstimate {
  const a = rec.array;
  if (!a) return { encoding: 'sliced-array', bytes: rec.valueBytes, exact: false };
  const A = s.A;
  let bytes = A(80);
  const ids = a.sliceCounts.map((sl) => sl[0]);
  let highest = -1;
  for (const id of ids) if (id > highest) highest = id;
  if (highest >= 0 && highest < SUPERDIR_BLOCK) {
    bytes += A(8 * nextPow2Above(highest));
  } else if (highest >= SUPERDIR_BLOCK) {
    const blocks = new Set(ids.map((id) => Math.floor(id / SUPERDIR_BLOCK)));
    let cap = 4;
    while (cap < blocks.size) cap *= 2;
    bytes += A(24 * cap) + blocks.size * A(16384);
  }
  for (const [, n, lo, hi] of a.sliceCounts) {
    if (n <= SPARSE_MAX) {
      const c = n <= 4 ? 4 : n <= 8 ? 8 : 10;
      bytes += A(32 + Math.ceil((2 * c) / 8) * 8 + 8 * c);
    } else {
      let w = 8;
      while (w < hi - lo + 1 && w < 4096) w *= 2;
      bytes += A(32 + 8 * w);
    }
  }
  for (const len of a.sdsValueLengths) bytes += A((len <= 32767 ? 2 : 8) + len);
  const exact = a.sdsValueLengths.length <= a.count && a.sliceCounts.length > 0;
  return { encoding: 'sliced-array', bytes, exact };
}

/** Smallest power of two strictly greater than `x`. */
function nextPow2Above(x: number): number {
  let d = 1;
  while (d <= x) d *= 2;
  return d;
}
