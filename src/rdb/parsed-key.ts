import type { ArrayInfo, KeyRecord, MemoryEstimate, ModuleInfo, RdbEncoding, RedisType, StreamInfo, ValueShape, VectorSetInfo } from '../core/record.js';
import { printable } from './printable.js';

/** Longest key, in bytes, an error message names in full (ParsedKey.keyForError). */
export const ERROR_KEY_MAX = 256;

/**
 * The parser's KeyRecord: a class so that every record has one hidden class (cheap to create by
 * the million) and so that the printable key is computed only when someone reads it.
 */
export class ParsedKey implements KeyRecord {
  // Every field is declared here and set by reset(), also for a new record: one shape for all records.
  // Fields only some types have are set (to undefined) on every record too: records of every type
  // then share one hidden class, and the load's per-key reads of them stay monomorphic (a class per
  // combination of fields added later made those reads megamorphic).
  db!: number;
  /** The key's bytes are keyBuf[keyStart, keyStart + keyLength) (a shared KeyArena block). */
  keyBuf!: Uint8Array;
  keyStart!: number;
  keyLength!: number;
  type!: RedisType;
  rdbType!: RdbEncoding;
  rdbTypeId!: number;
  expireAtMs!: number | null;
  idleSeconds!: number | null;
  lfuFreq!: number | null;
  offset!: number;
  shape!: ValueShape;
  elements!: number;
  valueBytes!: number;
  largestElementBytes!: number;
  memory?: MemoryEstimate;
  fieldsWithTtl?: number;
  minFieldExpireAtMs?: number | null;
  stream?: StreamInfo;
  module?: ModuleInfo;
  vectorSet?: VectorSetInfo;
  array?: ArrayInfo;
  keyMeta?: KeyRecord['keyMeta'];
  private printableCache!: string | null;
  private keyView!: Uint8Array | null;

  constructor(db: number, keyBuf: Uint8Array, keyStart: number, keyLength: number, type: RedisType, rdbType: RdbEncoding, rdbTypeId: number,
    expireAtMs: number | null, idleSeconds: number | null, lfuFreq: number | null, offset: number, shape: ValueShape) {
    this.reset(db, keyBuf, keyStart, keyLength, type, rdbType, rdbTypeId, expireAtMs, idleSeconds, lfuFreq, offset, shape);
  }

  /** Makes this record the next key's: what a new record holds (RdbParse.visit reuses one record). */
  reset(db: number, keyBuf: Uint8Array, keyStart: number, keyLength: number, type: RedisType, rdbType: RdbEncoding, rdbTypeId: number,
    expireAtMs: number | null, idleSeconds: number | null, lfuFreq: number | null, offset: number, shape: ValueShape): this {
    this.db = db;
    this.keyBuf = keyBuf;
    this.keyStart = keyStart;
    this.keyLength = keyLength;
    this.type = type;
    this.rdbType = rdbType;
    this.rdbTypeId = rdbTypeId;
    this.expireAtMs = expireAtMs;
    this.idleSeconds = idleSeconds;
    this.lfuFreq = lfuFreq;
    this.offset = offset;
    this.shape = shape;
    this.elements = 0;
    this.valueBytes = 0;
    this.largestElementBytes = 0;
    this.memory = undefined;
    this.fieldsWithTtl = undefined;
    this.minFieldExpireAtMs = undefined;
    this.stream = undefined;
    this.module = undefined;
    this.vectorSet = undefined;
    this.array = undefined;
    this.keyMeta = undefined;
    this.printableCache = null;
    this.keyView = null;
    return this;
  }

  /** The key's bytes now sit at buf[start, start + keyLength) (the parser moved them out of its read window). */
  moveKey(buf: Uint8Array, start: number): void {
    this.keyBuf = buf;
    this.keyStart = start;
    this.keyView = null;
  }

  /** A view of the key's bytes, made on first use: parsing alone never needs one. */
  get key(): Uint8Array {
    return (this.keyView ??= this.keyBuf.subarray(this.keyStart, this.keyStart + this.keyLength));
  }

  get keyPrintable(): string {
    return (this.printableCache ??= printable(this.key));
  }

  /**
   * The key as an error names it: whole up to ERROR_KEY_MAX bytes, else its first bytes (cut
   * before a UTF-8 continuation byte) and its length. An error is one line: a 3 MB key made it a
   * 3 MB line, and the escaped text of a 200 MB binary key ran the process out of memory.
   */
  get keyForError(): string {
    if (this.keyLength <= ERROR_KEY_MAX) return this.keyPrintable;
    const buf = this.keyBuf;
    let end = this.keyStart + ERROR_KEY_MAX;
    while (end > this.keyStart && (buf[end]! & 0xc0) === 0x80) end--;
    return `${printable(buf.subarray(this.keyStart, end))}… (${this.keyLength} bytes)`;
  }

  /** Plain-object form (JSON, structured clone): includes the key and its printable text. */
  toJSON(): Record<string, unknown> {
    const { printableCache: _p, keyView: _v, keyBuf: _b, keyStart: _s, keyLength: _l, ...fields } = this;
    return { ...fields, key: this.key, keyPrintable: this.keyPrintable };
  }
}
