import { RdbError } from '../core/errors.js';
import { decodeLz4Block, Lz4BlockError } from './lz4-block.js';
import { FRAME_MAGIC, isLz4Magic, isSkippableMagic, LEGACY_MAGIC } from './lz4-magic.js';
import { Xxh32, xxh32 } from './xxh32.js';

/**
 * Streaming decoder for the LZ4 frame format (what the `lz4` command writes), block by block:
 * memory is one block plus the 64 KiB history that dependent blocks may refer to. lz4-block.ts
 * decodes each block; this file walks the frame structure (lz4 doc/lz4_Frame_format.md v1.6: magic
 * 0x184D2204, FLG/BD descriptor, optional content size and dictionary id, header checksum, blocks
 * with a 4-byte size whose high bit marks an uncompressed block, end mark 0, optional checksums;
 * concatenated frames, skippable frames 0x184D2A50..5F, legacy frames 0x184C2102).
 *
 * Everything the frame carries to check itself is checked, as the `lz4` command checks it (lz4 -t
 * refuses each of these): reserved bits, the header checksum, block checksums, the content size and
 * the content checksum. The checks of decoded bytes (content size and checksum) come after those bytes
 * went to the reader, so the keys before a fault are kept; the others come before what they cover is
 * decoded.
 */
/** Legacy frame: every block decodes to 8 MiB (the last to at most that), always compressed. */
const LEGACY_BLOCK = 8 << 20;
/** LZ4_COMPRESSBOUND(8 MiB) (lz4.h): a larger legacy block size is no block (lz4io reads it as the next magic). */
const LEGACY_BLOCK_BOUND = LEGACY_BLOCK + ((LEGACY_BLOCK / 255) | 0) + 16;
// FLG and BD bits (Frame Descriptor).
const FLG_RESERVED = 0x02;
const BD_RESERVED = 0x8f;
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

/**
 * The decoded-side window, shared by the frames of one input and grown only for a larger block size:
 * allocated per frame, a file of 20 000 empty frames declaring 4 MiB blocks (220 KB) took 15 s, zeroing
 * 80 GB, where lz4 -t takes 0.01 s. A frame starts once the reader has consumed the one before (chunks
 * are valid until the next is requested), so its views are no longer in use.
 */
class OutputWindow {
  private buf = new Uint8Array(0);

  of(n: number): Uint8Array {
    if (this.buf.length < n) this.buf = new Uint8Array(n);
    return this.buf;
  }
}

async function* decodeFrames(w: InputWindow): AsyncGenerator<Uint8Array> {
  const output = new OutputWindow();
  let frames = 0;
  for (;;) {
    if (!(await w.fill(4))) {
      if (w.buf.length - w.pos === 0 && frames > 0) return;
      throw truncated(w, 'frame header');
    }
    const magic = w.u32();
    if (isSkippableMagic(magic)) {
      if (!(await w.fill(8))) throw truncated(w, 'skippable frame');
      const size = w.u32(w.pos + 4);
      w.pos += 8;
      for (let left = size; left > 0; ) {
        if (!(await w.fill(1))) throw truncated(w, 'skippable frame');
        const n = Math.min(left, w.buf.length - w.pos);
        w.pos += n;
        left -= n;
      }
      frames++;
      continue;
    }
    frames++;
    if (magic === LEGACY_MAGIC) yield* decodeLegacyFrame(w, output);
    else if (magic === FRAME_MAGIC) yield* decodeFrame(w, output);
    else throw lz4Error(`not an LZ4 frame (magic 0x${magic.toString(16)})`, w.offset);
  }
}

