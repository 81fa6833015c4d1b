import { RdbError } from '../core/errors.js';
import type { Crc64 } from './crc64.js';

/**
 * Thrown (as this one object, never allocated) when a read needs bytes that have not arrived yet.
 * The parser catches it, rewinds to the last commit point, waits for the next chunk and retries.
 * It never escapes the rdb layer.
 */
/** Initial window: a little more than one input chunk. */
const MIN_WINDOW = (1 << 20) + (64 << 10);

export const INCOMPLETE: { readonly incomplete: true } = Object.freeze({ incomplete: true as const });

/**
 * Sees the bytes that skipThrough() passes, in order, those in the window at once and those owed
 * as debt as they arrive; `end` when the last has passed. Either may throw an RdbError.
 */
export interface SkipSink {
  feed(src: Uint8Array, from: number, to: number, at: number): void;
  end(at: number): void;
}

/**
 * A window over the RDB byte stream with synchronous reads.
 *
 * Why this shape: decoding is synchronous over a large buffer (no promise per read); when a read
 * runs past the bytes received so far it throws INCOMPLETE and the caller rewinds to the last
 * `commit()`. Everything before the commit point may be dropped, so memory is bounded by the
 * largest unit decoded atomically (a key, one blob, one element), never by a whole value: long
 * payloads that are only measured are passed with `skip()`, which records a debt paid from later
 * chunks without buffering them.
 *
 * The running CRC64 (rdb-format.md §1.4) is fed with bytes as they leave the window, in order.
 */
export class ByteReader {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  /** Absolute stream offset of buf[0]. */
  base = 0;
  /** No more input will arrive. */
  eof = false;
  /**
   * Absolute offset where the stream ends, when known before it is read (a plain file's size):
   * a read the stream cannot back then fails at once instead of buffering the rest of the input.
   */
  knownEnd = Number.POSITIVE_INFINITY;

  private commitPos = 0;
  private skipDebt = 0;
  private committedDebt = 0;
  /** Absolute offset up to which the CRC has been fed. */
  private crcPos = 0;
  /** Absolute offset beyond which bytes must not enter the CRC (set at the EOF opcode). */
  private crcLimit = Number.POSITIVE_INFINITY;
  private view = new DataView(this.buf.buffer);
  /** The sink of the skip that owes the debt (skipThrough), and the one as of the commit point. */
  private sink: SkipSink | null = null;
  private committedSink: SkipSink | null = null;
  /**
   * What the sink threw on bytes paid from a later chunk (append cannot throw into the parse): the
   * parser takes it before anything else (takeSinkFault).
   */
  private sinkFault: unknown = null;

  constructor(private readonly crc: Crc64 | null) {}

  /** Absolute offset of the read position. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Absolute offset of the last commit point (where a rewind returns to). */
  get committedOffset(): number {
    return this.base + this.commitPos;
  }

  /** Bytes still owed to skip() beyond the window. */
  get pendingSkip(): number {
    return this.skipDebt;
  }

  need(n: number): void {
    if (this.end - this.pos >= n && this.skipDebt === 0) return;
    if (this.eof) throw this.eofError(n);
    // A length that lies (a corrupt 4-byte length claiming 4 GB) must not make the window buffer
    // the rest of a large file before the end shows the record never fits: when the stream's end
    // is known, a unit larger than the window that runs past it is the same UNEXPECTED_EOF, now.
    // Only for units the window would have to grow for: smaller ones cost nothing to wait for. A
    // size already exceeded by the bytes received was wrong (a file that grew, a size-0 special
    // file): then the end is found as for any stream.
    if (n > MIN_WINDOW && this.skipDebt === 0 && this.base + this.pos + n > this.knownEnd && this.base + this.end <= this.knownEnd) {
      throw this.eofError(n, this.knownEnd);
    }
    throw INCOMPLETE;
  }

  commit(): void {
    this.commitPos = this.pos;
    this.committedDebt = this.skipDebt;
    this.committedSink = this.sink;
  }

  rewind(): void {
    this.pos = this.commitPos;
    this.skipDebt = this.committedDebt;
    this.sink = this.committedSink;
  }

  /** The fault a sink raised on bytes of a later chunk, once (null when none). */
  takeSinkFault(): unknown {
    const f = this.sinkFault;
    this.sinkFault = null;
    return f;
  }

  /**
   * Runs one atomic unit: on INCOMPLETE rewinds and returns false (the caller yields for more
   * input and calls again); on success commits and returns true.
   */
  attempt<A>(unit: (r: ByteReader, arg: A) => void, arg: A): boolean {
    try {
      unit(this, arg);
    } catch (e) {
      if (e === INCOMPLETE) {
        this.rewind();
        return false;
      }
      throw e;
    }
    this.commit();
    return true;
  }

  /** Consumes n bytes without keeping them; never throws for lack of input (the rest becomes debt). */
  skip(n: number): void {
    const avail = this.end - this.pos;
    if (this.skipDebt === 0 && n <= avail) {
      this.pos += n;
      return;
    }
    if (this.skipDebt === 0) {
      this.pos = this.end;
      this.skipDebt = n - avail;
    } else {
      // A debt that goes through a sink takes no other bytes after it (they are not the sink's).
      if (this.sink !== null) this.need(1);
      this.skipDebt += n;
    }
  }

