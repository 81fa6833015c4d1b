/**
 * LZF decompression (rdb-format.md §2.3) as a WebAssembly function, for the blobs a parse walks
 * (listpacks, ziplists, intsets, stream nodes): the JS decoder spent ~16 ns per control byte, a
 * tenth of the parse of a real cache. Same rules as lzf.ts's decoder; on any fault it returns -1
 * and the caller decodes again in JS for the exact error and its offset. Literal runs and
 * back-references at least 8 bytes back copy 8 bytes at a time (overlapping copies byte by byte), so
 * the regions have 8 bytes of slack after them.
 */
import { I32, instantiate, OP, sleb } from './wasm-module.js';

const PAGE = 65536;
/** Compressed input goes here, at most IN_CAP bytes. */
const IN = PAGE;
export const LZF_WASM_IN_CAP = 1 << 20;
/** Two output regions used in turn (see lzfDecompressReused), at most OUT_CAP bytes each. */
const OUT = [IN + LZF_WASM_IN_CAP + PAGE, IN + 2 * (LZF_WASM_IN_CAP + PAGE)];
export const LZF_WASM_OUT_CAP = 1 << 20;
const PAGES = (OUT[1]! + LZF_WASM_OUT_CAP + PAGE) / PAGE;

interface LzfWasm {
  decode: (ip: number, end: number, op: number, lim: number) => number;
  bytes: Uint8Array;
}

let engine: LzfWasm | null | undefined;

/** The wasm engine, built on first use; null where WebAssembly is unavailable. */
function wasm(): LzfWasm | null {
  if (engine !== undefined) return engine;
  const w = instantiate({ params: [I32, I32, I32, I32], results: [I32], locals: [[5, I32]], code: lzfCode(), pages: PAGES });
  engine = w === null ? null : { decode: w.f as LzfWasm['decode'], bytes: new Uint8Array(w.memory) };
  return engine;
}

/**
 * Decompresses src[start, end) into output region `slot` of the wasm memory and returns a view of
 * its outLen bytes (valid until that slot is used again), or null when the wasm engine is missing,
 * the sizes exceed the regions, or the data is faulty (decode in JS then, for the error).
 */
export function lzfDecompressWasm(src: Uint8Array, start: number, end: number, outLen: number, slot: 0 | 1): Uint8Array | null {
  const inLen = end - start;
  if (inLen > LZF_WASM_IN_CAP || outLen > LZF_WASM_OUT_CAP) return null;
  const w = wasm();
  if (w === null) return null;
  w.bytes.set(src.subarray(start, end), IN);
  const out = OUT[slot]!;
  const produced = w.decode(IN, IN + inLen, out, out + outLen);
  if (produced !== outLen) return null;
  return w.bytes.subarray(out, out + outLen);
}

