/**
 * Test-only RDB writer: builds byte-exact RDB files and compact blobs following
 * /work/shared/rdb-format.md, for encodings no available server writes any more (zipmap, ziplist,
 * quicklist v1, linked lists, type-3 zsets, old versions) and for hostile input.
 *
 *   const rdb = new RdbWriter({ version: 4 })
 *     .selectDb(0)
 *     .key(TYPE.LIST_ZIPLIST, 'l').string(buildZiplist(['a', 1, 'b']))
 *     .key(TYPE.STRING, 's').string('v')
 *     .finish();
 *
 * Defaults follow what Redis writes (smallest len forms, int-encoded strings, 1-byte prevlens...);
 * every choice can be forced for edge tests. Strings are LZF-compressed only when asked
 * (`compress: true` applies Redis' rule: length > 20 and at least 4 bytes saved, §2.2).
 */
import { Crc64 } from '../../src/rdb/crc64.js';
import { canonicalInt64, listpackBacklenSize } from '../../src/rdb/canonical-int.js';
import { lzfCompress } from './lzf-compress.js';

/** Value type ids (§4.0). */
export const TYPE = {
  STRING: 0, LIST: 1, SET: 2, ZSET: 3, HASH: 4, ZSET_2: 5, MODULE_PRE_GA: 6, MODULE_2: 7,
  HASH_ZIPMAP: 9, LIST_ZIPLIST: 10, SET_INTSET: 11, ZSET_ZIPLIST: 12, HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14, STREAM_LISTPACKS: 15, HASH_LISTPACK: 16, ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18, STREAM_LISTPACKS_2: 19, SET_LISTPACK: 20, STREAM_LISTPACKS_3: 21,
  HASH_METADATA_PRE_GA: 22, HASH_2: 22, HASH_LISTPACK_EX_PRE_GA: 23, HASH_METADATA: 24,
  HASH_LISTPACK_EX: 25, STREAM_LISTPACKS_4: 26, STREAM_LISTPACKS_5: 27, ARRAY: 28,
} as const;

/** Top-level opcodes (§3.1). */
export const OPCODE = {
  SLOT_IMPORT_OR_KEY_META: 243, SLOT_INFO: 244, FUNCTION2: 245, FUNCTION_PRE_GA: 246, MODULE_AUX: 247,
  IDLE: 248, FREQ: 249, AUX: 250, RESIZEDB: 251, EXPIRETIME_MS: 252, EXPIRETIME: 253, SELECTDB: 254, EOF: 255,
} as const;

export type Bytes = string | Uint8Array;

const utf8 = (s: Bytes): Uint8Array => (typeof s === 'string' ? new TextEncoder().encode(s) : s);

/** Growable byte buffer with little/big-endian helpers. */
class ByteSink {
  bytes = new Uint8Array(256);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let cap = this.bytes.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  u8(...values: number[]): this {
    this.ensure(values.length);
    for (const v of values) this.bytes[this.length++] = v & 0xff;
    return this;
  }