  /**
   * skip(n) whose bytes go through `sink` as they pass: those in the window now (its errors are
   * thrown from here), the rest as append() pays the debt (its errors kept for takeSinkFault).
   */
  skipThrough(n: number, sink: SkipSink): void {
    // One sink at a time: while a debt is owed nothing else is read (need() waits for it).
    if (this.skipDebt !== 0) this.need(1);
    const avail = this.end - this.pos;
    const at = this.base + this.pos;
    if (n <= avail) {
      sink.feed(this.buf, this.pos, this.pos + n, at);
      this.pos += n;
      sink.end(at + n);
      return;
    }
    sink.feed(this.buf, this.pos, this.end, at);
    this.pos = this.end;
    this.skipDebt = n - avail;
    this.sink = sink;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  peekU8(): number {
    this.need(1);
    return this.buf[this.pos]!;
  }

  u32be(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, false);
    this.pos += 4;
    return v;
  }

  u32le(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  i32le(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** 64-bit big-endian unsigned as a Number (exact up to 2^53). */
  u64be(): number {
    this.need(8);
    const hi = this.view.getUint32(this.pos, false);
    const lo = this.view.getUint32(this.pos + 4, false);
    this.pos += 8;
    return hi * 0x1_0000_0000 + lo;
  }

  u64beBig(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, false);
    this.pos += 8;
    return v;
  }

  /** 64-bit little-endian signed as a Number (ms timestamps fit exactly). */
  i64le(): number {
    this.need(8);
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getInt32(this.pos + 4, true);
    this.pos += 8;
    return hi * 0x1_0000_0000 + lo;
  }

  f64le(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Makes n bytes available at buf[pos..pos+n) and advances; returns their start index in buf. */
  take(n: number): number {
    this.need(n);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** A copy of n bytes (for data a record keeps). Never a view: the window is reused. */
  bytes(n: number): Uint8Array {
    const at = this.take(n);
    // Buffer#slice would return a view into the chunk; force a copy whatever buf's class.
    return Uint8Array.prototype.slice.call(this.buf, at, at + n);
  }

  /** Bytes that must not enter the CRC start here (the 8-byte trailer after EOF). */
  stopCrcAt(absOffset: number): void {
    this.crcLimit = absOffset;
    this.feedCrc(absOffset);
  }

  /**
   * Appends a chunk of input (copied: the caller may reuse it as soon as this returns). Bytes
   * before the commit point are dropped (after feeding the CRC); skip debt is paid from the front
   * of the chunk without copying those bytes.
   */
  append(chunk: Uint8Array): void {
    const keepFrom = this.commitPos;
    this.feedCrc(this.base + keepFrom);
    let c = chunk;
    if (this.committedDebt > 0) {
      // The skip consumed everything up to end (commitPos == end): the window empties, and the
      // owed bytes pass through the CRC without ever being kept.
      this.feedCrc(this.base + this.end);
      const paid = Math.min(this.committedDebt, c.length);
      if (this.crc !== null && paid > 0) this.crcChunk(c, 0, paid, this.base + this.end);
      if (this.committedSink !== null) this.payToSink(c, paid, this.base + this.end, paid === this.committedDebt);
      this.base += this.end;
      this.crcPos = this.base + paid;
      this.base += paid;
      this.pos = this.end = this.commitPos = 0;
      this.committedDebt -= paid;
      this.skipDebt = this.committedDebt;
      c = c.subarray(paid);
      if (c.length === 0) return;
      this.place(0, 0, c);
      return;
    }
    this.place(keepFrom, this.end - keepFrom, c);
  }

  /**
   * Moves the `kept` bytes at `from` to the front of the window and copies the chunk after them.
   * The window is our own and reused while big enough: a fresh array per chunk was most of the
   * garbage (and RSS) on large dumps. Nothing outside a unit keeps a view into it (keys and IDs
   * are copied), so reuse is safe.
   */
  private place(from: number, kept: number, c: Uint8Array): void {
    const need = kept + c.length;
    if (this.buf.length >= need) {
      if (kept > 0 && from > 0) this.buf.copyWithin(0, from, from + kept);
    } else {
      const next = new Uint8Array(Math.max(need, this.buf.length * 2, MIN_WINDOW));
      if (kept > 0) next.set(this.buf.subarray(from, from + kept), 0);
      this.buf = next;
      this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
    }
    this.buf.set(c, kept);
    this.base += from;
    this.pos -= from;
    this.commitPos = 0;
    this.end = need;
  }

  /** Hands the sink of the committed debt the `paid` bytes at the front of chunk `c` (at absolute `at`). */
  private payToSink(c: Uint8Array, paid: number, at: number, last: boolean): void {
    const sink = this.committedSink!;
    try {
      sink.feed(c, 0, paid, at);
      if (last) sink.end(at + paid);
    } catch (e) {
      this.sinkFault = e;
      last = true;
    }
    if (last) this.sink = this.committedSink = null;
  }

  /** Feeds the CRC with window bytes up to absOffset (never past the trailer limit). */
  private feedCrc(absOffset: number): void {
    if (this.crc === null) return;
    const to = Math.min(absOffset, this.crcLimit);
    if (to <= this.crcPos) return;
    const from = this.crcPos - this.base;
    const upto = to - this.base;
    if (from < 0 || upto > this.end) return; // not in the window: already fed or not yet arrived
    this.crc.update(this.buf, from, upto);
    this.crcPos = to;
  }

  private crcChunk(c: Uint8Array, from: number, to: number, absStart: number): void {
    if (this.crc === null) return;
    const limit = this.crcLimit - absStart;
    const upto = Math.min(to, limit);
    if (upto > from) this.crc.update(c, from, upto);
  }

  /** The input ends (at `endsAt`, the bytes received so far by default) before n bytes from pos. */
  private eofError(n: number, endsAt = this.base + this.end): RdbError {
    const have = this.skipDebt > 0 ? 0 : endsAt - this.base - this.pos;
    const missing = this.skipDebt > 0 ? this.skipDebt : n - have;
    return new RdbError('UNEXPECTED_EOF', `input ends ${missing} byte(s) short of what the record needs`, endsAt);
  }
}
