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
