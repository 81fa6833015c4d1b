import { RdbError } from '../core/errors.js';

/**
 * LZF decompression as Redis' `lzf_decompress` does it (rdb-format.md §2.3).
 *
 * Control byte `c`: c < 32 → literal run of c+1 bytes; otherwise a back-reference of
 * (c >> 5) + 2 bytes (c >> 5 == 7 → plus the next byte) at distance ((c & 31) << 8) + next + 1,
 * copied byte by byte because source and destination may overlap (run-length patterns).
 */

/**
 * The most output one input byte can produce: a 3-byte back-reference yields at most 7+255+2 = 264
 * bytes (88 per input byte), a literal at most 1 per byte. 261 is a generous round bound that still
 * ties the allocation to bytes actually present in the file, so a hostile `ulen` cannot make us
 * allocate gigabytes from a 10-byte blob.
 */
export const MAX_EXPANSION = 261;

/** Outputs above this size are allocated only once the data is known to produce them (lzfValidate). */
const VALIDATE_BEFORE_ALLOCATING = 1 << 16;

/** Decompresses [start,end) of `src` into exactly `outLen` bytes, or throws BAD_LZF. */
export function lzfDecompress(src: Uint8Array, start: number, end: number, outLen: number, offset: number): Uint8Array {
  checkSizes(start, end, outLen, offset);
  if (outLen > VALIDATE_BEFORE_ALLOCATING) lzfValidate(src, start, end, outLen, offset);
  return lzfDecompressInto(src, start, end, new Uint8Array(outLen), outLen, offset);
}

/**
 * lzfDecompress into out[0, outLen) of a buffer the caller owns (at least outLen long; sizes
 * checked by the caller with lzfCheckSizes): no allocation per blob.
 */
export function lzfDecompressInto(src: Uint8Array, start: number, end: number, out: Uint8Array, outLen: number, offset: number): Uint8Array {
  const produced = decode(src, start, end, out, outLen, offset);
  if (produced !== outLen) {
    throw new RdbError('BAD_LZF', `LZF data decompressed to ${produced} bytes, header says ${outLen}`, offset + (end - start));
  }
  return out;
}

/** Throws BAD_LZF unless outLen bytes can come out of [start, end) (see MAX_EXPANSION). */
export function checkSizes(start: number, end: number, outLen: number, offset: number): void {
  const inLen = end - start;
  if (inLen <= 0) throw new RdbError('BAD_LZF', 'empty LZF data', offset);
  if (!Number.isSafeInteger(outLen) || outLen < 0 || outLen > inLen * MAX_EXPANSION) {
    throw new RdbError('BAD_LZF', `LZF uncompressed length ${outLen} impossible for ${inLen} compressed bytes`, offset);
  }
}

/**
 * Decodes into out[0, limit); any output beyond `limit` is an error (lzf_decompress: E2BIG).
 * Returns the number of bytes produced.
 */
function decode(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  limit: number,
  offset: number,
): number {
  let ip = start;
  let op = 0;
  while (ip < end) {
    const ctrlPos = ip;
    const ctrl = src[ip++]!;
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (ip + run > end) {
        throw new RdbError('BAD_LZF', `LZF literal run of ${run} bytes passes the end of the data`, offset + (ctrlPos - start));
      }
      if (op + run > limit) throw overflow(op + run, limit, offset, ctrlPos - start);
      for (let i = 0; i < run; i++) out[op + i] = src[ip + i]!;
      ip += run;
      op += run;
    } else {
      let len = ctrl >>> 5;
      if (ip >= end) throw truncatedRef(offset, ctrlPos - start);
      if (len === 7) {
        len += src[ip++]!;
        if (ip >= end) throw truncatedRef(offset, ctrlPos - start);
      }
      const distance = ((ctrl & 0x1f) << 8) + src[ip++]! + 1;
      len += 2;
      let ref = op - distance;
      if (ref < 0) {
        throw new RdbError(
          'BAD_LZF',
          `LZF back-reference ${distance} bytes back at output position ${op} points before the start`,
          offset + (ctrlPos - start),
        );
      }
      if (op + len > limit) throw overflow(op + len, limit, offset, ctrlPos - start);
      // Byte by byte on purpose: when distance < len the copy reads bytes it has just written.
      const stop = op + len;
      while (op < stop) out[op++] = out[ref++]!;
    }
  }
  return op;
}

function overflow(need: number, limit: number, offset: number, localPos: number): RdbError {
  return new RdbError('BAD_LZF', `LZF data produces more than the ${limit} bytes announced (${need})`, offset + localPos);
}

function truncatedRef(offset: number, localPos: number): RdbError {
  return new RdbError('BAD_LZF', 'LZF back-reference cut off by the end of the data', offset + localPos);
}

/**
 * A validating pass over LZF data that produces no output: it walks the control bytes as
 * lzf_decompress does (a literal run passes its bytes; a back-reference must point into the output
 * already produced) and counts the output, so the payload is known to decode to exactly its announced
 * length (rdb-format.md §2.3: Redis rejects anything else, "Invalid LZF compressed string") without
 * the output ever existing. The data may come in pieces (feed per piece, then end): an item cut by
 * the end of one piece is completed by the next.
 */
