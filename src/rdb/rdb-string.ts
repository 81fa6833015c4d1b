import { RdbError } from '../core/errors.js';
import type { ByteReader } from './byte-reader.js';
import { ENC_INT16, ENC_INT32, ENC_INT8, ENC_LZF, lenResult, readLength, readLengthOrEncoding } from './length.js';
import { checkSizes, lzfDecompress, lzfDecompressInto, LzfScan, lzfValidate } from './lzf.js';
import { lzfDecompressWasm, lzfScanWasm } from './lzf-wasm.js';
import { canonicalInt64, decimalLength } from './canonical-int.js';
import type { KeyArena } from './key-arena.js';

const ascii = new TextEncoder();

/**
 * Reads a whole string (rdb-format.md §2.2) into a new array: keys, AUX fields, names.
 * INT8/16/32 encodings become their decimal text, LZF payloads are decompressed.
 */
export function readStringBytes(r: ByteReader): Uint8Array {
  const at = r.offset;
  readLengthOrEncoding(r);
  if (!lenResult.special) return r.bytes(lenResult.value);
  return decodeSpecialString(r, at);
}

/**
 * Reads a key into `arena` (its bytes at arena.buf from arena.start) and returns its length: like
 * readStringBytes, without an array per key. `inPlace`: a plain key is left where it is in the read
 * window (KeyArena.view) instead of copied, for a record handed over before the window changes.
 */
export function readKeyInto(r: ByteReader, arena: KeyArena, inPlace: boolean): number {
  const at = r.offset;
  readLengthOrEncoding(r);
  if (!lenResult.special) {
    const n = lenResult.value;
    const start = r.take(n);
    if (inPlace) arena.view(r.buf, start);
    else arena.place(r.buf, start, n);
    return n;
  }
  const bytes = decodeSpecialString(r, at);
  arena.adopt(bytes);
  return bytes.length;
}

/** An INT- or LZF-encoded string (lenResult holds its encoding) as bytes. */
function decodeSpecialString(r: ByteReader, at: number): Uint8Array {
  switch (lenResult.value) {
    case ENC_INT8:
      return ascii.encode(String((r.u8() << 24) >> 24));
    case ENC_INT16: {
      const lo = r.u8();
      const hi = r.u8();
      return ascii.encode(String((((hi << 8) | lo) << 16) >> 16));
    }
    case ENC_INT32:
      return ascii.encode(String(r.i32le()));
    case ENC_LZF: {
      const clen = readLength(r);
      const ulen = readLength(r);
      const start = r.take(clen);
      return lzfDecompress(r.buf, start, start + clen, ulen, r.offset - clen);
    }
    default:
      throw new RdbError('BAD_STRING', `unknown string encoding 0x${(0xc0 | lenResult.value).toString(16)}`, at);
  }
}

/**
 * What measuring a string found. One shared slot (no object per element on the hot path); read the
 * fields right after the call.
 */
export const measured = {
  /** Logical length (decimal text length for INT encodings, ulen for LZF). */
  len: 0,
  /** Canonical int64 text (or INT-encoded): Redis may store it as an integer. */
  isInt: false,
  /** For short strings (≤ 20 bytes, raw): where the bytes sit in r.buf; -1 otherwise. */
  start: -1,
  /** Value of an INT-encoded string (for intset widths). */
  intValue: 0,
  /** Encoded as INT8/16/32 in the file. */
  intEncoded: false,
};

/** Longest canonical int64 text ("-9223372036854775808"). */
export const MAX_INT_TEXT = 20;

/** Below this many compressed bytes measureString scans a payload in JS, in place (see there). */
const WASM_SCAN_MIN = 1024;

/** Validates the LZF payloads measureString passes (one at a time: see ByteReader.skipThrough). */
const measureScan = new LzfScan();

/**
 * Measures a string without keeping it: long raw payloads are skipped; LZF payloads are passed
 * through a validating scan (LzfScan: no output is made) so that their uncompressed length is one
 * they really decode to, as Redis requires (rdb-format.md §2.2-2.3). Only strings short enough to be
 * integers are looked at, which is all the memory model needs (intset/int/listpack decisions).
 */
