import { RdbError } from '../core/errors.js';
import type { ByteReader } from './byte-reader.js';

/** Marks a length byte of the form 11xxxxxx: a special string encoding, not a length (§2.1). */
export const ENC_INT8 = 0;
export const ENC_INT16 = 1;
export const ENC_INT32 = 2;
export const ENC_LZF = 3;

/**
 * Result slot of readLengthOrEncoding: when `special` is true, `value` is the encoding kind
 * (low 6 bits); otherwise it is the length. A module-level slot avoids an object per call on the
 * hot path; callers copy the two fields out immediately.
 */
export const lenResult = { value: 0, special: false };

/** Reads a length or a special-encoding marker (rdb-format.md §2.1). */
export function readLengthOrEncoding(r: ByteReader): void {
  const b = r.u8();
  const kind = b >> 6;
  if (kind === 0) {
    lenResult.value = b & 0x3f;
    lenResult.special = false;
  } else if (kind === 1) {
    lenResult.value = ((b & 0x3f) << 8) | r.u8();
    lenResult.special = false;
  } else if (kind === 3) {
    lenResult.value = b & 0x3f;
    lenResult.special = true;
  } else if (b === 0x80) {
    lenResult.value = r.u32be();
    lenResult.special = false;
  } else if (b === 0x81) {
    const at = r.offset;
    const v = r.u64be();
    if (v > Number.MAX_SAFE_INTEGER) {
      throw new RdbError('BAD_LENGTH', '64-bit length above 2^53 cannot be a size or count', at - 1);
    }
    lenResult.value = v;
    lenResult.special = false;
  } else {
    throw new RdbError('BAD_LENGTH', `unknown length encoding 0x${b.toString(16)}`, r.offset - 1);
  }
}

/** A plain length (count, db number, size). A special-encoding byte here is corrupt. */
export function readLength(r: ByteReader): number {
  readLengthOrEncoding(r);
  if (lenResult.special) throw new RdbError('BAD_LENGTH', 'string encoding byte where a length was expected', r.offset - 1);
  return lenResult.value;
}

/**
 * A length that may legitimately use the full 64 bits (stream ID parts, entries_read = 2^64-1,
 * module UINT values): returned as a bigint.
 */
export function readLengthBig(r: ByteReader): bigint {
  const b = r.peekU8();
  if (b === 0x81) {
    r.u8();
    return r.u64beBig();
  }
  return BigInt(readLength(r));
}