async function* decodeFrame(w: InputWindow, output: OutputWindow): AsyncGenerator<Uint8Array> {
  const frameAt = w.offset;
  if (!(await w.fill(7))) throw truncated(w, 'frame descriptor');
  const flg = w.buf[w.pos + 4]!;
  const bd = w.buf[w.pos + 5]!;
  if (flg >> 6 !== 1) throw lz4Error(`unsupported LZ4 frame version ${flg >> 6}`, frameAt + 4);
  // "Reserved bits": a frame setting one needs a later version of the format than this decoder's.
  if ((flg & FLG_RESERVED) !== 0 || (bd & BD_RESERVED) !== 0) throw lz4Error('LZ4 frame sets a reserved bit of its descriptor', frameAt + ((flg & FLG_RESERVED) !== 0 ? 4 : 5));
  const independent = (flg & 0x20) !== 0;
  const blockChecksum = (flg & 0x10) !== 0;
  const hasContentSize = (flg & 0x08) !== 0;
  const contentChecksum = (flg & 0x04) !== 0;
  const hasDictId = (flg & 0x01) !== 0;
  const blockMax = BLOCK_SIZES[(bd >> 4) & 7];
  if (blockMax === undefined) throw lz4Error(`invalid LZ4 block size code ${(bd >> 4) & 7}`, frameAt + 5);
  const descriptorLen = 2 + (hasContentSize ? 8 : 0) + (hasDictId ? 4 : 0);
  if (!(await w.fill(4 + descriptorLen + 1))) throw truncated(w, 'frame descriptor');
  // "Header Checksum": the second byte of xxh32 of the descriptor (FLG to the last optional field).
  const hc = (xxh32(w.buf, w.pos + 4, w.pos + 4 + descriptorLen) >>> 8) & 0xff;
  if (hc !== w.buf[w.pos + 4 + descriptorLen]) throw lz4Error('LZ4 frame descriptor fails its header checksum', frameAt + 4 + descriptorLen);
  // The content size (8 bytes LE): checked against what the frame decodes to, as lz4 does.
  const contentSize = hasContentSize ? Number(new DataView(w.buf.buffer, w.buf.byteOffset + w.pos + 6, 8).getBigUint64(0, true)) : null;
  // A dictionary id only names the dictionary the blocks may refer to: without it, a match reaching
  // before the frame's first byte fails below, naming the dictionary.
  const dictId = hasDictId ? w.u32(w.pos + 6 + (hasContentSize ? 8 : 0)) : null;
  w.pos += 4 + descriptorLen + 1;

  const content = contentChecksum ? new Xxh32() : null;
  let decoded = 0;
  let hist = 0;
  let out: Uint8Array | null = null;
  for (;;) {
    if (!(await w.fill(4))) throw truncated(w, 'block size');
    const word = w.u32();
    const blockAt = w.offset;
    w.pos += 4;
    if (word === 0) break;
    // Windows sized for the frame's block size once it has a block (an empty frame needs none).
    // Input: a whole block with its size word and checksum, plus one input chunk besides. Output:
    // HISTORY bytes of earlier output, then room for one block.
    if (out === null) {
      w.reserve(blockMax + 8 + READ_AHEAD);
      out = output.of(HISTORY + blockMax);
    }
    const stored = (word & 0x80000000) !== 0;
    const size = word & 0x7fffffff;
    if (size > blockMax) throw lz4Error(`LZ4 block of ${size} bytes exceeds the frame's ${blockMax}-byte maximum`, blockAt);
    if (!(await w.fill(size + (blockChecksum ? 4 : 0)))) throw truncated(w, 'block');
    // "Block checksum": xxh32 of the block's bytes as stored, checked before decoding them.
    if (blockChecksum && xxh32(w.buf, w.pos, w.pos + size) !== w.u32(w.pos + size)) throw lz4Error('LZ4 block fails its block checksum', blockAt);
    const start = independent ? 0 : hist;
    let end: number;
    if (stored) {
      out.set(w.buf.subarray(w.pos, w.pos + size), start);
      end = start + size;
    } else {
      end = decodeBlock(w, size, out, start, start + blockMax, blockAt, dictId);
    }
    w.pos += size + (blockChecksum ? 4 : 0);
    decoded += end - start;
    content?.update(out, start, end);
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
  const endMarkAt = w.offset - 4;
  if (contentSize !== null && contentSize !== decoded) {
    throw lz4Error(`LZ4 frame decodes to ${decoded} bytes, its header announces ${contentSize}`, endMarkAt);
  }
  if (content !== null) {
    if (!(await w.fill(4))) throw truncated(w, 'content checksum');
    if (content.digest() !== w.u32()) throw lz4Error('LZ4 frame fails its content checksum', w.offset);
    w.pos += 4;
  }
}

/**
 * The block of `size` bytes at the window's position decoded into out[start, limit) (lz4-block.ts);
 * its fault as a BAD_COMPRESSION error at the block's offset, naming the frame's dictionary when a
 * match reaches before the data (a block made with a dictionary rdbscope does not have).
 */
function decodeBlock(w: InputWindow, size: number, out: Uint8Array, start: number, limit: number, blockAt: number, dictId: number | null): number {
  try {
    return decodeLz4Block(w.buf, w.pos, w.pos + size, out, start, limit, 0);
  } catch (e) {
    if (!(e instanceof Lz4BlockError)) throw e;
    const dictionary = dictId !== null && e.beforeData ? `; the frame names dictionary ${dictId}, which rdbscope does not have` : '';
    throw lz4Error(`corrupt LZ4 block (${e.message}${dictionary})`, blockAt);
  }
}

/**
 * "Legacy frame": after the magic, blocks of a 4-byte compressed size and LZ4 data, each decoding
 * to 8 MiB but the last, independent, with no checksum and no end mark: the frame ends with the input
 * or where the next 4 bytes are a frame magic number.
 */
async function* decodeLegacyFrame(w: InputWindow, output: OutputWindow): AsyncGenerator<Uint8Array> {
  w.pos += 4;
  w.reserve(LEGACY_BLOCK_BOUND + 4 + READ_AHEAD);
  const out = output.of(LEGACY_BLOCK);
  for (;;) {
    if (!(await w.fill(4))) {
      if (w.buf.length - w.pos === 0) return;
      throw truncated(w, 'legacy block size');
    }
    const size = w.u32();
    if (isLz4Magic(size)) return;
    const blockAt = w.offset;
    if (size === 0 || size > LEGACY_BLOCK_BOUND) throw lz4Error(`legacy LZ4 block of ${size} bytes (at most ${LEGACY_BLOCK_BOUND})`, blockAt);
    w.pos += 4;
    if (!(await w.fill(size))) throw truncated(w, 'block');
    const end = decodeBlock(w, size, out, 0, LEGACY_BLOCK, blockAt, null);
    w.pos += size;
    for (let at = 0; at < end; at += OUTPUT_SLICE) yield out.subarray(at, Math.min(end, at + OUTPUT_SLICE));
  }
}