export function measureString(r: ByteReader): void {
  const at = r.offset;
  readLengthOrEncoding(r);
  measured.start = -1;
  measured.intEncoded = false;
  if (!lenResult.special) {
    const n = lenResult.value;
    measured.len = n;
    if (n <= MAX_INT_TEXT) {
      const s = r.take(n);
      measured.start = s;
      measured.isInt = n > 0 && canonicalInt64(r.buf, s, n);
    } else {
      measured.isInt = false;
      r.skip(n);
    }
    return;
  }
  let v: number;
  switch (lenResult.value) {
    case ENC_INT8:
      v = (r.u8() << 24) >> 24;
      break;
    case ENC_INT16: {
      const lo = r.u8();
      const hi = r.u8();
      v = (((hi << 8) | lo) << 16) >> 16;
      break;
    }
    case ENC_INT32:
      v = r.i32le();
      break;
    case ENC_LZF: {
      const clen = readLength(r);
      const ulen = readLength(r);
      measured.len = ulen;
      if (ulen <= MAX_INT_TEXT) {
        // Never written by Redis (LZF is tried only above 20 bytes) but legal: decode to judge.
        const s = r.take(clen);
        const out = lzfDecompress(r.buf, s, s + clen, ulen, r.offset - clen);
        measured.isInt = ulen > 0 && canonicalInt64(out, 0, ulen);
      } else {
        // Sizes no LZF data can have fail at once; the scan finds any other mismatch.
        checkSizes(0, clen, ulen, r.offset);
        measured.isInt = false;
        // Whole in the window (nearly always): a short payload is checked by the JS scan in place, a
        // longer one by the wasm scan (after a copy into its memory, which costs more than the scan
        // of a short one); else, or when the wasm scan finds a fault (whose exact error the JS scan
        // gives), by LzfScan as the bytes pass.
        const whole = r.pendingSkip === 0 && clen <= r.end - r.pos;
        if (whole && clen < WASM_SCAN_MIN) {
          lzfValidate(r.buf, r.pos, r.pos + clen, ulen, r.offset);
          r.skip(clen);
        } else if (whole && lzfScanWasm(r.buf, r.pos, r.pos + clen, ulen)) {
          r.skip(clen);
        } else {
          measureScan.begin(ulen);
          r.skipThrough(clen, measureScan);
        }
      }
      return;
    }
    default:
      throw new RdbError('BAD_STRING', `unknown string encoding 0x${(0xc0 | lenResult.value).toString(16)}`, at);
  }
  measured.len = decimalLength(v);
  measured.isInt = true;
  measured.intEncoded = true;
  measured.intValue = v;
}

/**
 * Reads a string that must be a blob (ziplist, listpack, intset, zipmap, stream node): returns
 * [buffer, start, end] of its bytes, decompressing LZF. The blob is held whole: these are bounded
 * by the server's encoding thresholds, and their contents must be walked.
 */
export const blob: { buf: Uint8Array; start: number; end: number; offset: number; compressedAt: number } = {
  buf: new Uint8Array(0),
  start: 0,
  end: 0,
  offset: 0,
  /** File offset of the LZF payload when the last blob was compressed, else -1. */
  compressedAt: -1,
};

/** Compressed blobs up to this size decompress into reused buffers; larger ones get their own. */
const REUSED_BLOB_MAX = 1 << 20;
const reused = [new Uint8Array(4096), new Uint8Array(4096)];
let nextSlot: 0 | 1 = 0;

/**
 * Decompresses a blob of ulen bytes into one of two places taken in turn: a decoder may hold the
 * previous blob while it reads the next (a stream node's key, then its listpack), never more, and
 * never across a yield (the `blob` slot itself is shared the same way). The wasm decoder's output
 * regions first; the JS decoder into reused buffers where wasm is missing or the data is faulty
 * (it then throws the exact BAD_LZF error).
 */
function decompressBlob(src: Uint8Array, start: number, end: number, ulen: number, offset: number): Uint8Array {
  // Its own buffer, which lzfDecompress allocates only once the data is known to fill it.
  if (ulen > REUSED_BLOB_MAX) return lzfDecompress(src, start, end, ulen, offset);
  const slot = nextSlot;
  nextSlot = slot === 0 ? 1 : 0;
  const fast = lzfDecompressWasm(src, start, end, ulen, slot);
  if (fast !== null) return fast;
  if (reused[slot]!.length < ulen) reused[slot] = new Uint8Array(Math.min(REUSED_BLOB_MAX, Math.max(ulen, reused[slot]!.length * 2)));
  return lzfDecompressInto(src, start, end, reused[slot]!, ulen, offset);
}

export function readBlob(r: ByteReader): void {
  const at = r.offset;
  readLengthOrEncoding(r);
  if (!lenResult.special) {
    const n = lenResult.value;
    blob.offset = r.offset;
    blob.compressedAt = -1;
    const s = r.take(n);
    blob.buf = r.buf;
    blob.start = s;
    blob.end = s + n;
    return;
  }
  if (lenResult.value === ENC_LZF) {
    const clen = readLength(r);
    const ulen = readLength(r);
    const s = r.take(clen);
    blob.offset = r.offset - clen;
    blob.compressedAt = blob.offset;
    checkSizes(s, s + clen, ulen, blob.offset);
    blob.buf = decompressBlob(r.buf, s, s + clen, ulen, blob.offset);
    blob.start = 0;
    blob.end = ulen;
    return;
  }
  // An INT-encoded "blob" cannot hold a ziplist/listpack header.
  throw new RdbError('BAD_STRING', 'integer-encoded string where a binary blob was expected', at);
}
