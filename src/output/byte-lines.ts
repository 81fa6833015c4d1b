/**
 * Output text built as bytes in a buffer, for commands that print millions of lines (`keys`): no
 * string per cell or per line, key bytes copied from where the parser read them, numbers written
 * digit by digit. A line makes room for itself once (room()), then writes with the put* functions
 * below at `buf[pos]`. A full buffer goes to `flushTo`, which owns it unless it answers true: the
 * bytes were consumed (written synchronously), and the buffer is filled again. A fresh buffer
 * costs its allocation and a page fault per 4 KB on first write: 2 M jsonl lines of small keys
 * (660 MB to /dev/null) took 0.98 s with a fresh buffer per flush, 0.77 s filling one again.
 */
export class ByteLines {
  buf: Buffer;
  /** `buf` for writes of 2 or 4 bytes at once (putHexPair, putHexQuad). */
  view: DataView;
  pos = 0;
  /** Buffers handed over so far: bytes written before the last flush are no longer in `buf`. */
  flushes = 0;

  constructor(
    private readonly flushTo: (chunk: Buffer) => boolean | void,
    private readonly size = 1 << 16,
  ) {
    this.buf = Buffer.allocUnsafe(size);
    this.view = viewOf(this.buf);
  }

  /** Makes room for `n` more bytes (flushing what is there when it does not fit). */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.use(Buffer.allocUnsafe(n));
  }

  /** Hands over what was written. */
  flush(): void {
    if (this.pos === 0) return;
    const full = this.buf.subarray(0, this.pos);
    this.pos = 0;
    this.flushes++;
    // A buffer grown past `size` for one long line is not kept.
    if (this.flushTo(full) !== true || this.buf.length !== this.size) this.use(Buffer.allocUnsafe(this.size));
  }

  private use(buf: Buffer): void {
    this.buf = buf;
    this.view = viewOf(buf);
  }

  /** Constant bytes (a template piece). */
  lit(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.pos = putBytes(this.buf, this.pos, bytes);
  }
}

const viewOf = (b: Buffer) => new DataView(b.buffer, b.byteOffset, b.length);

const HEX_DIGITS = '0123456789abcdef';
/** The two hex digits of every byte value as one little-endian uint16 (first digit in the low byte). */
const HEX_PAIR16 = Uint16Array.from({ length: 256 }, (_, b) => HEX_DIGITS.charCodeAt(b >> 4) | (HEX_DIGITS.charCodeAt(b & 15) << 8));

/** A template piece's bytes. */
export function ascii(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'utf8'));
}

// Unchecked writers for a line whose room was made beforehand (ByteLines.room): each writes at buf[p]
// and returns the position after what it wrote. One room() per line instead of one per piece.

/** Room a line of constant pieces and numbers needs beyond its variable-length parts. */
export const NUMBER_ROOM = 24;

export function putBytes(buf: Uint8Array, p: number, bytes: Uint8Array): number {
  const n = bytes.length;
  // set() costs ~15 ns a call, the loop ~1.2 ns a byte: the loop only for the shortest pieces.
  if (n > 8) {
    buf.set(bytes, p);
    return p + n;
  }
  for (let i = 0; i < n; i++) buf[p + i] = bytes[i]!;
  return p + n;
}

/** A string of characters below 0x80. */
export function putAscii(buf: Uint8Array, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[p + i] = s.charCodeAt(i);
  return p + s.length;
}

/** Any string, UTF-8 encoded (room: 3 bytes a character). */
export function putText(buf: Buffer, p: number, s: string): number {
  return p + buf.write(s, p, 'utf8');
}

/** The hex digits of byte value b at view[p, p + 2): one store instead of two. */
export function putHexPair(view: DataView, p: number, b: number): void {
  view.setUint16(p, HEX_PAIR16[b]!, true);
}

/** The hex digits of byte values a then b at view[p, p + 4): one store instead of four. */
export function putHexQuad(view: DataView, p: number, a: number, b: number): void {
  view.setUint32(p, HEX_PAIR16[a]! | (HEX_PAIR16[b]! << 16), true);
}

export function putHex(buf: Uint8Array, p: number, bytes: Uint8Array, start: number, n: number): number {
  for (let i = start, end = start + n; i < end; i++) {
    const pair = HEX_PAIR16[bytes[i]!]!;
    buf[p++] = pair & 0xff;
    buf[p++] = pair >> 8;
  }
  return p;
}

/** A number as String(n) writes it (at most NUMBER_ROOM bytes): integers 0 ≤ n < 2^53 digit by digit. */
export function putNum(buf: Uint8Array, p: number, n: number): number {
  if (n >= 0 && n < 0x80000000 && (n | 0) === n) return putSmall(buf, p, n | 0);
  if (n >= 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n) {
    // Two int32 halves: the high digits, then the low 8 digits with their leading zeros.
    const hi = Math.floor(n / 1e8);
    const lo = (n - hi * 1e8) | 0;
    p = putSmall(buf, p, hi | 0);
    return putDigits(buf, p, lo, 8);
  }
  return putAscii(buf, p, String(n));
}

/** 0 ≤ n < 2^31. */
function putSmall(buf: Uint8Array, p: number, n: number): number {
  if (n < 10) {
    buf[p] = 0x30 + n;
    return p + 1;
  }
  const digits = n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : n < 1000000 ? 6 : n < 10000000 ? 7 : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
  return putDigits(buf, p, n, digits);
}

/** 0 ≤ n < 2^31 in exactly `digits` digits (leading zeros). */
export function putDigits(buf: Uint8Array, p: number, n: number, digits: number): number {
  const end = p + digits;
  let q = end;
  let v = n;
  while (q > p) {
    const d = (v / 10) | 0;
    buf[--q] = 0x30 + v - d * 10;
    v = d;
  }
  return end;
}
