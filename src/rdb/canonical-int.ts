/**
 * Integer-text rules Redis applies when it decides how to store an element (rdb-format.md §2.2,
 * §5.2, §5.3): which strings count as integers (`string2ll` / `lpStringToInt64`) and how many bytes
 * the chosen encoding then takes. Used to predict in-memory encodings and sizes from parsed data.
 */

const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
/** Magnitude limits of int64 as decimal digits: max positive and |min negative|. */
const INT64_MAX_DIGITS = [9, 2, 2, 3, 3, 7, 2, 0, 3, 6, 8, 5, 4, 7, 7, 5, 8, 0, 7];
const INT64_MIN_LAST_DIGIT = 8;

/**
 * True when buf[start, start+len) is the canonical decimal text of an int64 as `string2ll` accepts
 * it: optional '-', first digit 1-9 (or the single string "0"), digits only, within int64. So "-0",
 * "007", "+1", " 1" and "9223372036854775808" are not integers.
 */
export function canonicalInt64(buf: Uint8Array, start: number, len: number): boolean {
  if (len <= 0 || len > 20) return false;
  let p = start;
  const end = start + len;
  if (len === 1 && buf[p] === ZERO) return true;
  const negative = buf[p] === MINUS;
  if (negative) p++;
  const digits = end - p;
  if (digits === 0 || digits > 19) return false;
  const first = buf[p]!;
  if (first <= ZERO || first > NINE) return false;
  for (let i = p + 1; i < end; i++) {
    const c = buf[i]!;
    if (c < ZERO || c > NINE) return false;
  }
  if (digits < 19) return true;
  // 19 digits: compare with 9223372036854775807 (or ...808 for negatives) digit by digit.
  for (let i = 0; i < 19; i++) {
    const d = buf[p + i]! - ZERO;
    const limit = i === 18 && negative ? INT64_MIN_LAST_DIGIT : INT64_MAX_DIGITS[i]!;
    if (d !== limit) return d < limit;
  }
  return true;
}

/** Number of characters of the decimal text of a safe integer, '-' included. */
export function decimalLength(n: number): number {
  // A comparison ladder: this runs for every integer element, and a division loop showed in profiles.
  let len = 0;
  if (n < 0) {
    len = 1;
    n = -n;
  }
  if (n < 1e8) return len + (n < 10 ? 1 : n < 100 ? 2 : n < 1e3 ? 3 : n < 1e4 ? 4 : n < 1e5 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : 8);
  let digits = 8;
  for (let v = n / 1e8; v >= 1; v /= 10) digits++;
  return len + digits;
}

/**
 * Intset element width (§5.3: smallest of int16/int32/int64 that holds the value) for a string that
 * canonicalInt64 accepted.
 */
export function intsetWidthFor(buf: Uint8Array, start: number, len: number): 2 | 4 | 8 {
  const negative = buf[start] === MINUS;
  // Beyond 10 digits the value is outside int32; up to there parsing into a double is exact.
  if (len - (negative ? 1 : 0) > 10) return 8;
  const v = parseSmall(buf, start, len);
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  return 8;
}

/**
 * Bytes (encoding + data + backlen) Redis' listpack append uses for this element (§5.2): the
 * integer forms when the text is a canonical int64 (lpStringToInt64), else the 6/12/32-bit string
 * forms.
 */
export function listpackEntrySizeForString(buf: Uint8Array, start: number, len: number): number {
  if (canonicalInt64(buf, start, len)) {
    const negative = buf[start] === MINUS;
    const digits = len - (negative ? 1 : 0);
    // 11+ digits (|v| ≥ 1e10 > 2^32) always takes the 64-bit form; below that the double is exact.
    if (digits > 10) return 10;
    return listpackEntrySizeForInt(parseSmall(buf, start, len));
  }
  const encLen = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
  return encLen + listpackBacklenSize(encLen);
}

/** Same as listpackEntrySizeForString for an integer element (all int forms have a 1-byte backlen). */
export function listpackEntrySizeForInt(v: number): number {
  if (v >= 0 && v <= 127) return 2; // 7-bit uint
  if (v >= -4096 && v <= 4095) return 3; // 13-bit
  if (v >= -32768 && v <= 32767) return 4; // 16-bit
  if (v >= -8388608 && v <= 8388607) return 5; // 24-bit
  if (v >= -2147483648 && v <= 2147483647) return 6; // 32-bit
  return 10; // 64-bit
}

/** Bytes of the backlen field for an entry whose encoding+data is `l` bytes (`lpEncodeBacklen`). */
export function listpackBacklenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** Value of a validated canonical integer of at most 15 digits (exact as a double). */
function parseSmall(buf: Uint8Array, start: number, len: number): number {
  let p = start;
  const end = start + len;
  const negative = buf[p] === MINUS;
  if (negative) p++;
  let v = 0;
  for (; p < end; p++) v = v * 10 + (buf[p]! - ZERO);
  return negative ? -v : v;
}
