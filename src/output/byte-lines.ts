/**
 * Output text built as bytes in a buffer, for commands that print millions of lines (`keys`): no
 * string per cell or per line, key bytes copied from where the parser read them, numbers written
 * digit by digit. A full buffer goes to `flushTo` and a new one is started; whoever receives a
 * buffer owns it.
 */
export class ByteLines {
  buf: Buffer;
  pos = 0;

  constructor(
    private readonly flushTo: (chunk: Buffer) => void,
    private readonly size = 1 << 16,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Bytes written and not yet flushed. */
  get pending(): number {
    return this.pos;
  }

  /** Makes room for `n` more bytes (flushing what is there when it does not fit). */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  /** Hands over what was written. */
  flush(): void {
    if (this.pos === 0) return;
    const full = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.size);
    this.pos = 0;
    this.flushTo(full);
  }

  /** Constant bytes (a template piece). */
  lit(bytes: Uint8Array): void {
    const n = bytes.length;
    this.room(n);
    const buf = this.buf;
    let p = this.pos;
    // Short pieces byte by byte: cheaper than a TypedArray.set call for a few bytes.
    if (n <= 24) for (let i = 0; i < n; i++) buf[p++] = bytes[i]!;
    else {
      buf.set(bytes, p);
      p += n;
    }
    this.pos = p;
  }

  /** bytes[start, start + n) as they are. */
  slice(bytes: Uint8Array, start: number, n: number): void {
    this.room(n);
    const buf = this.buf;
    let p = this.pos;
    if (n <= 24) for (let i = start, end = start + n; i < end; i++) buf[p++] = bytes[i]!;
    else {
      buf.set(bytes.subarray(start, start + n), p);
      p += n;
    }
    this.pos = p;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  /** Any JavaScript string, UTF-8 encoded. */
  text(s: string): void {
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** A number as String(n) writes it; integers 0 ≤ n < 2^53 digit by digit. */
  num(n: number): void {
    if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n)) {
      this.text(String(n));
      return;
    }
    this.room(16);
    const buf = this.buf;
    if (n < 10) {
      buf[this.pos++] = 0x30 + n;
      return;
    }
    let digits = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    // Below 2^31 the remainder in int32 arithmetic; above, in doubles (exact below 2^53).
    if (n < 0x80000000) {
      let v = n | 0;
      while (v >= 10) {
        const q = (v / 10) | 0;
        buf[--p] = 0x30 + v - q * 10;
        v = q;
      }
      buf[--p] = 0x30 + v;
      return;
    }
    let v = n;
    while (v >= 10) {
      const q = Math.floor(v / 10);
      buf[--p] = 0x30 + (v - q * 10);
      v = q;
    }
    buf[--p] = 0x30 + v;
  }

  /** bytes[start, start + n) as lower-case hex. */
  hex(bytes: Uint8Array, start: number, n: number): void {
    this.room(n * 2);
    const buf = this.buf;
    let p = this.pos;
    for (let i = start, end = start + n; i < end; i++) {
      const b = bytes[i]!;
      buf[p++] = HEX_DIGITS[b >> 4]!;
      buf[p++] = HEX_DIGITS[b & 15]!;
    }
    this.pos = p;
  }
}

const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** A template piece's bytes. */
export function ascii(s: string): Uint8Array {
  return Buffer.from(s, 'utf8');
}
