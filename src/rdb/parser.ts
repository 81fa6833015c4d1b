import { createHash } from 'node:crypto';
import { isEmptyCollection, type KeyRecord, type RdbEncoding, type RedisType, type ValueShape } from '../core/record.js';
import { RdbError, isRdbError } from '../core/errors.js';
import { emptyFileInfo, keepRecord, type RdbFileInfo } from './file-info.js';
import { ByteReader, INCOMPLETE } from './byte-reader.js';
import { Crc64 } from './crc64.js';
import { readLength, readLengthBig } from './length.js';
import { blob, MAX_INT_TEXT, readKeyInto, readStringBytes } from './rdb-string.js';
import { printable } from './printable.js';
import { refusedTypeReason, valueTypeFor } from './values/type-table.js';
import type { DecodeContext, CompactLimits } from './values/decoder.js';
import { decodeModuleId, MODULE_OP, ModuleItem, readModuleItem } from './values/modules.js';
import { once, repeat } from './values/loop.js';
import { keyMetaClasses, readKeyMetaCount, type KeyMetaClass } from './key-meta.js';
import { KeyArena } from './key-arena.js';
import { INT_STRING, PLAIN_STRING } from './values/strings.js';
import { canonicalInt64 } from './canonical-int.js';
import { ParsedKey } from './parsed-key.js';
import { isKnownVersion, NEWEST_VERSIONS } from './versions.js';
import { ENTERPRISE_OPCODES, ENTERPRISE_RAM_LRU } from './enterprise-opcodes.js';

export interface ParseOptions {
  /** Name used in error messages. */
  fileName?: string;
  /** Check the CRC64 trailer (default true). */
  verifyChecksum?: boolean;
  /** The loading server's compact-encoding limits: less per-element work (default: none, gather all). */
  compactLimits?: CompactLimits;
  /**
   * Where the CRC64 is computed instead of here (a thread reading the same file): the parser then
   * does no per-byte checksum work and asks for the CRC of the bytes before the trailer at the end.
   * Ignored when verifyChecksum is false.
   */
  checksumSource?: ChecksumSource | null;
  /**
   * Read a file whose header version is none that any release writes (versions.ts) instead of
   * refusing it at the header; `info.unknownVersion` then says so. Like Valkey's
   * `rdb-version-check relaxed`: the parse fails later only on a byte it cannot read.
   */
  relaxedVersionCheck?: boolean;
  /**
   * How many bytes the stream holds, when known before reading it (a plain file's size; default:
   * the source's own `streamBytes`, see SizedSource). A record claiming more than is left then
   * fails at once instead of after buffering the rest of the input.
   */
  streamBytes?: number;
}

/** A source that knows its length up front (openInput's chunks of a plain file). */
export interface SizedSource extends AsyncIterable<Uint8Array> {
  readonly streamBytes: number;
}

/** A CRC64 computed elsewhere over the same bytes (see ParseOptions.checksumSource). */
export interface ChecksumSource {
  /** The CRC64 of the stream's first `end` bytes, as Crc64.hex() prints it. */
  crcOf(end: number): Promise<string>;
  /** Called once when the parse is over, whether or not crcOf was. */
  release(): void;
}

/** Opcodes (rdb-format.md §3.1, §3.3). */
const OP = {
  SLOT_IMPORT_OR_KEY_META: 243, // VALKEY: SLOT_IMPORT; REDIS 8.6+: KEY_META
  SLOT_INFO: 244,
  FUNCTION2: 245,
  FUNCTION_PRE_GA: 246,
  MODULE_AUX: 247,
  IDLE: 248,
  FREQ: 249,
  AUX: 250,
  RESIZEDB: 251,
  EXPIRETIME_MS: 252,
  EXPIRETIME: 253,
  SELECTDB: 254,
  EOF: 255,
} as const;

/** Errors raised while walking a blob's contents (their offsets index the blob). */
const BLOB_ERRORS: ReadonlySet<string> = new Set(['BAD_LISTPACK', 'BAD_ZIPLIST', 'BAD_INTSET', 'BAD_ZIPMAP', 'BAD_STREAM']);

/**
 * Records handed to the consumer per batch at most (a batch is also cut at every chunk boundary).
 * Small: records of an open batch survive young-generation GCs and get promoted, so larger batches
 * raised peak RSS (measured 155 → 130 MB on 5 M tiny keys from 4096 to 256) for no speed gain.
 */
