import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { RdbError } from '../core/errors.js';
import { lz4OnWorker } from './lz4-thread.js';
import { isLz4Magic } from './lz4-magic.js';
import { crcOnThread } from './crc-thread.js';
import type { ChecksumSource, SizedSource } from '../rdb/index.js';
import type { GzipError } from './gunzip-members.js';

/** How the bytes on disk were wrapped. Detected from magic bytes, never from the file name. */
export type Compression = 'none' | 'gzip' | 'lz4';

export interface OpenedInput {
  /**
   * Decompressed RDB bytes, in chunks. Iterate once. A chunk is valid only until the next one is
   * requested: readers reuse their buffers (the parser copies what it keeps), so memory stays flat.
   */
  chunks: AsyncIterable<Uint8Array>;
  /** Known once the first bytes have been read (immediately for files). */
  compression: Compression;
  /** Size on disk (compressed), when the input is a file. */
  fileBytes: number | null;
  /**
   * The dump's size uncompressed as the file tells it before it is read, else null: a plain file's
   * own size; a gzip file's trailer ISIZE (gzipUncompressedSize). What a load's first keys are
   * scaled to the whole dump by (store/build-guess.ts); the parse never relies on it.
   */
  rdbBytes: number | null;
  /** Bytes read from the file or stream so far (compressed side; for progress). */
  bytesIn(): number;
  mtimeMs: number | null;
  name: string;
  /**
   * The CRC64 computed on a second thread (OpenInputOptions.crcThread), for the parser's
   * checksumSource; null when the parser is to checksum inline. The parse releases it.
   */
  checksumSource: ChecksumSource | null;
}

const READ_CHUNK = 1 << 20;
/**
 * Compressed files are read in smaller pieces: the LZ4 decoder keeps a whole block plus one piece
 * in its input window (lz4-frames.ts READ_AHEAD), and two 1 MiB read buffers besides. 1 MiB pieces
 * cost ~4 MB more peak RSS on the load of an .lz4 dump and were no faster (bench mixed.lz4).
 */
const COMPRESSED_READ_CHUNK = 256 << 10;
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** LZ4 input: any LZ4 frame's magic number (lz4-magic.ts), little-endian, in the first 4 bytes. */
function isLz4Start(head: Uint8Array): boolean {
  return head.length >= 4 && isLz4Magic((head[0]! | (head[1]! << 8) | (head[2]! << 16) | (head[3]! << 24)) >>> 0);
}

export function detectCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) return 'gzip';
  if (isLz4Start(head)) return 'lz4';
  return 'none';
}

/**
 * Opens a dump file (read-only) or wraps a stream, detects gzip / LZ4 framing from the first bytes,
 * and returns the decompressed bytes as chunks. Errors are RdbErrors naming the file: a missing
 * file, a directory, no permission, a truncated or corrupt compressed stream.
 */
export interface OpenInputOptions {
  /** Decode LZ4 on a worker thread when the compiled worker exists (default true; lz4-thread.ts). */
  lz4Thread?: boolean;
  /**
   * Checksum a plain file of at least CRC_THREAD_MIN_BYTES on a second thread (crc-thread.ts) when
   * the compiled worker exists (default false: loads keep both cores busy already).
   */
  crcThread?: boolean;
  /** Smallest file checksummed on a thread (default CRC_THREAD_MIN_BYTES; tests lower it). */
  crcThreadMinBytes?: number;
}

/** Below this a thread's start-up (~40 ms of CPU) costs more than checksumming inline (~0.5 ms per MiB). */
const CRC_THREAD_MIN_BYTES = 32 << 20;

