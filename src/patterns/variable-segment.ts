/**
 * Decides whether one key segment (text between separators) is a variable part of a key family — an
 * id, a number, a token — rather than a fixed word. Tuned to prefer false negatives on short
 * segments: a missed id splits a family in two, a wrongly starred word merges unrelated families.
 */

const DIGITS = /^\d+$/;
/** Hex ids: ≥ 8 hex chars in one case, with at least one digit (so words like `deadbeef`… mostly stay). */
const HEX_ID = /^(?=[^\d]*\d)(?:[0-9a-f]{8,}|[0-9A-F]{8,})$/;
/** Letters followed by a long number, e.g. `session1234`, `order20240115`: the number is the variable. */
const WORD_THEN_NUMBER = /^([A-Za-z]+)\d{4,}$/;
const ALNUM = /^[A-Za-z0-9]+$/;

/** Returns the segment's replacement: `*`, `word*`, or the segment unchanged. */
export function generalizeSegment(segment: string): string {
  // Short segments are fixed words unless all digits: skip the regexes for them (hot path).
  if (segment.length < 5) return segment.length > 0 && DIGITS.test(segment) ? '*' : segment;
  if (segment === '*') return segment;
  if (DIGITS.test(segment)) return '*';
  if (HEX_ID.test(segment)) return '*';
  if (isRandomToken(segment)) return '*';
  const m = WORD_THEN_NUMBER.exec(segment);
  if (m) return `${m[1]}*`;
  return segment;
}

/** Bytes in a binary id at least: as many as the shortest HEX_ID (8 hex digits) spells. */
export const BINARY_ID_BYTES = 4;

/**
 * Bytes spelled by text of a binary key's printable form (rdb/printable.ts: redis-cli's escapes,
 * `\xHH` for a byte that is not printable ASCII, `\n` `\r` `\t` `\a` `\b`, and `\\` `\"` for
 * backslash and quote), and whether one of them is not printable.
 */
export function escapedBytes(text: string): { bytes: number; binary: boolean } {
  let bytes = 0;
  let binary = false;
  for (let i = 0; i < text.length; i++, bytes++) {
    if (text[i] !== '\\') continue;
    const next = text[i + 1];
    if (next === 'x') {
      binary = true;
      i += 3;
    } else {
      if (next !== '\\' && next !== '"') binary = true;
      i += 1;
    }
  }
  return { bytes, binary };
}

/** Whether a segment of a binary key's printable text is a binary id: BINARY_ID_BYTES bytes or more, one not printable. */
export function isBinaryId(segment: string): boolean {
  const e = escapedBytes(segment);
  return e.binary && e.bytes >= BINARY_ID_BYTES;
}

/**
 * Long random tokens (session ids, API keys, base62 ids): ≥ 12 alphanumerics mixing letters and
 * digits, or mixing upper and lower case, whose character entropy is close to what a random string
 * of that length would show. English-like identifiers (`userprofilecache`) repeat letters and fail
 * the entropy bar.
 */
export function isRandomToken(segment: string): boolean {
  if (segment.length < 12 || !ALNUM.test(segment)) return false;
  const hasDigit = /\d/.test(segment);
  const hasLetter = /[A-Za-z]/.test(segment);
  const mixedCase = /[a-z]/.test(segment) && /[A-Z]/.test(segment);
  if (!((hasDigit && hasLetter) || mixedCase)) return false;
  return shannonEntropy(segment) >= 0.75 * Math.log2(Math.min(segment.length, 62));
}

/** Bits per character of the segment's own character distribution. */
export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

// Character classes of ASCII for the byte form below: disjoint bits, 0 = not alphanumeric.
const C_DIGIT = 1;
const C_LOWER_HEX = 2; // a-f
const C_LOWER_OTHER = 4; // g-z
const C_UPPER_HEX = 8; // A-F
const C_UPPER_OTHER = 16; // G-Z
const C_LOWER = C_LOWER_HEX | C_LOWER_OTHER;
const C_UPPER = C_UPPER_HEX | C_UPPER_OTHER;
const CLASS = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) CLASS[c] = C_DIGIT;
for (let c = 0x61; c <= 0x7a; c++) CLASS[c] = c <= 0x66 ? C_LOWER_HEX : C_LOWER_OTHER;
for (let c = 0x41; c <= 0x5a; c++) CLASS[c] = c <= 0x46 ? C_UPPER_HEX : C_UPPER_OTHER;
const STAR = 0x2a;
// Scratch for the entropy of one segment.
const counts = new Uint32Array(256);
const firstSeen = new Uint8Array(256);

/**
 * generalizeSegment on bytes: writes the replacement of the ASCII segment key[start, end) into out
 * at o and returns the end of what it wrote. The same rules, decided from one pass over character
 * classes instead of regular expressions, so a load builds no string per segment; test/patterns
 * checks that both forms agree.
 */
export function generalizeSegmentInto(key: Uint8Array, start: number, end: number, out: Uint8Array, o: number): number {
  const len = end - start;
  if (len === 0) return o;
  let any = 0;
  let digits = 0;
  let alnum = true;
  let letters = 0; // leading run of letters, for WORD_THEN_NUMBER
  let leading = true;
  for (let i = start; i < end; i++) {
    const c = CLASS[key[i]!]!;
    any |= c;
    if (c === C_DIGIT) digits++;
    else if (c === 0) alnum = false;
    if (leading) {
      if (c & (C_LOWER | C_UPPER)) letters++;
      else leading = false;
    }
  }
  if (digits === len) {
    out[o] = STAR;
    return o + 1;
  }
  if (len < 5 || !alnum) {
    // Short segments are fixed words; the remaining rules all need alphanumerics only.
    return copy(key, start, end, out, o);
  }
  const hasDigit = digits > 0;
  // HEX_ID: ≥ 8 hex digits of one case, at least one a digit.
  if (len >= 8 && hasDigit && ((any & ~(C_DIGIT | C_LOWER_HEX)) === 0 || (any & ~(C_DIGIT | C_UPPER_HEX)) === 0)) {
    out[o] = STAR;
    return o + 1;
  }
  if (len >= 12) {
    const hasLetter = (any & (C_LOWER | C_UPPER)) !== 0;
    const mixedCase = (any & C_LOWER) !== 0 && (any & C_UPPER) !== 0;
    if (((hasDigit && hasLetter) || mixedCase) && entropyOf(key, start, end) >= 0.75 * Math.log2(Math.min(len, 62))) {
      out[o] = STAR;
      return o + 1;
    }
  }
  if (letters > 0 && len - letters >= 4 && digits === len - letters) {
    o = copy(key, start, start + letters, out, o);
    out[o] = STAR;
    return o + 1;
  }
  return copy(key, start, end, out, o);
}

function copy(key: Uint8Array, start: number, end: number, out: Uint8Array, o: number): number {
  for (let i = start; i < end; i++) out[o++] = key[i]!;
  return o;
}

/** shannonEntropy of the segment, summed in first-occurrence order like the string form (same bits). */
function entropyOf(key: Uint8Array, start: number, end: number): number {
  let distinct = 0;
  for (let i = start; i < end; i++) {
    const b = key[i]!;
    if (counts[b]++ === 0) firstSeen[distinct++] = b;
  }
  const len = end - start;
  let h = 0;
  for (let j = 0; j < distinct; j++) {
    const b = firstSeen[j]!;
    const p = counts[b]! / len;
    h -= p * Math.log2(p);
    counts[b] = 0;
  }
  return h;
}
