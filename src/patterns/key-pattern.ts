import { replaceCompoundTokens } from './compound-tokens.js';
import { DEFAULT_PATTERN_OPTIONS, MAX_PATTERN_INPUT, type PatternOptions } from './options.js';
import { BINARY_ID_BYTES, escapedBytes, generalizeSegment } from './variable-segment.js';

/**
 * The key family a key belongs to: `user:42:events` and `user:7:events` → `user:*:events`.
 * A pure function of the key text (use the printable form for binary keys) and the options.
 */
export function keyPattern(key: string, options: PatternOptions = DEFAULT_PATTERN_OPTIONS): string {
  const truncated = key.length > MAX_PATTERN_INPUT;
  const text = truncated ? key.slice(0, MAX_PATTERN_INPUT) : key;
  const pattern = options.depth === null ? inferPattern(text, options.separators) : fixedDepthPattern(text, options);
  return truncated && !pattern.endsWith('*') ? `${pattern}*` : pattern;
}

function inferPattern(key: string, separators: string): string {
  // Compound tokens all contain '-', '.' or '@': skip the big regex for keys that have none (hot path).
  const text = key.includes('-') || key.includes('.') || key.includes('@') ? replaceCompoundTokens(key) : key;
  // A binary key (its printable text holds escapes): its raw id is one variable, however its bytes
  // fall on separators (`sess:<16 random bytes>:data` holds a `:`, `-` or `.` in a third of its
  // keys, and the pieces of the id between them were fixed words, a pattern per key).
  const run = text.includes('\\') ? binaryRun(text, separators) : null;
  if (run !== null) return inferSegments(text.slice(0, run.start), separators) + '*' + inferSegments(text.slice(run.end), separators);
  return inferSegments(text, separators);
}

/**
 * Where the raw id of a binary key's printable text is: from the first segment holding a byte that
 * is not printable to the end of the last such segment, when it spells BINARY_ID_BYTES bytes or
 * more (a one- or two-byte binary tag stays, as a short word does). Null otherwise.
 */
function binaryRun(text: string, separators: string): { start: number; end: number } | null {
  let first = -1;
  let last = -1;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !separators.includes(text[i]!)) continue;
    if (escapedBytes(text.slice(start, i)).binary) {
      if (first < 0) first = start;
      last = i;
    }
    start = i + 1;
  }
  if (first < 0 || escapedBytes(text.slice(first, last)).bytes < BINARY_ID_BYTES) return null;
  return { start: first, end: last };
}

function inferSegments(text: string, separators: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    // Separators are ASCII; a UTF-16 unit never matches one by accident.
    if (separators.includes(text[i]!)) {
      out += generalizeSegment(text.slice(start, i)) + text[i];
      start = i + 1;
    }
  }
  return out + generalizeSegment(text.slice(start));
}

/**
 * Fixed mode: the first `depth` segments split on the first separator, then `*` when the key has
 * more; shorter keys are kept whole (they are their own family).
 */
export function fixedDepthPattern(key: string, options: PatternOptions): string {
  const sep = options.separators[0] ?? ':';
  const depth = options.depth ?? 1;
  // Up to the depth-th separator, without splitting the whole key (`patterns --depth` calls this
  // once per key row: split/slice/join took a fifth of the report on 1 M keys).
  let at = -1;
  for (let i = 0; i < depth; i++) {
    at = key.indexOf(sep, at + 1);
    if (at < 0) return key;
  }
  return key.slice(0, at + 1) + '*';
}