  put(b: Uint8Array): this {
    this.ensure(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /** Unsigned or two's complement little-endian integer of `width` bytes. */
  le(v: number | bigint, width: number): this {
    let x = BigInt.asUintN(width * 8, BigInt(v));
    this.ensure(width);
    for (let i = 0; i < width; i++) {
      this.bytes[this.length++] = Number(x & 0xffn);
      x >>= 8n;
    }
    return this;
  }

  be(v: number | bigint, width: number): this {
    const x = BigInt.asUintN(width * 8, BigInt(v));
    this.ensure(width);
    for (let i = width - 1; i >= 0; i--) this.bytes[this.length++] = Number((x >> BigInt(8 * i)) & 0xffn);
    return this;
  }

  fill(byte: number, n: number): this {
    this.ensure(n);
    this.bytes.fill(byte, this.length, this.length + n);
    this.length += n;
    return this;
  }

  done(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

// ------------------------------------------------------------------------------------------------
// RDB file writer
// ------------------------------------------------------------------------------------------------

export type LenForm = 6 | 14 | 32 | 64;

export interface StringOptions {
  /** 'auto' (default) = what Redis would choose; the others force a form. */
  encoding?: 'auto' | 'raw' | 'int' | 'lzf';
  /** For encoding 'int': force INT8/16/32 (default: the smallest that fits). */
  intWidth?: 8 | 16 | 32;
  /** For 'raw' and 'lzf': force the len form of the length fields. */
  lenForm?: LenForm;
}

export interface RdbWriterOptions {
  magic?: 'REDIS' | 'VALKEY';
  version: number;
  /** Apply LZF like `rdbcompression yes` for 'auto' strings (default false: predictable bytes). */
  compress?: boolean;
}

export class RdbWriter {
  private readonly out = new ByteSink();
  private readonly compress: boolean;
  readonly version: number;

  constructor(opts: RdbWriterOptions) {
    const magic = opts.magic ?? 'REDIS';
    this.version = opts.version;
    this.compress = opts.compress ?? false;
    const digits = magic === 'REDIS' ? 4 : 3; // §1.2: REDIS%04d, VALKEY%03d
    this.out.put(utf8(magic + String(opts.version).padStart(digits, '0')));
  }

  /** Bytes written so far (= stream offset of the next byte). */
  get length(): number {
    return this.out.length;
  }

  raw(bytes: Bytes): this {
    this.out.put(utf8(bytes));
    return this;
  }

  byte(...n: number[]): this {
    this.out.u8(...n);
    return this;
  }

  /** Length encoding (§2.1); `form` forces a wider form than needed. */
  len(n: number | bigint, form?: LenForm): this {
    const v = BigInt(n);
    const f = form ?? (v < 64n ? 6 : v < 16384n ? 14 : v <= 0xffffffffn ? 32 : 64);
    switch (f) {
      case 6:
        this.out.u8(Number(v));
        break;
      case 14:
        this.out.u8(0x40 | Number(v >> 8n), Number(v & 0xffn));
        break;
      case 32:
        this.out.u8(0x80).be(v, 4);
        break;
      case 64:
        this.out.u8(0x81).be(v, 8);
        break;
    }
    return this;
  }

  /** String encoding (§2.2). */
  string(value: Bytes, opts: StringOptions = {}): this {
    const b = utf8(value);
    let encoding = opts.encoding ?? 'auto';
    if (encoding === 'auto') {
      if (b.length <= 11 && int32Canonical(b)) encoding = 'int';
      else if (this.compress && b.length > 20 && lzfCompress(b).length <= b.length - 4) encoding = 'lzf';
      else encoding = 'raw';
    }
    if (encoding === 'raw') {
      this.len(b.length, opts.lenForm).raw(b);
    } else if (encoding === 'int') {
      if (!int32Canonical(b)) throw new Error(`not a canonical int32: ${new TextDecoder().decode(b)}`);
      const v = Number(new TextDecoder().decode(b));
      const width = opts.intWidth ?? (v >= -128 && v <= 127 ? 8 : v >= -32768 && v <= 32767 ? 16 : 32);
      this.out.u8(width === 8 ? 0xc0 : width === 16 ? 0xc1 : 0xc2).le(v, width / 8);
    } else {
      const c = lzfCompress(b);
      this.out.u8(0xc3);
      this.len(c.length, opts.lenForm).len(b.length, opts.lenForm).raw(c);
    }
    return this;
  }

  /** LZF string with explicit (possibly lying) lengths, for hostile-input tests. */
  lzfString(compressed: Uint8Array, clen: number, ulen: number): this {
    return this.byte(0xc3).len(clen).len(ulen).raw(compressed);
  }

  aux(key: Bytes, value: Bytes): this {
    return this.byte(OPCODE.AUX).string(key).string(value);
  }

  selectDb(n: number): this {
    return this.byte(OPCODE.SELECTDB).len(n);
  }

  resizeDb(keys: number, expires: number): this {
    return this.byte(OPCODE.RESIZEDB).len(keys).len(expires);
  }

  /** EXPIRETIME_MS: 8-byte little-endian ms (§2.5). */
  expireMs(ms: number | bigint): this {
    this.out.u8(OPCODE.EXPIRETIME_MS).le(ms, 8);
    return this;
  }

  /** EXPIRETIME: 4-byte little-endian seconds (§2.5). */
  expireSec(s: number): this {
    this.out.u8(OPCODE.EXPIRETIME).le(s, 4);
    return this;
  }

  idle(n: number | bigint): this {
    return this.byte(OPCODE.IDLE).len(n);
  }

  freq(n: number): this {
    return this.byte(OPCODE.FREQ, n);
  }

  function2(code: Bytes): this {
    return this.byte(OPCODE.FUNCTION2).string(code);
  }

  /**
   * Redis 7.0 RC1/RC2 function library (opcode 246), as `R@7.0-rc1:rdb.c rdbSaveFunctions` writes
   * it: library name, engine name, len 1 + description or len 0, code.
   */
  functionPreGa(name: Bytes, engine: Bytes, description: Bytes | null, code: Bytes): this {
    this.byte(OPCODE.FUNCTION_PRE_GA).string(name).string(engine);
    if (description === null) this.len(0);
    else this.len(1).string(description);
    return this.string(code);
  }

  /**
   * A Redis Enterprise record: the opcode and one length (`redis/librdb src/lib/parser.c
   * __elementRamLru` for 107, `__elementSlotNum` for 121).
   */
  enterpriseOpcode(opcode: 107 | 121, value: number | bigint): this {
    return this.byte(opcode).len(value);
  }

  /** Starts a key record: type byte, key string. The value follows through the other methods. */
  key(type: number, key: Bytes, opts?: StringOptions): this {
    return this.byte(type).string(key, opts);
  }

  /** Type-3 zset score (§2.4): length byte + ASCII, or 253/254/255 for NaN/+inf/-inf. */
  stringDouble(v: number | string): this {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return this.byte(253);
      if (v === Infinity) return this.byte(254);
      if (v === -Infinity) return this.byte(255);
    }
    const text = utf8(typeof v === 'number' ? formatG17(v) : v);
    return this.byte(text.length).raw(text);
  }

  /** Binary double (ZSET_2 scores): 8 bytes IEEE-754 little-endian. */
  binaryDouble(v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    return this.raw(b);
  }

  /**
   * EOF byte plus trailer. Default: CRC64 of everything (incl. the 0xFF) when the version has a
   * checksum (≥ 5, or VALKEY magic), nothing before.
   */
  finish(opts: { checksum?: 'crc' | 'zero' | 'none' } = {}): Uint8Array {
    this.out.u8(OPCODE.EOF);
    const checksum = opts.checksum ?? (this.version >= 5 ? 'crc' : 'none');
    if (checksum === 'zero') this.out.fill(0, 8);
    else if (checksum === 'crc') {
      const c = new Crc64();
      c.update(this.out.bytes, 0, this.out.length);
      const hex = c.hex();
      this.out.le(BigInt('0x' + hex), 8);
    }
    return this.out.done();
  }
}

function int32Canonical(b: Uint8Array): boolean {
  if (!canonicalInt64(b, 0, b.length)) return false;
  const v = Number(new TextDecoder().decode(b));
  return v >= -2147483648 && v <= 2147483647;
}

/** printf("%.17g") as Redis ≤ 3.2 used for type-3 scores. */
export function formatG17(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(v)));
  const trim = (m: string): string => (m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m);
  if (exp < -4 || exp >= 17) {
    const [m, e] = v.toExponential(16).split('e') as [string, string];
    const n = Number(e);
    return `${trim(m)}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return trim(v.toPrecision(17));
}

// ------------------------------------------------------------------------------------------------
// Blob builders (§5)
// ------------------------------------------------------------------------------------------------

export type ZiplistEncoding = 'str6' | 'str14' | 'str32' | 'imm' | 'int8' | 'int16' | 'int24' | 'int32' | 'int64';
export type ListpackEncoding = 'str6' | 'str12' | 'str32' | 'uint7' | 'int13' | 'int16' | 'int24' | 'int32' | 'int64';

/**
 * One element: a string (integer-encoded when Redis would: canonical integer text), a number or
 * bigint (always an integer entry), raw bytes (never integer-encoded), or a forced encoding.
 */
export type BlobEntry<E extends string> =
  | string
  | number
  | bigint
  | Uint8Array
  | { str: Bytes; enc?: E; prevlen5?: boolean }
  | { int: number | bigint; enc?: E; prevlen5?: boolean };

interface Classified<E> {
  str: Uint8Array | null;
  int: bigint;
  enc: E | undefined;
  prevlen5: boolean;
}

function classify<E extends string>(e: BlobEntry<E>, tryInt: (b: Uint8Array) => boolean): Classified<E> {
  if (typeof e === 'number' || typeof e === 'bigint') return { str: null, int: BigInt(e), enc: undefined, prevlen5: false };
  if (typeof e === 'string') {
    const b = utf8(e);
    return tryInt(b)
      ? { str: null, int: BigInt(e), enc: undefined, prevlen5: false }
      : { str: b, int: 0n, enc: undefined, prevlen5: false };
  }
  if (e instanceof Uint8Array) return { str: e, int: 0n, enc: undefined, prevlen5: false };
  if ('str' in e) return { str: utf8(e.str), int: 0n, enc: e.enc, prevlen5: e.prevlen5 ?? false };
  return { str: null, int: BigInt(e.int), enc: e.enc, prevlen5: e.prevlen5 ?? false };
}

const fits = (v: bigint, bits: number): boolean => v >= -(1n << BigInt(bits - 1)) && v < 1n << BigInt(bits - 1);

/** Ziplist entry encoding+data (without prevlen), choosing like `zipTryEncoding` (§5.1). */
function ziplistBody(c: Classified<ZiplistEncoding>): Uint8Array {
  const s = new ByteSink();
  if (c.str !== null) {
    const n = c.str.length;
    const enc = c.enc ?? (n <= 63 ? 'str6' : n <= 16383 ? 'str14' : 'str32');
    if (enc === 'str6') s.u8(n);
    else if (enc === 'str14') s.u8(0x40 | (n >> 8), n & 0xff);
    else if (enc === 'str32') s.u8(0x80).be(n, 4);
    else throw new Error(`string entry cannot use ${enc}`);
    return s.put(c.str).done();
  }
  const v = c.int;
  const enc =
    c.enc ??
    (v >= 0n && v <= 12n ? 'imm' : fits(v, 8) ? 'int8' : fits(v, 16) ? 'int16' : fits(v, 24) ? 'int24' : fits(v, 32) ? 'int32' : 'int64');
  switch (enc) {
    case 'imm':
      return s.u8(0xf1 + Number(v)).done();
    case 'int8':
      return s.u8(0xfe).le(v, 1).done();
    case 'int16':
      return s.u8(0xc0).le(v, 2).done();
    case 'int24':
      return s.u8(0xf0).le(v, 3).done();
    case 'int32':
      return s.u8(0xd0).le(v, 4).done();
    case 'int64':
      return s.u8(0xe0).le(v, 8).done();
    default:
      throw new Error(`integer entry cannot use ${enc}`);
  }
}

/** zipTryEncoding: only strings of 1..31 bytes that string2ll accepts become integers. */
const ziplistTryInt = (b: Uint8Array): boolean => b.length > 0 && b.length < 32 && canonicalInt64(b, 0, b.length);

export interface ZiplistOptions {
  /** Override zllen (e.g. 65535 = unknown, or a wrong count). */
  count?: number;
  /** Override zltail. */
  tail?: number;
}

/** zlbytes(u32) zltail(u32) zllen(u16) { prevlen encoding data }* 0xFF (§5.1). */
export function buildZiplist(entries: BlobEntry<ZiplistEncoding>[], opts: ZiplistOptions = {}): Uint8Array {
  const body = new ByteSink();
  let prevSize = 0;
  let tail = 10;
  for (const e of entries) {
    const c = classify(e, ziplistTryInt);
    const data = ziplistBody(c);
    const start = body.length;
    tail = 10 + start;
    if (prevSize < 254 && !c.prevlen5) body.u8(prevSize);
    else body.u8(0xfe).le(prevSize, 4);
    body.put(data);
    prevSize = body.length - start;
  }
  body.u8(0xff);
  const out = new ByteSink();
  out.le(10 + body.length, 4).le(opts.tail ?? tail, 4).le(opts.count ?? Math.min(entries.length, 65535), 2);
  return out.put(body.done()).done();
}

/** Listpack backlen bytes for an encoding+data size `l` (`lpEncodeBacklen`: 7 bits per byte, high first). */
function backlen(l: number): number[] {
  const n = listpackBacklenSize(l);
  const out = new Array<number>(n);
  let v = l;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = (v & 127) | (i === 0 ? 0 : 128);
    v = Math.floor(v / 128);
  }
  return out;
}

/** Listpack entry encoding+data, choosing like `lpEncodeGetType` (§5.2). */
function listpackBody(c: Classified<ListpackEncoding>): Uint8Array {
  const s = new ByteSink();
  if (c.str !== null) {
    const n = c.str.length;
    const enc = c.enc ?? (n < 64 ? 'str6' : n < 4096 ? 'str12' : 'str32');
    if (enc === 'str6') s.u8(0x80 | n);
    else if (enc === 'str12') s.u8(0xe0 | (n >> 8), n & 0xff);
    else if (enc === 'str32') s.u8(0xf0).le(n, 4);
    else throw new Error(`string entry cannot use ${enc}`);
    return s.put(c.str).done();
  }
  const v = c.int;
  const enc =
    c.enc ??
    (v >= 0n && v <= 127n ? 'uint7' : fits(v, 13) ? 'int13' : fits(v, 16) ? 'int16' : fits(v, 24) ? 'int24' : fits(v, 32) ? 'int32' : 'int64');
  switch (enc) {
    case 'uint7':
      return s.u8(Number(v)).done();
    case 'int13': {
      const u = Number(BigInt.asUintN(13, v));
      return s.u8(0xc0 | (u >> 8), u & 0xff).done();
    }
    case 'int16':
      return s.u8(0xf1).le(v, 2).done();
    case 'int24':
      return s.u8(0xf2).le(v, 3).done();
    case 'int32':
      return s.u8(0xf3).le(v, 4).done();
    case 'int64':
      return s.u8(0xf4).le(v, 8).done();
    default:
      throw new Error(`integer entry cannot use ${enc}`);
  }
}

const listpackTryInt = (b: Uint8Array): boolean => canonicalInt64(b, 0, b.length);

/** total_bytes(u32) num_elements(u16) { encoding+data backlen }* 0xFF (§5.2). */
export function buildListpack(entries: BlobEntry<ListpackEncoding>[], opts: { count?: number } = {}): Uint8Array {
  const body = new ByteSink();
  for (const e of entries) {
    const data = listpackBody(classify(e, listpackTryInt));
    body.put(data).u8(...backlen(data.length));
  }
  body.u8(0xff);
  const out = new ByteSink();
  out.le(6 + body.length, 4).le(opts.count ?? Math.min(entries.length, 65535), 2);
  return out.put(body.done()).done();
}

/** encoding(u32) length(u32) values (§5.3). Values are written as given (not sorted). */
export function buildIntset(width: 2 | 4 | 8, values: (number | bigint)[], opts: { count?: number } = {}): Uint8Array {
  const out = new ByteSink();
  out.le(width, 4).le(opts.count ?? values.length, 4);
  for (const v of values) out.le(v, width);
  return out.done();
}

export interface ZipmapOptions {
  /** Free (padding) bytes after each value: one number for all, or per pair. */
  free?: number | number[];
  /** Override zmlen (254 = unknown). */
  count?: number;
}

/** zmlen(u8) { klen key vlen free value padding }* 0xFF (§5.4). */
export function buildZipmap(pairs: [Bytes, Bytes][], opts: ZipmapOptions = {}): Uint8Array {
  const out = new ByteSink();
  out.u8(opts.count ?? Math.min(pairs.length, 254));
  const zmLen = (n: number): void => {
    if (n < 254) out.u8(n);
    else out.u8(254).le(n, 4);
  };
  pairs.forEach(([k, v], i) => {
    const key = utf8(k);
    const value = utf8(v);
    const free = typeof opts.free === 'number' ? opts.free : opts.free?.[i] ?? 0;
    zmLen(key.length);
    out.put(key);
    zmLen(value.length);
    out.u8(free).put(value).fill(0xee, free);
  });
  return out.u8(0xff).done();
}
