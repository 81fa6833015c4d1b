/**
 * One LZ4 block decoded with every bound checked (lz4 doc/lz4_Block_format.md). lz4js's
 * decompressBlock checks none: a match offset reaching before the data it may refer to read
 * `undefined` and wrote zeros, an offset of 0 copied stale bytes, a length running past the block
 * read the next block's bytes as literals; all of it decoded without an error into keys.
 *
 * A block is a run of sequences: a token (literal length in the high 4 bits, match length − 4 in the
 * low 4; 15 in either means more length bytes follow, each added, until one is not 255), the
 * literals, then a 2-byte little-endian offset back into the decoded data (0 is invalid) and the
 * match. The last sequence has literals only: the block ends right after them.
 */

/** Why a block could not be decoded: a description, relative to the block. */
export class Lz4BlockError extends Error {
  /** A match reaching before the decoded data: what a block made with a dictionary does without it. */
  constructor(message: string, readonly beforeData = false) {
    super(message);
  }
}

/**
 * Decodes src[from, to) into dst at `at`, writing no further than dst[limit]; a match may refer back
 * to dst[floor] at the earliest (the history kept for linked blocks, or the block's own start).
 * Returns where the decoded bytes end.
 */
export function decodeLz4Block(src: Uint8Array, from: number, to: number, dst: Uint8Array, at: number, limit: number, floor: number): number {
  let s = from;
  let d = at;
  for (;;) {
    if (s >= to) throw new Lz4BlockError('block ends before its last literals');
    const token = src[s++]!;
    let literals = token >>> 4;
    if (literals === 15) {
      for (;;) {
        if (s >= to) throw new Lz4BlockError('block ends inside a literal length');
        const b = src[s++]!;
        literals += b;
        if (b !== 255) break;
      }
    }
    if (literals > to - s) throw new Lz4BlockError(`${literals} literal bytes run past the end of the block`);
    if (literals > limit - d) throw new Lz4BlockError('block decodes to more than the frame\'s block size');
    if (literals < 16) for (let k = 0; k < literals; k++) dst[d++] = src[s++]!;
    else {
      dst.set(src.subarray(s, s + literals), d);
      s += literals;
      d += literals;
    }
    // The last sequence: literals only (lz4_Block_format.md "End of block conditions").
    if (s === to) return d;
    if (to - s < 2) throw new Lz4BlockError('block ends inside a match offset');
    const offset = src[s]! | (src[s + 1]! << 8);
    s += 2;
    if (offset === 0) throw new Lz4BlockError('match offset 0');
    if (offset > d - floor) throw new Lz4BlockError(`match offset ${offset} reaches before the decoded data`, true);
    let length = (token & 15) + 4;
    if ((token & 15) === 15) {
      for (;;) {
        if (s >= to) throw new Lz4BlockError('block ends inside a match length');
        const b = src[s++]!;
        length += b;
        if (b !== 255) break;
      }
    }
    if (length > limit - d) throw new Lz4BlockError('block decodes to more than the frame\'s block size');
    let m = d - offset;
    if (offset >= length && length >= 32) {
      dst.copyWithin(d, m, m + length);
      d += length;
    } else {
      // Overlapping (offset < length repeats the last `offset` bytes): byte by byte, in order.
      const end = d + length;
      while (d < end) dst[d++] = dst[m++]!;
    }
  }
}
