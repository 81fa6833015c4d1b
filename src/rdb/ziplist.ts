import { RdbError } from '../core/errors.js';
import { decimalLength } from './canonical-int.js';

/**
 * Forward walker over a ziplist blob (rdb-format.md §5.1):
 *   zlbytes(u32 LE) zltail(u32 LE) zllen(u16 LE) { prevlen encoding data }* 0xFF
 * validating it like Redis' ziplistValidateIntegrity (deep): zlbytes equals the blob length, each
 * entry's prevlen equals the previous entry's size (a 5-byte prevlen holding a small value is legal:
 * cascade updates leave those behind), every entry ends before the terminator, 0xFF is the last
 * byte, zltail is the offset of the last entry (the header size when empty), and the count matches
 * zllen unless that is 65535 (the counter saturates; "count by walking").
 *
 * One object per blob; next() allocates nothing. The current entry is described by the public
 * fields (valid until the next call).
 */

const HEADER_SIZE = 10;
export const ZIPLIST_COUNT_UNKNOWN = 65535;

export class ZiplistCursor {
  readonly headerCount: number;
  isInt = false;
  /** int64 values beyond ±2^53 lose precision here; elementLength() stays exact. */
  intValue = 0;
  strStart = 0;
  strLen = 0;
  /** Bytes of the current entry: prevlen + encoding + data. */
  entrySize = 0;
  /** Entries read so far. */
  count = 0;

  private readonly buf: Uint8Array;
  private readonly start: number;
  private readonly last: number;
  private readonly offset: number;
  private readonly tail: number;
  private pos: number;
  private entryPos = -1;
  private done = false;

  constructor(buf: Uint8Array, start: number, end: number, offset: number) {
    this.buf = buf;
    this.start = start;
    this.offset = offset;
    const size = end - start;
    if (size < HEADER_SIZE + 1) throw new RdbError('BAD_ZIPLIST', `ziplist of ${size} bytes is shorter than its header`, offset);
    const zlbytes = u32(buf, start);
    if (zlbytes !== size) throw new RdbError('BAD_ZIPLIST', `ziplist header says ${zlbytes} bytes but the blob has ${size}`, offset);
    if (buf[end - 1] !== 0xff) throw new RdbError('BAD_ZIPLIST', 'ziplist does not end with 0xFF', offset + size - 1);
    this.tail = u32(buf, start + 4);
    if (this.tail < HEADER_SIZE || this.tail >= size) {
      throw new RdbError('BAD_ZIPLIST', `ziplist tail offset ${this.tail} outside the blob`, offset + 4);
    }
    this.headerCount = buf[start + 8]! | (buf[start + 9]! << 8);
    this.last = end - 1;
    this.pos = start + HEADER_SIZE;
  }

  /** Moves to the next entry; false once the terminator is reached (then count and tail were checked). */
  next(): boolean {
    if (this.done) return false;
    const buf = this.buf;
    const p = this.pos;
    const last = this.last;
    const first = buf[p]!;
    if (first === 0xff) return this.finish(p);

    let prevlen: number;
    let q: number;
    if (first < 254) {
      prevlen = first;
      q = p + 1;
    } else {
      if (p + 5 >= last) throw this.fail(p, 'ziplist 5-byte prevlen cut off');
      prevlen = u32(buf, p + 1);
      q = p + 5;
    }
    if (prevlen !== this.entrySize) {
      throw this.fail(p, `ziplist prevlen ${prevlen} does not match the previous entry size ${this.entrySize}`);
    }

    const e = buf[q]!;
    let size: number; // encoding + data
    switch (e >> 6) {
      case 0:
        this.isInt = false;
        this.strLen = e & 0x3f;
        this.strStart = q + 1;
        size = 1 + this.strLen;
        break;
      case 1:
        if (q + 1 >= last) throw this.fail(p, 'ziplist 14-bit string length cut off');
        this.isInt = false;
        this.strLen = ((e & 0x3f) << 8) | buf[q + 1]!; // big-endian (§5.1)
        this.strStart = q + 2;
        size = 2 + this.strLen;
        break;
      case 2:
        if (q + 4 >= last) throw this.fail(p, 'ziplist 32-bit string length cut off');
        this.isInt = false;
        this.strLen = buf[q + 1]! * 0x1000000 + ((buf[q + 2]! << 16) | (buf[q + 3]! << 8) | buf[q + 4]!); // big-endian
        this.strStart = q + 5;
        size = 5 + this.strLen;
        break;
      default:
        size = this.readInt(e, q, p);
    }
    const next = q + size;
    if (next > last) throw this.fail(p, `ziplist entry of ${next - p} bytes runs past the end`);
    this.entryPos = p;
    this.entrySize = next - p;
    this.pos = next;
    this.count++;
    return true;
  }