export class LzfScan {
  private produced = 0;
  private limit = 0;
  /** Literal bytes still to pass, of a run cut by the end of a piece. */
  private literal = 0;
  /** Bytes of a back-reference cut by the end of a piece (control byte first), and how many it needs. */
  private readonly ref = [0, 0, 0];
  private refHave = 0;
  private refNeed = 0;
  /** Absolute offset of the control byte of the cut item (for errors). */
  private itemAt = 0;

  /** Starts a payload announced to decode to outLen bytes. */
  begin(outLen: number): void {
    this.produced = 0;
    this.limit = outLen;
    this.literal = 0;
    this.refHave = 0;
  }

  /** The next piece, src[from, to), whose first byte is at absolute offset `at`. Throws BAD_LZF. */
  feed(src: Uint8Array, from: number, to: number, at: number): void {
    const delta = at - from;
    let ip = from;
    if (this.literal > 0) {
      const n = Math.min(this.literal, to - ip);
      ip += n;
      this.literal -= n;
      if (this.literal > 0) return;
    } else if (this.refHave > 0) {
      while (this.refHave < this.refNeed && ip < to) this.ref[this.refHave++] = src[ip++]!;
      if (this.refHave < this.refNeed) return;
      const r = this.ref;
      this.refHave = 0;
      this.produced = this.backReference(r[0]!, this.refNeed === 3 ? r[1]! : 0, r[this.refNeed - 1]!, this.produced, this.itemAt);
    }
    let op = this.produced;
    const limit = this.limit;
    // One item per turn; the faults leave the loop (cold path below) so that it stays small.
    let fault = 0;
    let ctrl = 0;
    while (ip < to) {
      ctrl = src[ip]!;
      if (ctrl < 32) {
        op += ctrl + 1;
        const next = ip + 2 + ctrl;
        if (op > limit || next > to) break;
        ip = next;
      } else if (ctrl < 0xe0) {
        if (ip + 2 > to) break;
        const distance = ((ctrl & 0x1f) << 8) + src[ip + 1]! + 1;
        if (distance > op) {
          fault = 1;
          break;
        }
        op += (ctrl >>> 5) + 2;
        if (op > limit) break;
        ip += 2;
      } else {
        if (ip + 3 > to) break;
        const distance = ((ctrl & 0x1f) << 8) + src[ip + 2]! + 1;
        if (distance > op) {
          fault = 1;
          break;
        }
        op += 9 + src[ip + 1]!;
        if (op > limit) break;
        ip += 3;
      }
    }
    if (ip < to) {
      // Left the loop early: a fault, or an item cut by the end of this piece.
      const at = ip + delta;
      if (fault === 1) {
        const distance = ((ctrl & 0x1f) << 8) + src[ctrl >= 0xe0 ? ip + 2 : ip + 1]! + 1;
        throw new RdbError('BAD_LZF', `LZF back-reference ${distance} bytes back at output position ${op} points before the start`, at);
      }
      if (op > limit) throw overflow(op, limit, at, 0);
      this.itemAt = at;
      if (ctrl < 32) {
        this.literal = ip + 2 + ctrl - to;
      } else {
        this.refNeed = ctrl >= 0xe0 ? 3 : 2;
        while (ip < to) this.ref[this.refHave++] = src[ip++]!;
      }
    }
    this.produced = op;
  }

  /** The payload ends at absolute offset `at`: throws BAD_LZF unless it ended on an item boundary with exactly the announced output. */
  end(at: number): void {
    if (this.literal > 0) throw new RdbError('BAD_LZF', `LZF literal run passes the end of the data by ${this.literal} bytes`, this.itemAt);
    if (this.refHave > 0) throw truncatedRef(this.itemAt, 0);
    if (this.produced !== this.limit) {
      throw new RdbError('BAD_LZF', `LZF data decompressed to ${this.produced} bytes, header says ${this.limit}`, at);
    }
  }

  /** Output count after a back-reference (control byte, extra length byte when ctrl >> 5 is 7, distance byte). */
  private backReference(ctrl: number, extra: number, low: number, op: number, at: number): number {
    const distance = ((ctrl & 0x1f) << 8) + low + 1;
    if (distance > op) {
      throw new RdbError('BAD_LZF', `LZF back-reference ${distance} bytes back at output position ${op} points before the start`, at);
    }
    const next = op + (ctrl >>> 5) + extra + 2;
    if (next > this.limit) throw overflow(next, this.limit, at, 0);
    return next;
  }
}

const validator = new LzfScan();

/**
 * Throws BAD_LZF unless [start, end) of `src` decodes to exactly outLen bytes (LzfScan): the check
 * made before an output buffer of outLen bytes is allocated, so that the allocation follows from data
 * present in the file, never from its header alone.
 */
export function lzfValidate(src: Uint8Array, start: number, end: number, outLen: number, offset: number): void {
  checkSizes(start, end, outLen, offset);
  validator.begin(outLen);
  validator.feed(src, start, end, offset);
  validator.end(offset + (end - start));
}