/** The decoder: d(ip, end, op, lim) → bytes produced into [op, lim), or -1 on a fault. */
function lzfCode(): number[] {
  const IP = 0, END = 1, OPOS = 2, LIM = 3, OUT0 = 4, CTRL = 5, LEN = 6, REF = 7, STOP = 8;
  const { get, set } = OP;
  const c: number[] = [];
  const fail = () => c.push(OP.if, OP.void, OP.i32const, ...sleb(-1), OP.return, OP.end);
  const inc = (local: number, n: number) => c.push(get, local, OP.i32const, ...sleb(n), OP.i32add, set, local);
  c.push(get, OPOS, set, OUT0);
  c.push(OP.block, OP.void, OP.loop, OP.void);
  c.push(get, IP, get, END, OP.i32geu, OP.brIf, 1);
  c.push(get, IP, OP.i32load8u, 0, 0, set, CTRL);
  inc(IP, 1);
  c.push(get, CTRL, OP.i32const, 32, OP.i32ltu, OP.if, OP.void);
  {
    // Literal run of ctrl + 1 bytes.
    c.push(get, CTRL, OP.i32const, 1, OP.i32add, set, LEN);
    c.push(get, IP, get, LEN, OP.i32add, get, END, OP.i32gtu);
    fail();
    c.push(get, OPOS, get, LEN, OP.i32add, get, LIM, OP.i32gtu);
    fail();
    c.push(get, OPOS, get, LEN, OP.i32add, set, STOP);
    c.push(OP.loop, OP.void);
    c.push(get, OPOS, get, IP, OP.i64load, 0, 0, OP.i64store, 0, 0);
    inc(OPOS, 8);
    inc(IP, 8);
    c.push(get, OPOS, get, STOP, OP.i32ltu, OP.brIf, 0, OP.end);
    // Undo the overshoot of the last 8-byte step.
    c.push(get, IP, get, OPOS, get, STOP, OP.i32sub, OP.i32sub, set, IP);
    c.push(get, STOP, set, OPOS);
  }
  c.push(OP.else);
  {
    // Back-reference: len = (ctrl >> 5) + 2 (plus the next byte when 7), distance = ((ctrl & 31) << 8) + next + 1.
    c.push(get, CTRL, OP.i32const, 5, OP.i32shru, set, LEN);
    c.push(get, IP, get, END, OP.i32geu);
    fail();
    c.push(get, LEN, OP.i32const, 7, OP.i32eq, OP.if, OP.void);
    c.push(get, LEN, get, IP, OP.i32load8u, 0, 0, OP.i32add, set, LEN);
    inc(IP, 1);
    c.push(get, IP, get, END, OP.i32geu);
    fail();
    c.push(OP.end);
    c.push(get, OPOS, get, CTRL, OP.i32const, 31, OP.i32and, OP.i32const, 8, OP.i32shl);
    c.push(get, IP, OP.i32load8u, 0, 0, OP.i32add, OP.i32const, 1, OP.i32add, OP.i32sub, set, REF);
    inc(IP, 1);
    inc(LEN, 2);
    c.push(get, REF, get, OUT0, OP.i32ltu);
    fail();
    c.push(get, OPOS, get, LEN, OP.i32add, get, LIM, OP.i32gtu);
    fail();
    c.push(get, OPOS, get, LEN, OP.i32add, set, STOP);
    c.push(get, OPOS, get, REF, OP.i32sub, OP.i32const, 8, OP.i32geu, OP.if, OP.void);
    {
      // At least 8 back: every 8-byte read lies in output already written.
      c.push(OP.loop, OP.void);
      c.push(get, OPOS, get, REF, OP.i64load, 0, 0, OP.i64store, 0, 0);
      inc(OPOS, 8);
      inc(REF, 8);
      c.push(get, OPOS, get, STOP, OP.i32ltu, OP.brIf, 0, OP.end);
      c.push(get, STOP, set, OPOS);
    }
    c.push(OP.else);
    {
      // Overlapping (run-length patterns): byte by byte, each read may be a byte just written.
      c.push(OP.loop, OP.void);
      c.push(get, OPOS, get, REF, OP.i32load8u, 0, 0, OP.i32store8, 0, 0);
      inc(OPOS, 1);
      inc(REF, 1);
      c.push(get, OPOS, get, STOP, OP.i32ltu, OP.brIf, 0, OP.end);
    }
    c.push(OP.end);
  }
  c.push(OP.end);
  c.push(OP.br, 0, OP.end, OP.end);
  c.push(get, OPOS, get, OUT0, OP.i32sub);
  return c;
}

let scanEngine: { scan: (ip: number, end: number, op: number) => number; bytes: Uint8Array } | null | undefined;

/**
 * LzfScan's check as a wasm function, for the string payloads measureString passes whole: true when
 * src[start, end) decodes to exactly outLen bytes, false when the data is faulty, too big for the
 * input region or wasm is missing (the JS scan then decides, with the exact error).
 */
