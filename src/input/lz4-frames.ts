import lz4 from 'lz4js';
import { RdbError } from '../core/errors.js';

/**
 * Streaming decoder for the LZ4 frame format (what the `lz4` command writes), block by block:
 * memory is one block plus the 64 KiB history that dependent blocks may refer to. lz4js decodes
 * each block; this file only walks the frame structure (LZ4 Frame Format v1.6: magic 0x184D2204,
 * FLG/BD descriptor, optional content size and dictionary id, header checksum, blocks with
 * a 4-byte size whose high bit marks an uncompressed block, end mark 0, optional checksums;
 * concatenated frames and skippable frames 0x184D2A50..5F).
 */
const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const HISTORY = 64 * 1024;
const OUTPUT_SLICE = 1024 * 1024;
/** Compressed bytes an input chunk brings at most (open-input.ts COMPRESSED_READ_CHUNK); a larger chunk grows the window. */
const READ_AHEAD = 256 * 1024;
const BLOCK_SIZES: Record<number, number> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 };

/** Accumulates compressed input so that whole headers and blocks can be read. */
class InputWindow {
  private store = new Uint8Array(0);
  /** The readable bytes: always a prefix view of `store`. */
  buf = new Uint8Array(0);
  pos = 0;
  /** Compressed bytes consumed before buf[0]. */
  consumed = 0;
  done = false;

  constructor(private readonly it: AsyncIterator<Uint8Array>) {}

  /** Ensures n bytes are available at pos; false when the input ended first. */
  async fill(n: number): Promise<boolean> {
    while (this.buf.length - this.pos < n) {
      if (this.done) return false;
      const next = await this.it.next();
      if (next.done) {
        this.done = true;
        return this.buf.length - this.pos >= n;
      }
      // Compact into a window of our own, reused while big enough (no array per input chunk).
      const rest = this.buf.length - this.pos;
      const need = rest + next.value.length;
      if (this.store.length < need) {
        const grown = new Uint8Array(Math.max(need, this.store.length * 2));
        grown.set(this.buf.subarray(this.pos), 0);
        this.store = grown;
      } else if (rest > 0) {
        this.store.copyWithin(0, this.pos, this.buf.length);
      }
      this.store.set(next.value, rest);
      this.consumed += this.pos;
      this.buf = this.store.subarray(0, need);
      this.pos = 0;
    }
    return true;
  }

  /**
   * Makes the window hold at least n bytes from the first fill on. A frame's window is sized once
   * for its largest block: grown by doubling, the 1, 2 and 4 MiB windows it left behind stayed
   * resident until a full GC (~4 MB more RSS while decoding a frame of 4 MiB blocks).
   */
  reserve(n: number): void {
    if (this.store.length >= n) return;
    const rest = this.buf.length - this.pos;
    const grown = new Uint8Array(n);
    grown.set(this.buf.subarray(this.pos), 0);
    this.consumed += this.pos;
    this.store = grown;
    this.buf = grown.subarray(0, rest);
    this.pos = 0;
  }

  u32(at = this.pos): number {
    const b = this.buf;
    return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  }

  get offset(): number {
    return this.consumed + this.pos;
  }

  /** Compressed bytes received in all (where a truncated input ends). */
  get received(): number {
    return this.consumed + this.buf.length;
  }
}

/**
 * A fault in the LZ4 layer. Its offset (an RdbError's is in the decompressed RDB stream) is set by the
 * parser to where the RDB bytes stop; the message names the compressed byte, for `lz4 -t` and hexdumps.
 */
function lz4Error(detail: string, compressedAt: number): RdbError {
  return new RdbError('BAD_COMPRESSION', `${detail} at compressed byte ${compressedAt}`, null);
}

function truncated(w: InputWindow, what: string): RdbError {
  return lz4Error(`LZ4 input is truncated (${what})`, w.received);
}

export async function* decodeLz4Frames(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = input[Symbol.asyncIterator]();
  try {
    yield* decodeFrames(new InputWindow(it));
  } finally {
    // Ended early (an error, or the reader stopped): let the source close its file.
    await it.return?.();
  }
}