const BATCH_SIZE = 256;

/**
 * Databases with keys a dump may have. Loads keep figures per database (kinds, type and TTL sums:
 * ~3 KB a database across the parsing and writing threads), so a file of a few MB that selects a
 * new database before every key would grow them without bound (40 000 databases: ~280 MB).
 * A server holds 16 databases unless its `databases` setting says more (R:config.c), and refuses a
 * dump whose SELECTDB reaches past it (R:rdb.c rdbLoadRioWithLoadingCtx): no real dump comes near.
 */
export const MAX_DBS_WITH_KEYS = 16_384;

/** A visitor of RdbParse.visit threw: its error is rethrown as is, never taken for a parse fault. */
class VisitorFailure {
  constructor(readonly cause: unknown) {}
}

/** Why pump() returned: it needs the next chunk, it filled a batch (more is buffered), or the file ended. */
type PumpStatus = 'need-input' | 'batch-full' | 'done';

const enum Phase {
  Magic,
  Body,
  Trailer,
  Done,
}

/**
 * A parse of one RDB stream. Iterate it (or its batches) to get the key records; `info` fills in
 * as the file is read. See src/rdb/index.ts for the contract.
 */
export class RdbParse implements AsyncIterable<KeyRecord> {
  readonly info: RdbFileInfo = emptyFileInfo();
  private readonly r: ByteReader;
  private readonly crc: Crc64 | null;
  private phase = Phase.Magic;
  private ctx: DecodeContext;
  private db = 0;
  // Prefix opcodes apply to the next key only (§3.2); AUX between them must not reset them.
  private expireAtMs: number | null = null;
  private idleSeconds: number | null = null;
  private lfuFreq: number | null = null;
  private keyMeta: KeyMetaClass[] | null = null;
  private recordStart = -1;
  /** A value being decoded across input chunks, or the rest of an opcode record (continueOpcode). */
  private pendingValue: Generator<void, void, void> | null = null;
  /** The record whose value pendingValue decodes; null while it reads an opcode record. */
  private pendingRecord: ParsedKey | null = null;
  private valueStart = 0;
  /** The key being decoded, for error messages. */
  /** The record whose value is being read (its key names errors). */
  private currentKey: ParsedKey | null = null;
  private batch: KeyRecord[] = [];
  private readonly keys = new KeyArena();
  // Keys come grouped by db (one SELECTDB section each): count the current run, fold it into
  // info.keysPerDb when the db changes or a batch is handed out (no per-key Map update).
  private runDb = -1;
  private runKeys = 0;
  /**
   * A record whose value ends in bytes still owed to skip(): handed out only once they have
   * arrived, so a dump cut inside a long string does not yield that key (only records complete
   * before a fault are yielded).
   */
  private held: ParsedKey | null = null;
  /** The trailer, read but not yet compared with the CRC computed elsewhere (checksumSource). */
  private pendingCheck: { stored: string; end: number } | null = null;
  private readonly checksumSource: ChecksumSource | null;
  private readonly typeCounts = new Array<number>(256).fill(0);
  private started = false;
  /** visit(): the consumer of each record, and the one record reused for every key. */
  private visitor: ((rec: KeyRecord) => void) | null = null;
  private reused: ParsedKey | null = null;
  private betweenChunks: (() => Promise<void>) | null = null;

