/**
 * Redis's glob matching (KEYS / SCAN MATCH), on raw key bytes: `*` any run of bytes, `?` one byte,
 * `[abc]` `[^abc]` `[a-z]` (a reversed range counts as its reverse) a set of bytes, `\x` the byte
 * x itself, anything else itself. Follows stringmatchlen() in Redis's src/util.c (7.x/8.x), case
 * sensitive, including its edge cases: range ends compared as signed chars, a `[` set left open at the end of the pattern runs to the
 * end, `\` inside a set escapes the next byte, a lone `\` at the end is itself, patterns nested more
 * than 1 000 stars deep do not match, and `*` alone matches every key (KEYS and SCAN skip the
 * matcher for it; the matcher itself would not match an empty key).
 */
export type KeyMatcher = (bytes: Uint8Array, start: number, length: number) => boolean;

export function redisGlob(pattern: Uint8Array): KeyMatcher {
  if (pattern.length === 1 && pattern[0] === STAR) return () => true;
  const literal = literalPrefixAndStar(pattern);
  if (literal !== null) {
    // `prefix*` (the common case): a byte comparison, no matcher.
    const n = literal.length;
    return (bytes, start, length) => {
      if (length < n) return false;
      for (let i = 0; i < n; i++) if (bytes[start + i] !== literal[i]) return false;
      return true;
    };
  }
  return (bytes, start, length) => {
    const state = { skipLonger: false };
    return matchAt(pattern, 0, bytes, start, start + length, state, 0);
  };
}

/** The bytes stringmatchlen() gives a meaning (`*`, `?`, `[…]` with `^` and ranges, `\` escapes). */
export const GLOB_BYTE = { STAR: 0x2a, QUESTION: 0x3f, OPEN: 0x5b, CLOSE: 0x5d, CARET: 0x5e, BACKSLASH: 0x5c, DASH: 0x2d } as const;
const { STAR, QUESTION, OPEN, CLOSE, CARET, BACKSLASH, DASH } = GLOB_BYTE;

/** The bytes before a final `*` when nothing else in the pattern is special; else null. */
function literalPrefixAndStar(p: Uint8Array): Uint8Array | null {
  if (p.length < 2 || p[p.length - 1] !== STAR) return null;
  for (let i = 0; i < p.length - 1; i++) {
    const c = p[i]!;
    if (c === STAR || c === QUESTION || c === OPEN || c === BACKSLASH) return null;
  }
  return p.subarray(0, p.length - 1);
}

function signed(b: number): number {
  return (b << 24) >> 24;
}

/** Pattern byte at i, 0 past the end (the C pattern is NUL-terminated and reads its terminator). */
function at(p: Uint8Array, i: number): number {
  return i < p.length ? p[i]! : 0;
}

/**
 * Does p[pi..] match s[si, end)? `state.skipLonger` is set once the rest of a pattern after a star
 * matched nowhere in the rest of the key: a star further left cannot help either (Redis's
 * skipLongerMatches), which keeps patterns with many stars from taking exponential time.
 */
function matchAt(p: Uint8Array, pi: number, s: Uint8Array, si: number, end: number, state: { skipLonger: boolean }, nesting: number): boolean {
  if (nesting > 1000) return false;
  const plen = p.length;
  while (pi < plen && si < end) {
    const c = p[pi]!;
    if (c === STAR) {
      while (pi + 1 < plen && p[pi + 1] === STAR) pi++;
      if (pi === plen - 1) return true;
      for (; si < end; si++) {
        if (matchAt(p, pi + 1, s, si, end, state, nesting + 1)) return true;
        if (state.skipLonger) return false;
      }
      state.skipLonger = true;
      return false;
    } else if (c === QUESTION) {
      si++;
    } else if (c === OPEN) {
      pi++;
      const not = at(p, pi) === CARET;
      if (not) pi++;
      const b = s[si]!;
      let match = false;
      for (;;) {
        const q = at(p, pi);
        if (q === BACKSLASH && plen - pi >= 2) {
          pi++;
          if (p[pi] === b) match = true;
        } else if (q === CLOSE) {
          break;
        } else if (pi >= plen) {
          pi--; // the set ran off the end: step back so the pattern ends with it
          break;
        } else if (plen - pi >= 3 && p[pi + 1] === DASH) {
          // Redis compares range ends as C chars, signed on the platforms it ships for: bytes of
          // 0x80 and up sort below 0x00 there.
          let lo = signed(q);
          let hi = signed(p[pi + 2]!);
          if (lo > hi) [lo, hi] = [hi, lo];
          pi += 2;
          const sb = signed(b);
          if (sb >= lo && sb <= hi) match = true;
        } else if (q === b) {
          match = true;
        }
        pi++;
      }
      if (not) match = !match;
      if (!match) return false;
      si++;
    } else {
      if (c === BACKSLASH && plen - pi >= 2) pi++;
      if (p[pi] !== s[si]) return false;
      si++;
    }
    pi++;
    if (si === end) {
      while (pi < plen && p[pi] === STAR) pi++;
      break;
    }
  }
  return pi === plen && si === end;
}