export function lzfScanWasm(src: Uint8Array, start: number, end: number, outLen: number): boolean {
  const inLen = end - start;
  if (inLen > LZF_WASM_IN_CAP || outLen > 0x7fff_ffff) return false;
  if (scanEngine === undefined) {
    // A page after the input: the scan reads the two bytes after each control byte, whatever it is.
    const w = instantiate({ params: [I32, I32, I32], results: [I32], locals: [[4, I32]], code: scanCode(), pages: (IN + LZF_WASM_IN_CAP + PAGE) / PAGE });
    scanEngine = w === null ? null : { scan: w.f as (ip: number, end: number, op: number) => number, bytes: new Uint8Array(w.memory) };
  }
  if (scanEngine === null) return false;
  scanEngine.bytes.set(src.subarray(start, end), IN);
  return scanEngine.scan(IN, IN + inLen, 0) === outLen;
}

/**
 * The scan: s(ip, end, op) → the output count of [ip, end), or -1 when the last item passes the end
 * or a back-reference points before the start. Nothing is written. One branch per kind of item
 * (literal c < 32: advance c + 2, output c + 1; c ≥ 0xe0: advance 3, output 9 + next byte, distance
 * low byte after it; else advance 2, output (c >> 5) + 2): compressed text comes in long runs of one
 * kind, so the branches are predicted and the next item's address does not wait for this one's
 * control byte, which a branch-free select chain made it do (about twice as slow on the bench's
 * compressible pages).
 */
function scanCode(): number[] {
  const IP = 0, END = 1, OPOS = 2, CTRL = 3, B1 = 4, DIST = 5, NEWOP = 6;
  const { get, set } = OP;
  const c: number[] = [];
  c.push(OP.block, OP.void, OP.loop, OP.void);
  c.push(get, IP, get, END, OP.i32geu, OP.brIf, 1);
  c.push(get, IP, OP.i32load8u, 0, 0, set, CTRL);
  // A literal run: its bytes are passed.
  c.push(get, CTRL, OP.i32const, 32, OP.i32ltu, OP.if, OP.void);
  c.push(get, OPOS, get, CTRL, OP.i32add, OP.i32const, 1, OP.i32add, set, OPOS);
  c.push(get, IP, get, CTRL, OP.i32add, OP.i32const, 2, OP.i32add, set, IP);
  c.push(OP.br, 1, OP.end);
  // A back-reference: distance ((c & 31) << 8) + low byte + 1, within the output so far.
  c.push(get, IP, OP.i32load8u, 0, 1, set, B1);
  c.push(get, CTRL, OP.i32const, ...sleb(0xe0), OP.i32geu, OP.if, OP.void);
  c.push(get, CTRL, OP.i32const, 31, OP.i32and, OP.i32const, 8, OP.i32shl, get, IP, OP.i32load8u, 0, 2, OP.i32add, OP.i32const, 1, OP.i32add, set, DIST);
  c.push(get, OPOS, OP.i32const, 9, OP.i32add, get, B1, OP.i32add, set, NEWOP);
  c.push(get, IP, OP.i32const, 3, OP.i32add, set, IP);
  c.push(OP.else);
  c.push(get, CTRL, OP.i32const, 31, OP.i32and, OP.i32const, 8, OP.i32shl, get, B1, OP.i32add, OP.i32const, 1, OP.i32add, set, DIST);
  c.push(get, OPOS, get, CTRL, OP.i32const, 5, OP.i32shru, OP.i32add, OP.i32const, 2, OP.i32add, set, NEWOP);
  c.push(get, IP, OP.i32const, 2, OP.i32add, set, IP);
  c.push(OP.end);
  c.push(get, DIST, get, OPOS, OP.i32gtu, OP.if, OP.void, OP.i32const, ...sleb(-1), OP.return, OP.end);
  c.push(get, NEWOP, set, OPOS);
  c.push(OP.br, 0, OP.end, OP.end);
  c.push(get, IP, get, END, OP.i32ne, OP.if, OP.void, OP.i32const, ...sleb(-1), OP.return, OP.end);
  c.push(get, OPOS);
  return c;
}