  constructor(
    private readonly source: AsyncIterable<Uint8Array>,
    private readonly options: ParseOptions = {},
  ) {
    const verify = options.verifyChecksum ?? true;
    this.ctx = { magic: 'REDIS', version: 0, limits: options.compactLimits ?? null };
    this.checksumSource = verify ? (options.checksumSource ?? null) : null;
    this.crc = verify && this.checksumSource === null ? new Crc64() : null;
    this.r = new ByteReader(this.crc);
    const known = options.streamBytes ?? (source as Partial<SizedSource>).streamBytes;
    if (typeof known === 'number' && Number.isSafeInteger(known) && known >= 0) this.r.knownEnd = known;
    if (!verify) this.info.checksum = { status: 'skipped' };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<KeyRecord> {
    for await (const batch of this.batches()) yield* batch;
  }

  /**
   * Hands every key to `onKey` as soon as it is decoded, in one record object reused for every key:
   * it is valid during the call only (copy what you keep), and so is `rec.key`, most often a view of
   * the parser's read window (keys are not copied out of it). No record per key, no key copies, no
   * batches: the fastest way through a dump when each key is looked at once (parse-only of 5 M tiny
   * keys 0.69 → 0.31 s, of the mixed bench dump 0.99 → 0.78 s). Resolves when the file is read; rejects like
   * batches() (after the keys read before a fault), or with what `onKey` threw, unchanged.
   * `betweenChunks`, when given, is awaited each time the buffered input is used up, before the next
   * chunk is asked for: where a visitor that produces output can wait for its reader (back-pressure).
   * What it throws comes back unchanged, and the parse stops there.
   */
  async visit(onKey: (rec: KeyRecord) => void, betweenChunks?: () => Promise<void>): Promise<void> {
    this.visitor = onKey;
    this.betweenChunks = betweenChunks ?? null;
    for await (const batch of this.batches()) void batch; // stays empty: emit() hands keys to onKey
  }

  /** Key records in arrays, as decoded from each chunk of input. */
  async *batches(): AsyncGenerator<KeyRecord[]> {
    if (this.started) throw new Error('an RdbParse can be iterated only once');
    this.started = true;
    const input = this.source[Symbol.asyncIterator]();
    try {
      for (;;) {
        let status: PumpStatus;
        try {
          status = this.pump();
        } catch (e) {
          if (e instanceof VisitorFailure) throw e.cause;
          const err = this.asRdbError(e);
          if (this.batch.length > 0) yield this.takeBatch();
          this.fail(err);
          throw err;
        }
        if (this.batch.length > 0) yield this.takeBatch();
        if (status === 'done') break;
        if (status === 'batch-full') continue;
        if (this.betweenChunks !== null) await this.betweenChunks();
        const next = await this.nextChunk(input, this.r.base + this.r.end);
        if (next.done) this.r.eof = true;
        else if (next.value.length > 0) this.r.append(next.value);
      }
      if (this.pendingCheck !== null) await this.settleChecksum(this.pendingCheck);
      this.flushCounts();
      this.info.trailingBytes = this.r.end - this.r.pos;
      // Bytes after the trailer still come through the decompressor, which may fail on them (a
      // .gz / .lz4 whose container is cut after a whole RDB).
      let arrived = this.r.base + this.r.end;
      for (let next = await this.nextChunk(input, arrived); !next.done; next = await this.nextChunk(input, arrived)) {
        this.info.trailingBytes += next.value.length;
        arrived += next.value.length;
      }
      this.info.bytesRead = this.r.offset;
      this.info.complete = true;
    } finally {
      this.options.checksumSource?.release();
      if (!this.info.complete) await input.return?.();
    }
  }

  /**
   * The next input chunk. Decompression or I/O faults lie after every byte that did arrive: without
   * an offset of their own they get `arrived`, the stream offset where the received bytes end.
   */
  private async nextChunk(input: AsyncIterator<Uint8Array>, arrived: number): Promise<IteratorResult<Uint8Array>> {
    try {
      return await input.next();
    } catch (e) {
      // What the source throws is a fault of reading, not of the bytes: an untyped one (a stream's
      // own error) is IO, never taken for a decoding fault.
      let err = isRdbError(e) ? e : new RdbError('IO', `cannot read the input (${e instanceof Error ? e.message : String(e)})`, arrived);
      if (!isRdbError(e) && this.currentKey !== null) err.withKey(this.currentKey.keyForError);
      if (err.offset === null) err = new RdbError(err.code, err.detail, arrived, err.key, err.file);
      this.fail(err);
      throw err;
    }
  }

  /**
   * Compares the trailer with the CRC computed elsewhere: the same outcome, error and offsets as the
   * inline check in readTrailer (which throws before the trailer is committed).
   */
  private async settleChecksum(check: { stored: string; end: number }): Promise<void> {
    let actual: string;
    try {
      actual = await this.checksumSource!.crcOf(check.end);
    } catch (e) {
      const err = new RdbError('IO', `cannot read the file again for its checksum (${e instanceof Error ? e.message : String(e)})`, check.end);
      this.fail(err);
      throw err;
    }
    if (actual === check.stored) {
      this.info.checksum = { status: 'ok', value: actual };
      return;
    }
    this.info.checksum = { status: 'mismatch', expected: check.stored, actual };
    const err = new RdbError('CHECKSUM_MISMATCH', `checksum mismatch: file says ${check.stored}, content gives ${actual}`, check.end);
    this.fail(err);
    this.info.bytesRead = check.end;
    throw err;
  }

  private takeBatch(): KeyRecord[] {
    this.flushCounts();
    const b = this.batch;
    this.batch = [];
    return b;
  }

  private fail(err: RdbError): void {
    this.flushCounts();
    if (this.options.fileName && err.file === null) err.withFile(this.options.fileName);
    this.info.error = err;
    this.info.complete = false;
    this.info.bytesRead = this.r.committedOffset;
  }

  private asRdbError(e: unknown): RdbError {
    let err: RdbError;
    if (isRdbError(e)) err = e;
    else if (e === INCOMPLETE) err = new RdbError('UNEXPECTED_EOF', 'input ended inside a record', this.r.base + this.r.end);
    else {
      // A fault of ours while reading odd input: still one typed error, never a crash.
      const msg = e instanceof Error ? e.message : String(e);
      err = new RdbError('BAD_LENGTH', `cannot decode: ${msg}`, this.r.offset);
    }
    // Positions inside an LZF-decompressed blob are not file offsets: name the blob instead.
    if (blob.compressedAt >= 0 && BLOB_ERRORS.has(err.code)) {
      err = new RdbError(err.code, `${err.detail} (inside LZF-compressed data)`, blob.compressedAt, err.key, err.file);
    }
    if (this.currentKey !== null) err.withKey(this.currentKey.keyForError);
    return err;
  }

  /** Decodes as far as the buffered input allows. */
  private pump(): PumpStatus {
    const r = this.r;
    // A payload passed by skipThrough that failed its check as the rest of it arrived: the record
    // it belongs to (held for those bytes, or still being decoded) is not handed out.
    const fault = r.takeSinkFault();
    if (fault !== null) {
      if (this.held !== null && isRdbError(fault)) fault.withKey(this.held.keyForError);
      this.held = null;
      throw fault;
    }
    for (;;) {
      if (this.held !== null && r.pendingSkip === 0) {
        this.emit(this.held);
        this.held = null;
      }
      if (this.pendingValue !== null) {
        // pendingRecord is null for the rest of an opcode record (continueOpcode).
        if (!this.pendingValue.next().done) {
          if (this.pendingRecord !== null) this.keepKey(this.pendingRecord);
          return 'need-input';
        }
        this.pendingValue = null;
        if (this.pendingRecord !== null) {
          this.finishRecord(this.pendingRecord);
          this.pendingRecord = null;
        }
        r.commit();
        if (this.batch.length >= BATCH_SIZE) return 'batch-full';
        continue;
      }
      try {
        switch (this.phase) {
          case Phase.Magic:
            this.readMagic();
            break;
          case Phase.Body:
            this.readItem();
            break;
          case Phase.Trailer:
            this.readTrailer();
            break;
          case Phase.Done:
            return 'done';
        }
      } catch (e) {
        if (e !== INCOMPLETE) throw e;
        r.rewind();
        return 'need-input';
      }
      r.commit();
      if (this.batch.length >= BATCH_SIZE) return 'batch-full';
    }
  }

  /** `REDIS` + 4 digits or `VALKEY` + 3 digits (§1.2). */
  private readMagic(): void {
    const r = this.r;
    if (r.eof && r.end - r.pos < 9) {
      const n = r.end - r.pos;
      throw new RdbError('NOT_RDB', n === 0 ? 'empty input: not an RDB file' : `only ${n} bytes: too short to be an RDB file`, 0);
    }
    const at = r.take(9);
    const head = String.fromCharCode(...r.buf.subarray(at, at + 9));
    let m: RegExpExecArray | null;
    if ((m = /^REDIS(\d{4})$/.exec(head))) {
      this.ctx = { magic: 'REDIS', version: Number(m[1]), limits: this.ctx.limits };
    } else if ((m = /^VALKEY(\d{3})$/.exec(head))) {
      this.ctx = { magic: 'VALKEY', version: Number(m[1]), limits: this.ctx.limits };
    } else {
      throw new RdbError('NOT_RDB', `not an RDB file (${describeMagic(r.buf.subarray(at, at + 9))})`, 0);
    }
    const { magic, version } = this.ctx;
    if (!isKnownVersion(magic, version)) {
      // Refused here, not later on a misleading checksum or type error: the digits start at byte 5
      // (REDIS) or 6 (VALKEY).
      if (!this.options.relaxedVersionCheck) {
        const detail = `unknown RDB version ${version} in a ${magic} header (no release writes it; the newest known are ${NEWEST_VERSIONS}; --relaxed-version-check reads it anyway)`;
        throw new RdbError('UNSUPPORTED_VERSION', detail, magic.length);
      }
      this.info.unknownVersion = true;
    }
    this.info.magic = magic;
    this.info.version = version;
    this.phase = Phase.Body;
  }

  /** One top-level item: an opcode record, or a key record (whose value may continue later). */
  private readItem(): void {
    const r = this.r;
    const at = r.offset;
    const op = r.u8();
    if (op < 200) {
      this.readKey(op, at);
      return;
    }
    switch (op) {
      case OP.EOF:
        r.stopCrcAt(r.offset);
        this.phase = Phase.Trailer;
        return;
      case OP.SELECTDB:
        this.db = readLength(r);
        return;
      case OP.EXPIRETIME_MS:
        this.markPrefix(at);
        this.expireAtMs = r.i64le();
        return;
      case OP.EXPIRETIME:
        this.markPrefix(at);
        this.expireAtMs = r.i32le() * 1000;
        return;
      case OP.IDLE:
        this.markPrefix(at);
        this.idleSeconds = readLength(r);
        return;
      case OP.FREQ:
        this.markPrefix(at);
        this.lfuFreq = r.u8();
        return;
      case OP.RESIZEDB: {
        const keys = readLength(r);
        const expires = readLength(r);
        keepRecord(this.info, 'resizeDb', { db: this.db, keys, expires });
        return;
      }
      case OP.AUX:
        this.readAux();
        return;
      case OP.MODULE_AUX:
        this.continueOpcode(this.readModuleAux(at));
        return;
      case OP.FUNCTION_PRE_GA:
        this.readFunctionPreGa();
        return;
      case OP.FUNCTION2:
        this.readFunction();
        return;
      case OP.SLOT_INFO:
        readLength(r);
        readLength(r);
        readLength(r);
        this.info.slotInfo++;
        return;
      case OP.SLOT_IMPORT_OR_KEY_META:
        if (this.ctx.magic === 'VALKEY') this.continueOpcode(this.readSlotImport());
        else {
          this.markPrefix(at);
          const n = readKeyMetaCount(r);
          const classes: KeyMetaClass[] = [];
          const self = this;
          this.continueOpcode((function* () {
            yield* keyMetaClasses(r, n, classes);
            self.keyMeta = classes;
          })());
        }
        return;
      default:
        throw new RdbError('UNKNOWN_OPCODE', `unknown opcode ${op} (not written by any Redis or Valkey release)`, at);
    }
  }

  /**
   * The rest of an opcode record whose length has no bound (MODULE_AUX items, SLOT_IMPORT ranges,
   * KEY_META classes), read one item per unit as a value is (pump runs it as pendingValue, with no
   * record): read whole as one unit, a 100 MB record held the window at its size and was re-read
   * from its start on every chunk (78 s).
   */
  private continueOpcode(rest: Generator<void, void, void>): void {
    this.pendingRecord = null;
    this.pendingValue = rest;
  }

  private markPrefix(at: number): void {
    if (this.recordStart < 0) this.recordStart = at;
  }

  private readKey(typeId: number, at: number): void {
    const r = this.r;
    const vt = valueTypeFor(this.ctx.magic, typeId);
    if (vt === undefined) {
      if (this.ctx.magic === 'REDIS' && ENTERPRISE_OPCODES.has(typeId)) {
        this.skipEnterpriseOpcode(typeId, at);
        return;
      }
      throw new RdbError(typeId === 6 ? 'MODULE_PRE_GA' : 'UNKNOWN_TYPE', refusedTypeReason(this.ctx.magic, typeId), at);
    }
    this.currentKey = null;
    blob.compressedAt = -1;
    if (typeId === 0 && this.readShortString(at)) return;
    // visit() hands most records over before the window changes: their keys are not copied (keepKey).
    const keyLength = readKeyInto(r, this.keys, this.visitor !== null);
    const rec = this.newRecord(keyLength, vt.type, vt.rdbType, typeId, at, typeId === 0 ? PLAIN_STRING : {});
    this.currentKey = rec;
    if (this.keyMeta !== null) rec.keyMeta = { classes: this.keyMeta };
    this.valueStart = r.offset;
    if (vt.decoder.kind === 'atomic') {
      vt.decoder.decode(r, rec, this.ctx);
      this.finishRecord(rec);
      return;
    }
    // Type byte and key are consumed for good; the value continues element by element.
    this.pendingRecord = rec;
    this.pendingValue = vt.decoder.decode(r, rec, this.ctx);
  }

  /**
   * The commonest record of all, a string whose key and value both have a 6-bit length (< 64 bytes,
   * rdb-format.md §2.1), read with one bounds check for the whole record instead of one per field:
   * what readKeyInto, decodeString and finishRecord do for it, with its value
   * judged as measureString judges short raw strings. Returns false, having consumed nothing, for
   * any other record (the general path reads it).
   */
  private readShortString(at: number): boolean {
    const r = this.r;
    const p = r.pos;
    // The longest such record after its type byte: 1 + 63 + 1 + 63 bytes.
    if (r.end - p < 128 || r.pendingSkip !== 0 || this.keyMeta !== null) return false;
    const buf = r.buf;
    const keyLength = buf[p]!;
    if (keyLength >= 64) return false;
    const v = p + 1 + keyLength;
    const valueLength = buf[v]!;
    if (valueLength >= 64) return false;
    const shape = valueLength <= MAX_INT_TEXT && canonicalInt64(buf, v + 1, valueLength) ? INT_STRING : PLAIN_STRING;
    // Handed over at once (finishRecord below): under visit() the key is read in place.
    if (this.visitor !== null) this.keys.view(buf, p + 1);
    else this.keys.place(buf, p + 1, keyLength);
    const rec = this.newRecord(keyLength, 'string', 'string', 0, at, shape);
    rec.elements = valueLength;
    rec.largestElementBytes = valueLength;
    this.currentKey = rec;
    r.pos = v + 1 + valueLength;
    this.valueStart = r.base + v;
    this.finishRecord(rec);
    return true;
  }

  /**
   * The record of the key just read into the arena, with the prefix opcodes that preceded it. Under
   * visit() one record serves every key (a key is handed out before the next one starts, §emit).
   */
  private newRecord(keyLength: number, type: RedisType, rdbType: RdbEncoding, typeId: number, at: number, shape: ValueShape): ParsedKey {
    const keys = this.keys;
    const offset = this.recordStart >= 0 ? this.recordStart : at;
    if (this.reused !== null) {
      return this.reused.reset(this.db, keys.buf, keys.start, keyLength, type, rdbType, typeId, this.expireAtMs, this.idleSeconds, this.lfuFreq, offset, shape);
    }
    const rec = new ParsedKey(this.db, keys.buf, keys.start, keyLength, type, rdbType, typeId, this.expireAtMs, this.idleSeconds, this.lfuFreq, offset, shape);
    if (this.visitor !== null) this.reused = rec;
    return rec;
  }

  private finishRecord(rec: ParsedKey): void {
    const r = this.r;
    rec.valueBytes = r.offset + r.pendingSkip - this.valueStart;
    this.expireAtMs = null;
    this.idleSeconds = null;
    this.lfuFreq = null;
    this.keyMeta = null;
    this.recordStart = -1;
    this.currentKey = null;
    if (r.pendingSkip > 0) {
      this.keepKey(rec);
      this.held = rec;
    }
    else this.emit(rec);
  }

  /**
   * A record that outlives the read window as it is (its value continues in later input, or it waits
   * for skipped bytes to arrive): its key, if read in place, moves to the arena.
   */
  private keepKey(rec: ParsedKey): void {
    if (rec.keyBuf !== this.r.buf) return;
    this.keys.place(rec.keyBuf, rec.keyStart, rec.keyLength);
    rec.moveKey(this.keys.buf, this.keys.start);
  }

  private emit(rec: KeyRecord): void {
    if (rec.db !== this.runDb) {
      this.flushDbRun();
      const dbs = this.info.keysPerDb;
      if (dbs.size >= MAX_DBS_WITH_KEYS && !dbs.has(rec.db)) {
        throw new RdbError('TOO_MANY_DBS', `keys in more than ${MAX_DBS_WITH_KEYS} databases (db ${rec.db} is one more): rdbscope keeps figures per database for at most ${MAX_DBS_WITH_KEYS} (a server holds 16 unless its \`databases\` setting says more)`, rec.offset);
      }
      this.runDb = rec.db;
    }
    this.info.keys++;
    if (rec.elements === 0 && isEmptyCollection(rec)) this.info.emptyKeys++;
    this.runKeys++;
    if (rec.rdbTypeId === 7) this.info.keysPerType.set(rec.type, (this.info.keysPerType.get(rec.type) ?? 0) + 1);
    else this.typeCounts[rec.rdbTypeId]++;
    if (this.visitor === null) {
      this.batch.push(rec);
      return;
    }
    try {
      this.visitor(rec);
    } catch (e) {
      throw new VisitorFailure(e);
    }
  }

  private flushDbRun(): void {
    if (this.runKeys === 0) return;
    const m = this.info.keysPerDb;
    m.set(this.runDb, (m.get(this.runDb) ?? 0) + this.runKeys);
    this.runKeys = 0;
  }

  /** Folds the per-batch counters into info.keysPerDb / keysPerType. */
  private flushCounts(): void {
    const info = this.info;
    this.flushDbRun();
    for (let id = 0; id < this.typeCounts.length; id++) {
      const n = this.typeCounts[id]!;
      if (n === 0) continue;
      const type = valueTypeFor(this.ctx.magic, id)!.type;
      info.keysPerType.set(type, (info.keysPerType.get(type) ?? 0) + n);
      this.typeCounts[id] = 0;
    }
  }

  private readAux(): void {
    const key = printable(readStringBytes(this.r));
    const valueBytes = readStringBytes(this.r);
    // Redis 4.0–6.2 saved cached scripts as AUX `lua` (`R@6.2.16:rdb.c rdbSaveRio`: every script of
    // the cache, when saving replication info); a script is known by the SHA1 of its body. A function
    // record, not kept as an AUX value: a script-cache explosion puts millions in one dump.
    if (key === 'lua') {
      keepRecord(this.info, 'functions', () => ({ kind: 'script', engine: 'lua', name: createHash('sha1').update(valueBytes).digest('hex'), bytes: valueBytes.length }));
      return;
    }
    keepRecord(this.info, 'aux', () => ({ key, value: printable(valueBytes) }));
    if (key === 'slot-info') this.info.slotInfo++;
  }

  /**
   * MODULE_AUX (§3.1): module id, when-opcode 2, when (read here, with the opcode), then tagged items
   * until EOF, one unit each (the generator, run by pump).
   */
  private readModuleAux(at: number): Generator<void, void, void> {
    const r = this.r;
    const { name, encver } = decodeModuleId(readLengthBig(r));
    const whenOp = readLength(r);
    if (whenOp !== 2) throw new RdbError('BAD_MODULE', `module aux for ${name}: when-opcode ${whenOp} (expected 2)`, at);
    const when = readLength(r);
    const start = r.offset;
    const info = this.info;
    return (function* () {
      const it = new ModuleItem();
      do yield* once(r, readModuleItem, it);
      while (it.op !== MODULE_OP.EOF);
      keepRecord(info, 'moduleAux', { module: name, encver, when, bytes: r.offset + r.pendingSkip - start });
    })();
  }

  /** FUNCTION2 (§3.1): the library source, starting with a `#!<engine> name=<lib>` line. */
  private readFunction(): void {
    const code = readStringBytes(this.r);
    keepRecord(this.info, 'functions', () => {
      const nl = code.indexOf(0x0a);
      const shebang = new TextDecoder().decode(code.subarray(0, nl < 0 ? Math.min(code.length, 256) : Math.min(nl, 256)));
      const m = /^#!(\S+)(?:.*?\bname=(\S+))?/.exec(shebang);
      return { kind: 'library', engine: m?.[1] ?? 'unknown', name: m?.[2] ?? '', bytes: code.length };
    });
  }

  /**
   * Redis 7.0 RC1/RC2 function library (opcode 246, as `R@7.0-rc1:rdb.c rdbSaveFunctions` writes it
   * and `rdbFunctionLoad` reads it): library name, engine name, len has-description, the description
   * when that is not 0, the code. Redis 7.0.x GA still loads it (rewritten as a FUNCTION2 payload);
   * Redis 7.2+ refuses the file ("Pre-release function format not supported").
   */
  private readFunctionPreGa(): void {
    const r = this.r;
    const name = printable(readStringBytes(r));
    const engine = printable(readStringBytes(r));
    if (readLengthBig(r) !== 0n) readStringBytes(r);
    const code = readStringBytes(r);
    keepRecord(this.info, 'functions', { kind: 'library', engine, name, bytes: code.length, preRelease: true });
  }

  /**
   * A Redis Enterprise record (enterprise-opcodes.ts): one length, ignored and counted. 107 comes
   * before a key, so it starts that key's record like a prefix opcode.
   */
  private skipEnterpriseOpcode(op: number, at: number): void {
    if (op === ENTERPRISE_RAM_LRU) this.markPrefix(at);
    readLengthBig(this.r);
    const seen = this.info.enterpriseOpcodes;
    seen.set(op, (seen.get(op) ?? 0) + 1);
  }

  /** Valkey 9 SLOT_IMPORT (§3.3): job name, n (read with the opcode), then n slot ranges, one unit each. */
  private readSlotImport(): Generator<void, void, void> {
    const r = this.r;
    readStringBytes(r);
    const n = readLength(r);
    const info = this.info;
    return (function* () {
      yield* repeat(r, n, readSlotRange, null);
      info.slotImports++;
    })();
  }

  /** After EOF: the CRC64 trailer from RDB 5 on (§1.4). */
  private readTrailer(): void {
    const r = this.r;
    if ((this.ctx.version ?? 0) < 5 && this.ctx.magic === 'REDIS') {
      this.info.checksum = { status: 'absent' };
      this.phase = Phase.Done;
      return;
    }
    const at = r.take(8);
    const trailer = r.buf.subarray(at, at + 8);
    if (trailer.every((b) => b === 0)) this.info.checksum = { status: 'disabled' };
    else if (this.checksumSource !== null) this.pendingCheck = { stored: hexLE(trailer), end: r.offset - 8 };
    else if (this.crc !== null) {
      const stored = hexLE(trailer);
      const actual = this.crc.hex();
      if (stored !== actual) {
        this.phase = Phase.Done;
        this.info.checksum = { status: 'mismatch', expected: stored, actual };
        throw new RdbError('CHECKSUM_MISMATCH', `checksum mismatch: file says ${stored}, content gives ${actual}`, r.offset - 8);
      }
      this.info.checksum = { status: 'ok', value: actual };
    }
    this.phase = Phase.Done;
  }
}

/** One SLOT_IMPORT range: start slot, end slot. */
function readSlotRange(r: ByteReader): void {
  readLength(r);
  readLength(r);
}

/** The 8 trailer bytes (little-endian u64) as 16 hex digits, most significant first. */
function hexLE(b: Uint8Array): string {
  let s = '';
  for (let i = 7; i >= 0; i--) s += b[i]!.toString(16).padStart(2, '0');
  return s;
}

/**
 * Other compressed formats a backup may come in, by their magic numbers (zstd RFC 8878 §3.1.1, xz
 * file format §2.1.1.1, bzip2's "BZh" + block size digit, 7-Zip's signature header, zip's local file
 * header): named, with what to do, where the bytes would otherwise be shown as noise.
 */
const OTHER_COMPRESSION: readonly { name: string; magic: readonly number[]; decompress: string | null }[] = [
  { name: 'zstd', magic: [0x28, 0xb5, 0x2f, 0xfd], decompress: 'zstd -dc FILE' },
  { name: 'xz', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], decompress: 'xz -dc FILE' },
  { name: 'bzip2', magic: [0x42, 0x5a, 0x68], decompress: 'bzip2 -dc FILE' },
  { name: '7-Zip', magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], decompress: null },
  { name: 'zip', magic: [0x50, 0x4b, 0x03, 0x04], decompress: 'unzip -p FILE' },
];

function describeMagic(b: Uint8Array): string {
  if (b[0] === 0x2a) return 'starts with "*": looks like an AOF file (RESP commands)';
  const other = OTHER_COMPRESSION.find((f) => f.magic.every((m, i) => b[i] === m));
  // Every command reads a decompressed file; info and keys also read one from a pipe (`-`).
  if (other !== undefined) {
    return other.decompress === null
      ? `compressed with ${other.name}, which rdbscope does not read; extract the dump first`
      : `compressed with ${other.name}, which rdbscope does not read; decompress it first: ${other.decompress} > dump.rdb; info and keys also read a pipe: ${other.decompress} | rdbscope keys -`;
  }
  if (b.length >= 4 && b[0] === 0x56 && b[1] === 0x4b && b[2] === 0x43 && b[3] === 0x53) return 'VKCS compressed envelope is not supported';
  let printableHead = '';
  for (const c of b) printableHead += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  return `starts with "${printableHead}" instead of REDIS or VALKEY`;
}

export function parseRdb(source: AsyncIterable<Uint8Array>, options: ParseOptions = {}): RdbParse {
  return new RdbParse(source, options);
}
