/**
 * CRC-64/Jones exactly as Redis computes the RDB trailer (rdb-format.md §1.4): reflected polynomial
 * 0x95AC9329AC4BC9B5, init 0, no final xor; check value of "123456789" = e9c6d914c4b8d9ca.
 *
 * Speed matters (every byte of every file goes through here), so there are two engines with the
 * same slice-by-16 algorithm (16 tables, T_k[b] = CRC of byte b followed by k zero bytes):
 *  - a WebAssembly function assembled below (wasm-module.ts): native 64-bit loads and xors, ~2 GB/s;
 *  - plain JS over two 32-bit halves, ~0.7 GB/s, used for short inputs (copying into the wasm
 *    memory costs more than it saves) and wherever WebAssembly is unavailable.
 * The tables are Int32Array, not Uint32Array: V8 boxes Uint32Array elements ≥ 2^31 as doubles,
 * which halves the speed of the JS engine.
 */

import { I32, I64, instantiate, OP, sleb, uleb } from './wasm-module.js';

const POLY_LO = 0xac4bc9b5 | 0;
const POLY_HI = 0x95ac9329 | 0;
const TABLES = 16;

/** Below this many bytes the JS loop is faster than copying into wasm memory. */
const WASM_MIN_BYTES = 256;
/** Input is copied into wasm memory in pieces of this size (bounds the memory we hold). */
const WASM_CHUNK = 1 << 20;
const WASM_STATE = 32768; // after the 16 × 256 × 8-byte tables
const WASM_INPUT = 65536;
const WASM_PAGES = 1 + 1 + WASM_CHUNK / 65536;

/** Slice-by-16 tables: entry k*256+b at [2i] (low half) and [2i+1] (high half). */
const TABLE = buildTables();

function buildTables(): Int32Array {
  const t = new Int32Array(TABLES * 256 * 2);
  for (let b = 0; b < 256; b++) {
    let lo = b;
    let hi = 0;
    for (let i = 0; i < 8; i++) {
      const mask = -(lo & 1);
      lo = (lo >>> 1) | (hi << 31);
      hi = hi >>> 1;
      lo ^= POLY_LO & mask;
      hi ^= POLY_HI & mask;
    }
    t[2 * b] = lo;
    t[2 * b + 1] = hi;
  }
  for (let k = 1; k < TABLES; k++) {
    for (let b = 0; b < 256; b++) {
      const p = 2 * ((k - 1) * 256 + b);
      const lo = t[p]!;
      const hi = t[p + 1]!;
      const i = 2 * (lo & 0xff);
      t[2 * (k * 256 + b)] = ((lo >>> 8) | (hi << 24)) ^ t[i]!;
      t[2 * (k * 256 + b) + 1] = (hi >>> 8) ^ t[i + 1]!;
    }
  }
  return t;
}

interface WasmEngine {
  update: (ptr: number, len: number) => void;
  bytes: Uint8Array;
  state: Int32Array;
}

const WASM: WasmEngine | null = buildWasm();

export class Crc64 {
  private lo = 0;
  private hi = 0;

  update(buf: Uint8Array, start: number, end: number): void {
    if (WASM !== null && end - start >= WASM_MIN_BYTES) this.updateWasm(WASM, buf, start, end);
    else this.updateJs(buf, start, end);
  }

  /** Same as update() with a forced engine ('wasm' falls back to JS when unavailable); for tests and bench. */
  updateUsing(engine: 'js' | 'wasm', buf: Uint8Array, start: number, end: number): void {
    if (engine === 'wasm' && WASM !== null) this.updateWasm(WASM, buf, start, end);
    else this.updateJs(buf, start, end);
  }

  /** 16 lowercase hex digits, most significant first (how Redis prints it). */
  hex(): string {
    return (this.hi >>> 0).toString(16).padStart(8, '0') + (this.lo >>> 0).toString(16).padStart(8, '0');
  }

  /** Compares with an 8-byte trailer stored little-endian at buf[pos] (§1.4). */
  equalsLE(buf: Uint8Array, pos: number): boolean {
    const lo = buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16) | (buf[pos + 3]! << 24);
    const hi = buf[pos + 4]! | (buf[pos + 5]! << 8) | (buf[pos + 6]! << 16) | (buf[pos + 7]! << 24);
    return lo === this.lo && hi === this.hi;
  }

  private updateWasm(w: WasmEngine, buf: Uint8Array, start: number, end: number): void {
    w.state[0] = this.lo;
    w.state[1] = this.hi;
    for (let p = start; p < end; p += WASM_CHUNK) {
      const n = Math.min(WASM_CHUNK, end - p);
      w.bytes.set(buf.subarray(p, p + n), WASM_INPUT);
      w.update(WASM_INPUT, n);
    }
    this.lo = w.state[0]!;
    this.hi = w.state[1]!;
  }

  private updateJs(buf: Uint8Array, start: number, end: number): void {
    const t = TABLE;
    let lo = this.lo;
    let hi = this.hi;
    let i = start;
    for (; i + 16 <= end; i += 16) {
      const a = lo ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
      const b = hi ^ (buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24));
      // Byte j of the 16 goes through table 15 - j; index = 2 * (k * 256 + byte).
      const i0 = (3840 + (a & 255)) << 1;
      const i1 = (3584 + ((a >>> 8) & 255)) << 1;
      const i2 = (3328 + ((a >>> 16) & 255)) << 1;
      const i3 = (3072 + (a >>> 24)) << 1;
      const i4 = (2816 + (b & 255)) << 1;
      const i5 = (2560 + ((b >>> 8) & 255)) << 1;
      const i6 = (2304 + ((b >>> 16) & 255)) << 1;
      const i7 = (2048 + (b >>> 24)) << 1;
      const i8 = (1792 + buf[i + 8]!) << 1;
      const i9 = (1536 + buf[i + 9]!) << 1;
      const i10 = (1280 + buf[i + 10]!) << 1;
      const i11 = (1024 + buf[i + 11]!) << 1;
      const i12 = (768 + buf[i + 12]!) << 1;
      const i13 = (512 + buf[i + 13]!) << 1;
      const i14 = (256 + buf[i + 14]!) << 1;
      const i15 = buf[i + 15]! << 1;
      lo =
        t[i0]! ^ t[i1]! ^ t[i2]! ^ t[i3]! ^ t[i4]! ^ t[i5]! ^ t[i6]! ^ t[i7]! ^
        t[i8]! ^ t[i9]! ^ t[i10]! ^ t[i11]! ^ t[i12]! ^ t[i13]! ^ t[i14]! ^ t[i15]!;
      hi =
        t[i0 + 1]! ^ t[i1 + 1]! ^ t[i2 + 1]! ^ t[i3 + 1]! ^ t[i4 + 1]! ^ t[i5 + 1]! ^ t[i6 + 1]! ^ t[i7 + 1]! ^
        t[i8 + 1]! ^ t[i9 + 1]! ^ t[i10 + 1]! ^ t[i11 + 1]! ^ t[i12 + 1]! ^ t[i13 + 1]! ^ t[i14 + 1]! ^ t[i15 + 1]!;
    }
    for (; i < end; i++) {
      const x = ((lo ^ buf[i]!) & 255) << 1;
      lo = ((lo >>> 8) | (hi << 24)) ^ t[x]!;
      hi = (hi >>> 8) ^ t[x + 1]!;
    }
    this.lo = lo;
    this.hi = hi;
  }
}

