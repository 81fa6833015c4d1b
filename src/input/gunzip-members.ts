import * as zlib from 'node:zlib';

/**
 * Streaming gunzip that keeps every byte it inflated when the file is damaged. zlib's own gzip mode
 * (createGunzip) checks a member's CRC32 and length inside the same call that writes the member's
 * last output, and an error drops that call's output: a gzip whose only fault is its trailer lost
 * up to a whole output chunk of good data, all of it in a small dump. Here the members are framed
 * by hand (RFC 1952: header, raw deflate, CRC32 and ISIZE trailer), zlib inflates the raw deflate
 * data, and the trailer is checked only after all of the member's output went to the consumer.
 *
 * Errors carry zlib's codes and messages (Z_DATA_ERROR "incorrect header check", "incorrect data
 * check", "incorrect length check"; Z_BUF_ERROR "unexpected end of file"), so callers map them as
 * they map zlib's. As with zlib's gunzip, members follow each other, and a zero byte where the next
 * member would start ends the input (padding); any other byte there must start a member.
 */
const OUTPUT_CHUNK = 256 * 1024;
// RFC 1952 §2.3.1: FLG bits.
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const FRESERVED = 0xe0;

/** zlib.crc32 where Node has it (20.15+, 22.2+); else the same CRC-32 (ISO 3309) by table. */
const crc32: (data: Uint8Array, value: number) => number = typeof zlib.crc32 === 'function' ? zlib.crc32 : tableCrc32;

let crcTable: Uint32Array | null = null;
function tableCrc32(data: Uint8Array, value: number): number {
  const t = (crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  }));
  let c = ~value >>> 0;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** A gzip fault: zlib's code and message, and the compressed byte it was found at (for gzip -t and hexdumps). */
export interface GzipError extends Error {
  code: string;
  compressedAt?: number;
  /** Set when the fault lies somewhere in compressedAt up to here (zlib does not say where). */
  compressedTo?: number;
}

function zlibError(code: 'Z_DATA_ERROR' | 'Z_BUF_ERROR', message: string, compressedAt: number): GzipError {
  return Object.assign(new Error(message), { code, compressedAt });
}

/** The compressed chunks, read a byte or a run at a time. A chunk is valid until the next is asked for. */
class Cursor {
  private chunk: Uint8Array = new Uint8Array(0);
  pos = 0;
  /** Compressed bytes in the chunks before this one. */
  private before = 0;

  constructor(private readonly it: AsyncIterator<Uint8Array>) {}

  /** False when the input has ended. */
  async more(): Promise<boolean> {
    while (this.pos >= this.chunk.length) {
      const next = await this.it.next();
      if (next.done) return false;
      this.before += this.chunk.length;
      this.chunk = next.value;
      this.pos = 0;
    }
    return true;
  }

  /** The compressed byte read next (at the end of the input: how many there were). */
  get offset(): number {
    return this.before + this.pos;
  }

  /** The unread rest of the current chunk (more() first). */
  rest(): Uint8Array {
    return this.chunk.subarray(this.pos);
  }

  async byte(what: string): Promise<number> {
    if (!(await this.more())) throw zlibError('Z_BUF_ERROR', `unexpected end of file (${what})`, this.offset);
    return this.chunk[this.pos++]!;
  }

  async u32le(what: string): Promise<number> {
    const a = await this.byte(what);
    const b = await this.byte(what);
    const c = await this.byte(what);
    const d = await this.byte(what);
    return (a | (b << 8) | (c << 16) | (d << 24)) >>> 0;
  }
}

export async function* gunzipMembers(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  const input = new Cursor(it);
  try {
    do {
      yield* member(input);
      if (!(await input.more())) return;
    } while (input.rest()[0] !== 0);
  } finally {
    await it.return?.();
  }
}