async function* decodeFrames(w: InputWindow): AsyncGenerator<Uint8Array> {
  let frames = 0;
  for (;;) {
    if (!(await w.fill(4))) {
      if (w.buf.length - w.pos === 0 && frames > 0) return;
      throw truncated(w, 'frame header');
    }
    const magic = w.u32();
    if ((magic & SKIPPABLE_MASK) === SKIPPABLE_MAGIC >>> 0) {
      if (!(await w.fill(8))) throw truncated(w, 'skippable frame');
      const size = w.u32(w.pos + 4);
      w.pos += 8;
      for (let left = size; left > 0; ) {
        if (!(await w.fill(1))) throw truncated(w, 'skippable frame');
        const n = Math.min(left, w.buf.length - w.pos);
        w.pos += n;
        left -= n;
      }
      continue;
    }
    if (magic !== FRAME_MAGIC) {
      throw lz4Error(`not an LZ4 frame (magic 0x${magic.toString(16)})`, w.offset);
    }
    frames++;
    yield* decodeFrame(w);
  }
}

async function* decodeFrame(w: InputWindow): AsyncGenerator<Uint8Array> {
  if (!(await w.fill(7))) throw truncated(w, 'frame descriptor');
  const flg = w.buf[w.pos + 4]!;
  const bd = w.buf[w.pos + 5]!;
  if (flg >> 6 !== 1) throw lz4Error(`unsupported LZ4 frame version ${flg >> 6}`, w.offset + 4);
  const independent = (flg & 0x20) !== 0;
  const blockChecksum = (flg & 0x10) !== 0;
  const contentSize = (flg & 0x08) !== 0;
  const contentChecksum = (flg & 0x04) !== 0;
  const dictId = (flg & 0x01) !== 0;
  const blockMax = BLOCK_SIZES[(bd >> 4) & 7];
  if (blockMax === undefined) throw lz4Error(`invalid LZ4 block size code ${(bd >> 4) & 7}`, w.offset + 5);
  if (dictId) throw lz4Error('LZ4 frames with a dictionary id are not supported', w.offset + 4);
  const headerLen = 4 + 2 + (contentSize ? 8 : 0) + 1;
  if (!(await w.fill(headerLen))) throw truncated(w, 'frame descriptor');
  w.pos += headerLen;

  // Input window: a whole block with its size word and checksum, plus one input chunk besides.
  w.reserve(blockMax + 8 + READ_AHEAD);
  // Output window: HISTORY bytes of earlier output, then room for one block.
  const out = new Uint8Array(HISTORY + blockMax);
  let hist = 0;
  for (;;) {
    if (!(await w.fill(4))) throw truncated(w, 'block size');
    const word = w.u32();
    const blockAt = w.offset;
    w.pos += 4;
    if (word === 0) break;
    const stored = (word & 0x80000000) !== 0;
    const size = word & 0x7fffffff;
    if (size > blockMax) throw lz4Error(`LZ4 block of ${size} bytes exceeds the frame's ${blockMax}-byte maximum`, blockAt);
    if (!(await w.fill(size + (blockChecksum ? 4 : 0)))) throw truncated(w, 'block');
    const start = independent ? 0 : hist;
    let end: number;
    if (stored) {
      out.set(w.buf.subarray(w.pos, w.pos + size), start);
      end = start + size;
    } else {
      end = lz4.decompressBlock(w.buf, out, w.pos, size, start);
      if (!(end >= start && end <= start + blockMax)) {
        throw lz4Error('corrupt LZ4 block (decodes past the block size)', blockAt);
      }
    }
    w.pos += size + (blockChecksum ? 4 : 0);
    // Views into the reused output window, valid until the next is requested (OpenedInput), at most
    // OUTPUT_SLICE each: the parser copies each chunk into its own window, which would otherwise
    // grow to a whole 4 MiB block.
    for (let at = start; at < end; at += OUTPUT_SLICE) yield out.subarray(at, Math.min(end, at + OUTPUT_SLICE));
    if (!independent) {
      // Keep the last HISTORY bytes at the front for the next dependent block.
      const keep = Math.min(HISTORY, end);
      out.copyWithin(0, end - keep, end);
      hist = keep;
    }
  }
  if (contentChecksum) {
    if (!(await w.fill(4))) throw truncated(w, 'content checksum');
    w.pos += 4;
  }
}