export async function openInput(pathOrStream: string | Buffer | Readable, name?: string, options: OpenInputOptions = {}): Promise<OpenedInput> {
  if (typeof pathOrStream !== 'string' && !Buffer.isBuffer(pathOrStream)) return openStream(pathOrStream, name ?? '<stream>');
  // A path in bytes (a name that is not UTF-8) is opened by its bytes and named with them escaped.
  const path = pathOrStream;
  const label = name ?? (typeof path === 'string' ? path : printablePath(path));
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw ioError(e, label);
  }
  let size: number;
  let mtimeMs: number;
  let identity: { dev: number; ino: number };
  let head: Uint8Array;
  let trailer: Uint8Array;
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new RdbError('IO', 'is a directory, not a dump file', null, null, label);
    // A FIFO, a process substitution (<(zcat …)), a character device: no positioned reads, no size.
    // Read in order as a stream, as stdin is.
    if (!st.isFile()) return openStream(fh.createReadStream(), label);
    size = st.size;
    identity = { dev: st.dev, ino: st.ino };
    mtimeMs = st.mtimeMs;
    const probe = Buffer.alloc(4);
    const { bytesRead } = await fh.read(probe, 0, 4, 0);
    head = probe.subarray(0, bytesRead);
    const last = Buffer.alloc(4);
    trailer = size >= GZIP_MIN_BYTES ? last.subarray(0, (await fh.read(last, 0, 4, size - 4)).bytesRead) : last.subarray(0, 0);
  } catch (e) {
    await fh.close();
    throw e instanceof RdbError ? e : ioError(e, label);
  }
  const compression = detectCompression(head);
  const checksumSource = compression === 'none' && options.crcThread === true && size >= (options.crcThreadMinBytes ?? CRC_THREAD_MIN_BYTES) ? await checksumThread(path, identity, size) : null;
  let bytesIn = 0;
  let chunks: AsyncIterable<Uint8Array>;
  // Null when LZ4 is not to be (or cannot be) decoded on a worker. Nothing starts until iterated.
  const lz4Thread = compression === 'lz4' && options.lz4Thread !== false ? lz4OnWorker(path, label, (n) => (bytesIn = n)) : null;
  if (compression === 'none') {
    // The parser learns the stream's length: a length field that lies fails at once (ParseOptions.streamBytes).
    const sized: SizedSource = Object.assign(readPlainFile(fh, label, (n) => (bytesIn += n)), { streamBytes: size });
    chunks = sized;
  } else if (lz4Thread !== null) {
    await fh.close();
    chunks = lz4Thread;
  } else {
    // The compressed side is read into one reused buffer too: the LZ4 decoder copies what it keeps,
    // and gzip gets each chunk back only once zlib has consumed it (see gunzipChunks). Fresh 1 MiB
    // buffers per read kept ~40 MB of dead ArrayBuffers in the worker between collections.
    chunks = decompressChunks(readPlainFile(fh, label, (n) => (bytesIn += n), COMPRESSED_READ_CHUNK), compression, label);
  }
  return {
    chunks,
    compression,
    fileBytes: size,
    rdbBytes: compression === 'none' ? size : compression === 'gzip' ? gzipUncompressedSize(trailer, size) : null,
    bytesIn: () => bytesIn,
    mtimeMs,
    name: label,
    checksumSource,
  };
}

/** A gzip member's header and trailer: 10 + 8 bytes (RFC 1952 §2.3). */
const GZIP_MIN_BYTES = 18;

/**
 * The uncompressed size a gzip file's last 4 bytes give (ISIZE: the member's input size modulo 2^32,
 * RFC 1952 §2.3.1), when it can be the whole file's: at least the compressed size. That holds for
 * one member of less than 4 GiB, what `gzip dump.rdb` writes. A file of several members (its last
 * one's size) or of 4 GiB and more (wrapped) can mislead it: only a first guess rests on it.
 */
export function gzipUncompressedSize(trailer: Uint8Array, fileBytes: number): number | null {
  if (trailer.length < 4) return null;
  const isize = (trailer[0]! | (trailer[1]! << 8) | (trailer[2]! << 16) | (trailer[3]! << 24)) >>> 0;
  return isize >= fileBytes ? isize : null;
}

/**
 * A checksum thread reading the file through a descriptor of its own, opened now and checked to be
 * the file the reader opened (a dump replaced between the two opens is checksummed inline).
 */
async function checksumThread(path: string | Buffer, identity: { dev: number; ino: number }, size: number): Promise<ChecksumSource | null> {
  let own: FileHandle;
  try {
    own = await open(path, 'r');
  } catch {
    return null;
  }
  const st = await own.stat();
  const source = st.dev === identity.dev && st.ino === identity.ino ? crcOnThread(own, size) : null;
  if (source === null) await own.close();
  return source;
}