async function* member(input: Cursor): AsyncGenerator<Uint8Array> {
  await header(input);
  const small = smallMember(input);
  if (small !== null) {
    input.pos += small.used;
    if (small.out.length > 0) yield small.out;
    await trailer(input, crc32(small.out, 0), small.out.length);
    return;
  }
  const inflater = zlib.createInflateRaw({ chunkSize: OUTPUT_CHUNK, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const feed = feedDeflate(input, inflater);
  let crc = 0;
  let size = 0;
  try {
    for await (const out of inflater as AsyncIterable<Uint8Array>) {
      crc = crc32(out, crc);
      size += out.length;
      yield out;
    }
  } catch (e) {
    // zlib's own fault (invalid distance, invalid block type …) lies in the piece it was last given,
    // which starts where the cursor stands (it moves past a piece once zlib has consumed it).
    const err = e as Partial<GzipError>;
    if (typeof err.code === 'string' && err.code.startsWith('Z_') && err.compressedAt === undefined) {
      err.compressedAt = input.offset;
      err.compressedTo = input.offset + input.rest().length;
    }
    throw e;
  } finally {
    inflater.destroy();
    // The feeder's own failure (a read error) is the one to report when the output ended early.
    await feed.catch(() => undefined);
  }
  const ended = await feed;
  if (!ended) throw zlibError('Z_BUF_ERROR', 'unexpected end of file', input.offset);
  await trailer(input, crc, size);
}

/** RFC 1952 §2.3: CRC32 of the member's output, then ISIZE, its length modulo 2^32. */
async function trailer(input: Cursor, crc: number, size: number): Promise<void> {
  if ((await input.u32le('CRC32')) !== crc) throw zlibError('Z_DATA_ERROR', 'incorrect data check', input.offset - 4);
  if ((await input.u32le('ISIZE')) !== size % 2 ** 32) throw zlibError('Z_DATA_ERROR', 'incorrect length check', input.offset - 4);
}

/** zlib's one-call inflate with `info`: the output and the engine, whose bytesWritten is the input it consumed. */
const inflateRawInfo = zlib.inflateRawSync as unknown as (data: Uint8Array, options: zlib.ZlibOptions & { info: true }) => { buffer: Buffer; engine: { bytesWritten: number } };

/**
 * The member in hand whole: its deflate data ends within the bytes the cursor holds and inflates to
 * at most OUTPUT_CHUNK bytes, in one synchronous call. A stream per member costs ~40 µs and a
 * one-call inflate ~8, which a file of a hundred thousand empty members makes 4 s against 0.8 s
 * (gzip -t: 0.4 s), and a hostile file of millions minutes. Null when the member is longer, its end
 * is not in hand, or its data is faulty: the streaming path reads it (and reports the fault).
 */
function smallMember(input: Cursor): { out: Buffer; used: number } | null {
  const rest = input.rest();
  if (rest.length === 0) return null;
  try {
    const { buffer, engine } = inflateRawInfo(rest, { info: true, maxOutputLength: OUTPUT_CHUNK, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    // zlib consumes every byte it is given until its stream ends: bytes left over prove the end.
    return engine.bytesWritten < rest.length ? { out: buffer, used: engine.bytesWritten } : null;
  } catch {
    return null;
  }
}

/**
 * RFC 1952 §2.3: ID1 ID2 CM FLG MTIME(4) XFL OS, then the optional fields FLG announces; with FHCRC,
 * the low 16 bits of the CRC32 of the header bytes before it (checked, as zlib does). FNAME and
 * FCOMMENT have no length limit: they are read a chunk-long run at a time (a byte at a time, a 50 MB
 * FNAME took 15 s where gzip -t takes 0.1 s, so a hostile header could stall a read for minutes).
 */
async function header(input: Cursor): Promise<void> {
  const fixed = new Uint8Array(10);
  for (let i = 0; i < fixed.length; i++) {
    fixed[i] = await input.byte('header');
    // Checked as they arrive: a file that is no gzip stops at its first byte.
    if ((i === 0 && fixed[0] !== 0x1f) || (i === 1 && fixed[1] !== 0x8b)) throw zlibError('Z_DATA_ERROR', 'incorrect header check', input.offset - 1);
    if (i === 2 && fixed[2] !== 8) throw zlibError('Z_DATA_ERROR', 'unknown compression method', input.offset - 1);
    if (i === 3 && fixed[3]! & FRESERVED) throw zlibError('Z_DATA_ERROR', 'unknown header flags set', input.offset - 1);
  }
  let hcrc = crc32(fixed, 0);
  const flg = fixed[3]!;
  /** Consumes n header bytes (or up to and including a zero byte when n is null), into the CRC. */
  const run = async (n: number | null): Promise<void> => {
    for (let left = n ?? Infinity; left > 0; ) {
      if (!(await input.more())) throw zlibError('Z_BUF_ERROR', 'unexpected end of file (header)', input.offset);
      const rest = input.rest();
      const zero = n === null ? rest.indexOf(0) : -1;
      const take = zero >= 0 ? zero + 1 : Math.min(left, rest.length);
      hcrc = crc32(rest.subarray(0, take), hcrc);
      input.pos += take;
      left = zero >= 0 ? 0 : left - take;
    }
  };
  if (flg & FEXTRA) {
    const xlen = new Uint8Array(2);
    xlen[0] = await input.byte('header');
    xlen[1] = await input.byte('header');
    hcrc = crc32(xlen, hcrc);
    await run(xlen[0] | (xlen[1] << 8));
  }
  if (flg & FNAME) await run(null);
  if (flg & FCOMMENT) await run(null);
  if (flg & FHCRC) {
    const want = (await input.byte('header')) | ((await input.byte('header')) << 8);
    if (want !== (hcrc & 0xffff)) throw zlibError('Z_DATA_ERROR', 'header crc mismatch', input.offset - 2);
  }
}

/**
 * Writes the member's deflate data to the inflater, a chunk at a time, each only once zlib has
 * consumed the one before (the chunks' buffer is reused). True when the deflate stream ended: zlib
 * then consumes less than it was given (its bytesWritten), and the rest, from the trailer on,
 * stays in the cursor. False when the input ended first.
 */
async function feedDeflate(input: Cursor, inflater: zlib.InflateRaw): Promise<boolean> {
  try {
    for (;;) {
      if (!(await input.more())) return false;
      const piece = input.rest();
      const before = inflater.bytesWritten;
      await written(inflater, piece);
      const used = inflater.bytesWritten - before;
      input.pos += used;
      if (used < piece.length) return true;
    }
  } finally {
    inflater.end();
  }
}

/** Resolves once zlib has consumed `piece`; a stream closed first (an error, the reader gone) rejects. */
function written(inflater: zlib.InflateRaw, piece: Uint8Array): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const closed = () => reject(new Error('inflate closed'));
    inflater.once('close', closed);
    inflater.write(piece, (e) => {
      inflater.off('close', closed);
      if (e) reject(e);
      else resolve();
    });
  });
}
