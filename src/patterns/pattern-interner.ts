import { MAX_PATTERN_INPUT, type PatternOptions } from './options.js';
import { generalizeSegmentInto } from './variable-segment.js';

const BACKSLASH = 0x5c;
const AT = 0x40;
const DASH = 0x2d;
const DOT = 0x2e;
/** Distinct patterns remembered before the table starts afresh (bounds memory on pattern-rich dumps). */
const MAX_ENTRIES = 1 << 16;
/** Bytes of pattern text remembered before the table starts afresh. */
const MAX_POOL = 4 << 20;

const STAR = 0x2a;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;
const ALNUM = new Uint8Array(256);
for (const c of '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ') ALNUM[c.charCodeAt(0)] = 1;
/** 8-4-4-4-12 hex digits (compound-tokens.ts UUID). */
const UUID_LENGTH = 36;

/**
 * Whether key[at, at + 36) is a UUID that compound-tokens.ts replaces: hex digits with dashes at
 * 8, 13, 18, 23, not glued to an alphanumeric on either side (within the key key[from, to)).
 */
function uuidAt(key: Uint8Array, at: number, from: number, to: number): boolean {
  if (at < from || at + UUID_LENGTH > to) return false;
  if (at > from && ALNUM[key[at - 1]!]) return false;
  if (at + UUID_LENGTH < to && ALNUM[key[at + UUID_LENGTH]!]) return false;
  for (let j = 0; j < UUID_LENGTH; j++) {
    const b = key[at + j]!;
    if (j === 8 || j === 13 || j === 18 || j === 23 ? b !== DASH : !HEX[b]) return false;
  }
  return true;
}

/**
 * The key patterns of one load, as one shared string per distinct pattern.
 *
 * Most keys are "plain": printable ASCII with no `\` (so their printable form is their bytes) and no
 * compound token (compound-tokens.ts) other than a UUID — every other token holds `@`, or a `-` or
 * `.` between two hex digits, which sends the key to keyPattern. A plain key is generalised on its
 * bytes into a scratch buffer and its pattern looked up by those bytes, so it costs no string at all:
 * on a load of millions of keys this was the largest share of the worker's time. Other keys
 * (binary, UTF-8, dates, addresses, fixed-depth mode) go through keyPattern on their printable text,
 * the definition both paths must agree with (test/patterns/pattern-interner.test.ts).
 */
export class PatternInterner {
  private readonly separator = new Uint8Array(256);
  private readonly fixed: boolean;
  private readonly text = new Uint8Array(MAX_PATTERN_INPUT);
  private readonly out = new Uint8Array(MAX_PATTERN_INPUT);
  // Open addressing: slot → entry index + 1 (0 = empty). Entries: hash, text bytes in the pool, string.
  private slots = new Int32Array(1024);
  private hashes: number[] = [];
  private starts: number[] = [];
  private lengths: number[] = [];
  private strings: string[] = [];
  private pool = new Uint8Array(64 * 1024);
  private poolUsed = 0;

  constructor(options: PatternOptions) {
    for (let i = 0; i < options.separators.length; i++) {
      const c = options.separators.charCodeAt(i);
      if (c < 0x80) this.separator[c] = 1;
    }
    this.fixed = options.depth !== null;
  }

  /**
   * The pattern of the plain key key[from, to) (see the class comment), or null when the key is not
   * plain. A range, so callers holding many keys in one buffer need no view per key.
   */
  plainPattern(key: Uint8Array, from = 0, to = key.length): string | null {
    if (this.fixed || to - from > MAX_PATTERN_INPUT) return null;
    // Pass 1: the key with its UUIDs replaced by `*` (replaceCompoundTokens, on bytes), into `text`.
    const text = this.text;
    let t = 0;
    for (let i = from; i < to; i++) {
      const b = key[i]!;
      if (b < 0x20 || b >= 0x7f || b === BACKSLASH || b === AT) return null;
      if ((b === DASH || b === DOT) && i > from && i + 1 < to && HEX[key[i - 1]!] && HEX[key[i + 1]!]) {
        // A `-` between hex digits is the first dash of a UUID, or something only keyPattern can
        // judge (a date, an address, a UUID without its boundaries).
        if (b === DOT || !uuidAt(key, i - 8, from, to)) return null;
        t -= 8;
        text[t++] = STAR;
        i += UUID_LENGTH - 9;
        continue;
      }
      text[t++] = b;
    }
    // Pass 2: split on separators and generalise each segment.
    const sep = this.separator;
    const out = this.out;
    let o = 0;
    let start = 0;
    for (let i = 0; i < t; i++) {
      const b = text[i]!;
      if (sep[b]) {
        o = generalizeSegmentInto(text, start, i, out, o);
        out[o++] = b;
        start = i + 1;
      }
    }
    o = generalizeSegmentInto(text, start, t, out, o);
    return this.intern(out, o);
  }

  /** The shared string for the bytes out[0, len). */
  private intern(out: Uint8Array, len: number): string {
    // FNV-1a
    let h = 0x811c9dc5;
    for (let i = 0; i < len; i++) h = Math.imul(h ^ out[i]!, 0x01000193);
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]! - 1;
      if (e < 0) return this.add(s, h, out, len);
      if (this.hashes[e] === h && this.lengths[e] === len && this.sameBytes(this.starts[e]!, out, len)) return this.strings[e]!;
    }
  }

  private sameBytes(at: number, out: Uint8Array, len: number): boolean {
    const pool = this.pool;
    for (let i = 0; i < len; i++) if (pool[at + i] !== out[i]) return false;
    return true;
  }

  private add(slot: number, h: number, out: Uint8Array, len: number): string {
    const text = latin1(out, len);
    if (this.strings.length >= MAX_ENTRIES || this.poolUsed + len > MAX_POOL) {
      this.reset();
      return text; // the next key of this pattern enters the fresh table
    }
    if (this.poolUsed + len > this.pool.length) {
      const grown = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + len));
      grown.set(this.pool.subarray(0, this.poolUsed));
      this.pool = grown;
    }
    this.pool.set(out.subarray(0, len), this.poolUsed);
    const e = this.strings.length;
    this.hashes.push(h);
    this.starts.push(this.poolUsed);
    this.lengths.push(len);
    this.strings.push(text);
    this.poolUsed += len;
    this.slots[slot] = e + 1;
    if (this.strings.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    return text;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let e = 0; e < this.hashes.length; e++) {
      let s = this.hashes[e]! & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = e + 1;
    }
    this.slots = slots;
  }

  private reset(): void {
    this.slots = new Int32Array(1024);
    this.hashes = [];
    this.starts = [];
    this.lengths = [];
    this.strings = [];
    this.poolUsed = 0;
  }
}

function latin1(bytes: Uint8Array, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}