async function openStream(stream: Readable, label: string): Promise<OpenedInput> {
  let bytesIn = 0;
  let compression: Compression = 'none';
  const chunks = (async function* () {
      const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      // Peek at the first bytes to detect the wrapper, then replay them.
      const first: Buffer[] = [];
      let have = 0;
      while (have < 4) {
        const next = await it.next();
        if (next.done) break;
        first.push(next.value);
        have += next.value.length;
        bytesIn += next.value.length;
      }
      const head = Buffer.concat(first);
      compression = detectCompression(head);
      async function* replay(): AsyncGenerator<Uint8Array> {
        try {
          if (head.length > 0) yield head;
          for (let next = await it.next(); !next.done; next = await it.next()) {
            bytesIn += next.value.length;
            yield next.value;
          }
        } finally {
          await it.return?.();
        }
      }
      if (compression === 'none') yield* replay();
      else yield* decompressChunks(replay(), compression, label);
  })();
  return {
    chunks,
    get compression() {
      return compression;
    },
    fileBytes: null,
    rdbBytes: null,
    bytesIn: () => bytesIn,
    mtimeMs: null,
    name: label,
    checksumSource: null,
  };
}

/**
 * Reads a file in pieces of `chunk` bytes into two reused buffers, the next read always in flight while
 * the consumer works on the current piece (a piece is valid until the next is requested, so the
 * buffer it came from is free again by then). Fresh 1 MiB Buffers per read left ~40 MB of garbage
 * in RSS; a single buffer left the parser idle ~10% of the time, waiting for each read.
 */
async function* readPlainFile(fh: FileHandle, label: string, counted: (n: number) => void, chunk = READ_CHUNK): AsyncGenerator<Uint8Array> {
  const buffers = [Buffer.allocUnsafe(chunk), Buffer.allocUnsafe(chunk)];
  let current = 0;
  let pending: Promise<{ bytesRead: number }> | null = fh.read(buffers[0]!, 0, chunk, null);
  try {
    for (;;) {
      let n: number;
      try {
        ({ bytesRead: n } = await pending!);
      } catch (e) {
        pending = null;
        throw ioError(e, label);
      }
      if (n === 0) {
        pending = null;
        return;
      }
      counted(n);
      const piece = buffers[current]!.subarray(0, n);
      current ^= 1;
      pending = fh.read(buffers[current]!, 0, chunk, null);
      yield piece;
    }
  } finally {
    // A read still in flight must finish before the file is closed (its failure no longer matters).
    if (pending !== null) await pending.catch(() => undefined);
    await fh.close();
  }
}

/**
 * The decompressed bytes of gzip or LZ4 frames read from `source`. The decoders are loaded only for
 * a compressed dump: not loaded on every plain `info` or `keys`.
 */
async function* decompressChunks(source: AsyncIterable<Uint8Array>, compression: Compression, label: string): AsyncGenerator<Uint8Array> {
  try {
    if (compression === 'gzip') yield* (await import('./gunzip-members.js')).gunzipMembers(source);
    else yield* (await import('./lz4-frames.js')).decodeLz4Frames(source);
  } catch (e) {
    throw decompressionError(e, compression, label);
  }
}

function decompressionError(e: unknown, compression: Compression, label: string): RdbError {
  if (e instanceof RdbError) return e.file === null ? e.withFile(label) : e;
  const err = e as NodeJS.ErrnoException & Partial<GzipError>;
  if (compression === 'gzip' && (err.code === 'Z_BUF_ERROR' || err.code === 'Z_DATA_ERROR' || /unexpected end/i.test(err.message))) {
    // The compressed byte too, as an LZ4 fault says it (lz4-frames.ts lz4Error): the RDB offset alone
    // does not tell where in a multi-gigabyte .gz to look.
    const at =
      err.compressedAt === undefined ? '' :
      err.compressedTo === undefined || err.compressedTo <= err.compressedAt + 1 ? ` at compressed byte ${err.compressedAt}` :
      ` at compressed bytes ${err.compressedAt}-${err.compressedTo - 1}`;
    return new RdbError('BAD_COMPRESSION', `gzip input is ${err.code === 'Z_DATA_ERROR' ? 'corrupt' : 'truncated'} (${err.message})${at}`, null, null, label);
  }
  return ioError(e, label);
}

/** A path's bytes as text: UTF-8 as it is, otherwise every byte outside printable ASCII as \xNN. */
function printablePath(path: Buffer): string {
  const text = path.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(path)) return text;
  let out = '';
  for (const b of path) out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

function ioError(e: unknown, label: string): RdbError {
  const err = e as NodeJS.ErrnoException;
  const why =
    err.code === 'ENOENT' ? 'no such file' :
    err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied' :
    err.code === 'EISDIR' ? 'is a directory, not a dump file' :
    `cannot read (${err.message ?? String(e)})`;
  return new RdbError('IO', why, null, null, label);
}
