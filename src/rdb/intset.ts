import { RdbError } from '../core/errors.js';
import { decimalLength } from './canonical-int.js';

/**
 * Intset blob (rdb-format.md §5.3): encoding(u32 LE ∈ {2,4,8}) length(u32 LE) values (LE signed),
 * validated like Redis' intsetValidateIntegrity (deep): known width, byte length = 8 + width ×
 * count, not empty, values strictly ascending. The width is not required to be minimal: intsets
 * never shrink their encoding after removals.
 */
export function intsetSummary(
  buf: Uint8Array,
  start: number,
  end: number,
  offset: number,
): { width: 2 | 4 | 8; count: number; largest: number } {
  const size = end - start;
  if (size < 8) throw new RdbError('BAD_INTSET', `intset of ${size} bytes is shorter than its header`, offset);
  const enc = u32(buf, start);
  if (enc !== 2 && enc !== 4 && enc !== 8) throw new RdbError('BAD_INTSET', `invalid intset encoding ${enc}`, offset);
  const width: 2 | 4 | 8 = enc;
  const count = u32(buf, start + 4);
  if (count === 0) throw new RdbError('BAD_INTSET', 'empty intset', offset + 4);
  if (8 + width * count !== size) {
    throw new RdbError('BAD_INTSET', `intset of ${count} × ${width} bytes needs ${8 + width * count} bytes, blob has ${size}`, offset + 4);
  }
  const first = start + 8;
  const lastPos = first + width * (count - 1);
  let largest: number;
  if (width === 8) {
    // Compare (signed high word, unsigned low word) pairs: exact for all of int64.
    let prevHi = i32(buf, first + 4);
    let prevLo = u32(buf, first);
    for (let p = first + 8; p <= lastPos; p += 8) {
      const hi = i32(buf, p + 4);
      const lo = u32(buf, p);
      if (hi < prevHi || (hi === prevHi && lo <= prevLo)) throw notAscending(offset, p - start);
      prevHi = hi;
      prevLo = lo;
    }
    largest = Math.max(int64Length(buf, first), int64Length(buf, lastPos));
  } else {
    const read = width === 2 ? i16 : i32;
    let prev = read(buf, first);
    for (let p = first + width; p <= lastPos; p += width) {
      const v = read(buf, p);
      if (v <= prev) throw notAscending(offset, p - start);
      prev = v;
    }
    // Ascending, so the longest text is the smallest (most negative) or the largest value.
    largest = Math.max(decimalLength(read(buf, first)), decimalLength(prev));
  }
  return { width, count, largest };
}

function notAscending(offset: number, localPos: number): RdbError {
  return new RdbError('BAD_INTSET', 'intset values not strictly ascending', offset + localPos);
}

function int64Length(buf: Uint8Array, p: number): number {
  const v = i32(buf, p + 4) * 4294967296 + u32(buf, p);
  if (Number.isSafeInteger(v)) return decimalLength(v);
  return ((BigInt(i32(buf, p + 4)) << 32n) + BigInt(u32(buf, p))).toString().length;
}

function u32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
}

function i32(b: Uint8Array, p: number): number {
  return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
}

function i16(b: Uint8Array, p: number): number {
  return ((b[p]! | (b[p + 1]! << 8)) << 16) >> 16;
}