  /** Length of the current element as a string (integers: their decimal text). */
  elementLength(): number {
    if (!this.isInt) return this.strLen;
    if (Number.isSafeInteger(this.intValue)) return decimalLength(this.intValue);
    return this.exactInt64().toString().length;
  }

  /** The current integer entry's exact value (for int64 beyond 2^53). */
  exactInt64(): bigint {
    const b = this.buf;
    const q = this.entryPos + (b[this.entryPos]! < 254 ? 1 : 5);
    if (b[q] !== 0xe0) return BigInt(this.intValue);
    return (BigInt(i32(b, q + 5)) << 32n) + BigInt(u32(b, q + 1));
  }

  /** Integer encodings (first two bits 11). Returns encoding + data size. */
  private readInt(e: number, q: number, p: number): number {
    const buf = this.buf;
    let size: number;
    switch (e) {
      case 0xc0:
        size = 3;
        break;
      case 0xd0:
        size = 5;
        break;
      case 0xe0:
        size = 9;
        break;
      case 0xf0:
        size = 4;
        break;
      case 0xfe:
        size = 2;
        break;
      default:
        if (e >= 0xf1 && e <= 0xfd) {
          this.isInt = true;
          this.intValue = (e & 0x0f) - 1; // immediate 0..12
          return 1;
        }
        throw this.fail(p, `invalid ziplist encoding byte 0x${e.toString(16)}`);
    }
    if (q + size > this.last) throw this.fail(p, 'ziplist integer entry runs past the end');
    this.isInt = true;
    switch (e) {
      case 0xc0:
        this.intValue = ((buf[q + 1]! | (buf[q + 2]! << 8)) << 16) >> 16;
        break;
      case 0xd0:
        this.intValue = i32(buf, q + 1);
        break;
      case 0xe0:
        this.intValue = i32(buf, q + 5) * 4294967296 + u32(buf, q + 1);
        break;
      case 0xf0:
        this.intValue = ((buf[q + 1]! | (buf[q + 2]! << 8) | (buf[q + 3]! << 16)) << 8) >> 8;
        break;
      default:
        this.intValue = (buf[q + 1]! << 24) >> 24;
    }
    return size;
  }

  private finish(p: number): boolean {
    if (p !== this.last) throw this.fail(p, 'ziplist terminator before the end of the blob');
    this.done = true;
    const lastEntry = this.entryPos < 0 ? HEADER_SIZE : this.entryPos - this.start;
    if (this.tail !== lastEntry) {
      throw new RdbError('BAD_ZIPLIST', `ziplist tail offset ${this.tail} is not the last entry (${lastEntry})`, this.offset + 4);
    }
    if (this.headerCount !== ZIPLIST_COUNT_UNKNOWN && this.count !== this.headerCount) {
      throw this.fail(p, `ziplist header says ${this.headerCount} entries but it holds ${this.count}`);
    }
    return false;
  }

  private fail(pos: number, detail: string): RdbError {
    return new RdbError('BAD_ZIPLIST', detail, this.offset + (pos - this.start));
  }
}

function u32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
}

function i32(b: Uint8Array, p: number): number {
  return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
}

/** Validates a whole ziplist; returns its entry count and the longest element (as a string). */
export function ziplistSummary(buf: Uint8Array, start: number, end: number, offset: number): { count: number; largest: number } {
  const c = new ZiplistCursor(buf, start, end, offset);
  let largest = 0;
  while (c.next()) {
    const len = c.isInt ? c.elementLength() : c.strLen;
    if (len > largest) largest = len;
  }
  return { count: c.count, largest };
}
