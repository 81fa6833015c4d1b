import { RdbError } from '../core/errors.js';

/**
 * Forward walker over a zipmap blob (rdb-format.md §5.4; Redis 2.x hashes, type 9):
 *   zmlen(u8) { klen key vlen free value padding }* 0xFF
 * klen/vlen: one byte < 254, or 254 followed by a u32 LE. zmlen ≥ 254 means "unknown, walk".
 * Validated like Redis' zipmapValidateIntegrity: every pair ends before the terminator, 0xFF is the
 * last byte, and the pair count matches zmlen when that is < 254. An empty zipmap is accepted here
 * (pairs 0) so callers can report it as an empty key; Redis refuses to load one.
 */

export const ZIPMAP_COUNT_UNKNOWN = 254;
const BIGLEN = 254;
const END = 255;

export class ZipmapCursor {
  readonly headerCount: number;
  keyStart = 0;
  keyLen = 0;
  valStart = 0;
  valLen = 0;
  /** Pairs read so far. */
  count = 0;

  private readonly buf: Uint8Array;
  private readonly start: number;
  private readonly last: number;
  private readonly offset: number;
  private pos: number;
  private done = false;

  constructor(buf: Uint8Array, start: number, end: number, offset: number) {
    this.buf = buf;
    this.start = start;
    this.offset = offset;
    const size = end - start;
    if (size < 2) throw new RdbError('BAD_ZIPMAP', `zipmap of ${size} bytes is too short`, offset);
    if (buf[end - 1] !== END) throw new RdbError('BAD_ZIPMAP', 'zipmap does not end with 0xFF', offset + size - 1);
    this.headerCount = buf[start]!;
    this.last = end - 1;
    this.pos = start + 1;
  }

  /** Moves to the next key/value pair; false once the terminator is reached (then the count was checked). */
  next(): boolean {
    if (this.done) return false;
    const buf = this.buf;
    const last = this.last;
    const pairPos = this.pos;
    let p = pairPos;
    const kb = buf[p]!;
    if (kb === END) {
      if (p !== last) throw this.fail(p, 'zipmap terminator before the end of the blob');
      this.done = true;
      if (this.headerCount < ZIPMAP_COUNT_UNKNOWN && this.count !== this.headerCount) {
        throw this.fail(this.start, `zipmap header says ${this.headerCount} pairs but it holds ${this.count}`);
      }
      return false;
    }
    if (kb < BIGLEN) {
      this.keyLen = kb;
      p += 1;
    } else {
      if (p + 5 > last) throw this.fail(pairPos, 'zipmap key length cut off');
      this.keyLen = u32(buf, p + 1);
      p += 5;
    }
    this.keyStart = p;
    p += this.keyLen;
    // Value length (1 or 5 bytes) and the free byte must still lie before the terminator.
    if (p + 2 > last) throw this.fail(pairPos, 'zipmap key runs past the end');
    const vb = buf[p]!;
    if (vb < BIGLEN) {
      this.valLen = vb;
      p += 1;
    } else if (vb === BIGLEN) {
      if (p + 6 > last) throw this.fail(pairPos, 'zipmap value length cut off');
      this.valLen = u32(buf, p + 1);
      p += 5;
    } else {
      throw this.fail(p, 'zipmap value length byte 0xFF');
    }
    const free = buf[p]!;
    this.valStart = p + 1;
    p += 1 + this.valLen + free;
    if (p > last) throw this.fail(pairPos, 'zipmap value runs past the end');
    this.pos = p;
    this.count++;
    return true;
  }

  private fail(pos: number, detail: string): RdbError {
    return new RdbError('BAD_ZIPMAP', detail, this.offset + (pos - this.start));
  }
}

function u32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
}

/** Validates a whole zipmap; returns its pair count and the longest key or value. */
export function zipmapSummary(buf: Uint8Array, start: number, end: number, offset: number): { pairs: number; largest: number } {
  const c = new ZipmapCursor(buf, start, end, offset);
  let largest = 0;
  while (c.next()) {
    if (c.keyLen > largest) largest = c.keyLen;
    if (c.valLen > largest) largest = c.valLen;
  }
  return { pairs: c.count, largest };
}