export function crc64Hex(buf: Uint8Array): string {
  const c = new Crc64();
  c.update(buf, 0, buf.length);
  return c.hex();
}

export function crc64HasWasm(): boolean {
  return WASM !== null;
}

/**
 * Assembles the wasm engine: `f(ptr, len)` runs slice-by-16 over memory[ptr, ptr+len) with the
 * running CRC kept as an i64 at WASM_STATE; the memory's first 32 KiB hold TABLE (same layout,
 * little-endian i64 per entry). Returns null if WebAssembly is unavailable.
 */
function buildWasm(): WasmEngine | null {
  const wasm = instantiate({ params: [I32, I32], results: [], locals: [[3, I64], [2, I32]], code: crcCode(), pages: WASM_PAGES });
  if (wasm === null) return null;
  new Int32Array(wasm.memory, 0, TABLE.length).set(TABLE);
  return { update: wasm.f as (ptr: number, len: number) => void, bytes: new Uint8Array(wasm.memory), state: new Int32Array(wasm.memory, WASM_STATE, 2) };
}

function crcCode(): number[] {
  // Locals: params ptr, len; then crc/a/b (i64) and end16/end (i32).
  const PTR = 0, LEN = 1, CRC = 2, A = 3, B = 4, END16 = 5, END = 6;
  const c: number[] = [];
  // Load T_k[byte j of local v] as i64.
  const lookup = (v: number, j: number, k: number): void => {
    c.push(OP.get, v);
    if (j !== 0) c.push(OP.i64const, ...sleb(8 * j), OP.i64shru);
    c.push(OP.wrap, OP.i32const, ...sleb(255), OP.i32and, OP.i32const, 3, OP.i32shl, OP.i64load, 3, ...uleb(k * 2048));
  };
  c.push(OP.i32const, ...sleb(WASM_STATE), OP.i64load, 3, 0, OP.set, CRC);
  c.push(OP.get, PTR, OP.get, LEN, OP.i32add, OP.set, END);
  c.push(OP.get, PTR, OP.get, LEN, OP.i32const, ...sleb(-16), OP.i32and, OP.i32add, OP.set, END16);
  // 16 bytes per iteration.
  c.push(OP.block, OP.void, OP.loop, OP.void, OP.get, PTR, OP.get, END16, OP.i32geu, OP.brIf, 1);
  c.push(OP.get, PTR, OP.i64load, 3, 0, OP.get, CRC, OP.i64xor, OP.set, A);
  c.push(OP.get, PTR, OP.i64load, 3, 8, OP.set, B);
  for (let j = 0; j < 8; j++) {
    lookup(A, j, 15 - j);
    if (j !== 0) c.push(OP.i64xor);
  }
  for (let j = 0; j < 8; j++) {
    lookup(B, j, 7 - j);
    c.push(OP.i64xor);
  }
  c.push(OP.set, CRC, OP.get, PTR, OP.i32const, 16, OP.i32add, OP.set, PTR, OP.br, 0, OP.end, OP.end);
  // Remaining bytes one at a time: crc = T0[(crc ^ byte) & 255] ^ (crc >> 8).
  c.push(OP.block, OP.void, OP.loop, OP.void, OP.get, PTR, OP.get, END, OP.i32geu, OP.brIf, 1);
  c.push(OP.get, CRC, OP.get, PTR, OP.i64load8u, 0, 0, OP.i64xor);
  c.push(OP.wrap, OP.i32const, ...sleb(255), OP.i32and, OP.i32const, 3, OP.i32shl, OP.i64load, 3, 0);
  c.push(OP.get, CRC, OP.i64const, 8, OP.i64shru, OP.i64xor, OP.set, CRC);
  c.push(OP.get, PTR, OP.i32const, 1, OP.i32add, OP.set, PTR, OP.br, 0, OP.end, OP.end);
  c.push(OP.i32const, ...sleb(WASM_STATE), OP.get, CRC, OP.i64store, 3, 0);
  return c;
}
