import { RdbError } from '../core/errors.js';
import { decimalLength, listpackBacklenSize } from './canonical-int.js';

/**
 * Forward walker over a listpack blob (rdb-format.md §5.2):
 *   total_bytes(u32 LE) num_elements(u16 LE) { encoding+data backlen }* 0xFF
 * validating it the way Redis' lpValidateIntegrity does (deep): header total equals the blob
 * length, every entry (incl. its backlen) ends before the terminator, backlen encodes the entry's
 * encoding+data size, 0xFF is the last byte, and the element count agrees with num_elements
 * unless that is 65535 ("unknown", LP_HDR_NUMELE_UNKNOWN).
 *
 * One object per blob; next() allocates nothing. The current entry is described by the public
 * fields (valid until the next call).
 */

const HEADER_SIZE = 6;
/** num_elements value meaning "count by walking" (the u16 field saturates). */
export const LISTPACK_COUNT_UNKNOWN = 65535;

export class ListpackCursor {
  readonly headerCount: number;
  /** Current entry is an integer (value in intValue) rather than a string (strStart/strLen). */
  isInt = false;
  /** int64 values beyond ±2^53 lose precision here; elementLength() stays exact. */
  intValue = 0;
  strStart = 0;
  strLen = 0;
  /** Bytes of the current entry: encoding + data + backlen. */
  entrySize = 0;
  /** Entries read so far. */
  count = 0;

  private readonly buf: Uint8Array;
  private readonly start: number;
  /** Position of the 0xFF terminator (the blob's last byte). */
  private readonly last: number;
  private readonly offset: number;
  private pos: number;
  private entryPos = 0;
  private done = false;

  constructor(buf: Uint8Array, start: number, end: number, offset: number) {
    this.buf = buf;
    this.start = start;
    this.offset = offset;
    const size = end - start;
    if (size < HEADER_SIZE + 1) throw new RdbError('BAD_LISTPACK', `listpack of ${size} bytes is shorter than its header`, offset);
    const total = (buf[start]! | (buf[start + 1]! << 8) | (buf[start + 2]! << 16)) + buf[start + 3]! * 0x1000000;
    if (total !== size) {
      throw new RdbError('BAD_LISTPACK', `listpack header says ${total} bytes but the blob has ${size}`, offset);
    }
    if (buf[end - 1] !== 0xff) throw new RdbError('BAD_LISTPACK', 'listpack does not end with 0xFF', offset + size - 1);
    this.headerCount = buf[start + 4]! | (buf[start + 5]! << 8);
    this.last = end - 1;
    this.pos = start + HEADER_SIZE;
  }

