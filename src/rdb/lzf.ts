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

/** Decompresses [start,end) of `src` into exactly `outLen` bytes, or throws BAD_LZF. */
export function lzfDecompress(src: Uint8Array, start: number, end: number, outLen: number, offset: number): Uint8Array {
  checkSizes(start, end, outLen, offset);
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