  /** Moves to the next entry; false once the terminator is reached (then the count was checked). */
  next(): boolean {
    if (this.done) return false;
    const buf = this.buf;
    const p = this.pos;
    const last = this.last;
    const e = buf[p]!;
    let encLen: number;
    if (e < 0x80) {
      this.isInt = true;
      this.intValue = e;
      encLen = 1;
    } else if (e < 0xc0) {
      this.isInt = false;
      this.strLen = e & 0x3f;
      this.strStart = p + 1;
      encLen = 1 + this.strLen;
    } else if (e < 0xe0) {
      // 13-bit signed: high 5 bits in e (two's complement over 13 bits).
      if (p + 1 >= last) throw this.fail(p, 'listpack 13-bit integer cut off');
      const u = ((e & 0x1f) << 8) | buf[p + 1]!;
      this.isInt = true;
      this.intValue = u >= 4096 ? u - 8192 : u;
      encLen = 2;
    } else if (e < 0xf0) {
      if (p + 1 >= last) throw this.fail(p, 'listpack 12-bit string length cut off');
      this.isInt = false;
      this.strLen = ((e & 0x0f) << 8) | buf[p + 1]!;
      this.strStart = p + 2;
      encLen = 2 + this.strLen;
    } else if (e === 0xff) {
      if (p !== last) throw this.fail(p, 'listpack terminator before the end of the blob');
      this.done = true;
      if (this.headerCount !== LISTPACK_COUNT_UNKNOWN && this.count !== this.headerCount) {
        throw this.fail(p, `listpack header says ${this.headerCount} elements but it holds ${this.count}`);
      }
      return false;
    } else {
      encLen = this.readWide(e, p);
    }
    const backlen = listpackBacklenSize(encLen);
    const next = p + encLen + backlen;
    if (next > last) throw this.fail(p, `listpack entry of ${encLen + backlen} bytes runs past the end`);
    // backlen: 7 bits per byte, most significant first; first byte has bit 7 clear, the rest set.
    let q = p + encLen;
    let v = buf[q]!;
    if (v & 0x80) throw this.fail(q, 'listpack backlen malformed');
    for (q++; q < next; q++) {
      const b = buf[q]!;
      if ((b & 0x80) === 0) throw this.fail(q, 'listpack backlen malformed');
      v = v * 128 + (b & 0x7f);
    }
    if (v !== encLen) throw this.fail(p + encLen, `listpack backlen ${v} does not match entry size ${encLen}`);
    this.entryPos = p;
    this.entrySize = encLen + backlen;
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
    const p = this.entryPos;
    if (this.buf[p] !== 0xf4) return BigInt(this.intValue);
    const b = this.buf;
    const lo = (b[p + 1]! | (b[p + 2]! << 8) | (b[p + 3]! << 16)) + b[p + 4]! * 0x1000000;
    const hi = b[p + 5]! | (b[p + 6]! << 8) | (b[p + 7]! << 16) | (b[p + 8]! << 24);
    return (BigInt(hi) << 32n) + BigInt(lo);
  }

  /** Encodings 0xF0..0xFE: 32-bit string length or 16/24/32/64-bit integers. Returns encoding+data size. */
  private readWide(e: number, p: number): number {
    const buf = this.buf;
    const last = this.last;
    switch (e) {
      case 0xf0: {
        if (p + 5 > last) throw this.fail(p, 'listpack 32-bit string length cut off');
        this.isInt = false;
        this.strLen = (buf[p + 1]! | (buf[p + 2]! << 8) | (buf[p + 3]! << 16)) + buf[p + 4]! * 0x1000000;
        this.strStart = p + 5;
        return 5 + this.strLen;
      }
      case 0xf1:
        if (p + 3 > last) break;
        this.isInt = true;
        this.intValue = ((buf[p + 1]! | (buf[p + 2]! << 8)) << 16) >> 16;
        return 3;
      case 0xf2:
        if (p + 4 > last) break;
        this.isInt = true;
        this.intValue = ((buf[p + 1]! | (buf[p + 2]! << 8) | (buf[p + 3]! << 16)) << 8) >> 8;
        return 4;
      case 0xf3:
        if (p + 5 > last) break;
        this.isInt = true;
        this.intValue = buf[p + 1]! | (buf[p + 2]! << 8) | (buf[p + 3]! << 16) | (buf[p + 4]! << 24);
        return 5;
      case 0xf4: {
        if (p + 9 > last) break;
        this.isInt = true;
        const lo = (buf[p + 1]! | (buf[p + 2]! << 8) | (buf[p + 3]! << 16)) + buf[p + 4]! * 0x1000000;
        const hi = buf[p + 5]! | (buf[p + 6]! << 8) | (buf[p + 7]! << 16) | (buf[p + 8]! << 24);
        this.intValue = hi * 4294967296 + lo;
        return 9;
      }
      default:
        throw this.fail(p, `invalid listpack encoding byte 0x${e.toString(16)}`);
    }
    throw this.fail(p, 'listpack integer entry runs past the end');
  }

  private fail(pos: number, detail: string): RdbError {
    return new RdbError('BAD_LISTPACK', detail, this.offset + (pos - this.start));
  }
}

/** Validates a whole listpack; returns its element count and the longest element (as a string). */
export function listpackSummary(buf: Uint8Array, start: number, end: number, offset: number): { count: number; largest: number } {
  const c = new ListpackCursor(buf, start, end, offset);
  let largest = 0;
  while (c.next()) {
    const len = c.isInt ? c.elementLength() : c.strLen;
    if (len > largest) largest = len;
  }
  return { count: c.count, largest };
}
