import type { ArrayInfo, KeyRecord, MemoryEstimate, ModuleInfo, RdbEncoding, RedisType, StreamInfo, ValueShape, VectorSetInfo } from '../core/record.js';
import { printable } from './printable.js';

/**
 * The parser's KeyRecord: a class so that every record has one hidden class (cheap to create by
 * the million) and so that the printable key is computed only when someone reads it.
 */
export class ParsedKey implements KeyRecord {
  elements = 0;
  valueBytes = 0;
  largestElementBytes = 0;
  // Set only for the types that have them, but initialised on every record: records of every type
  // then share one hidden class, and the load's per-key reads of them stay monomorphic (a class per
  // combination of fields added later made those reads megamorphic).
  memory?: MemoryEstimate = undefined;
  fieldsWithTtl?: number = undefined;
  minFieldExpireAtMs?: number | null = undefined;
  stream?: StreamInfo = undefined;
  module?: ModuleInfo = undefined;
  vectorSet?: VectorSetInfo = undefined;
  array?: ArrayInfo = undefined;
  keyMeta?: KeyRecord['keyMeta'] = undefined;
  private printableCache: string | null = null;
  private keyView: Uint8Array | null = null;

  constructor(
    public db: number,
    /** The key's bytes are keyBuf[keyStart, keyStart + keyLength) (a shared KeyArena block). */
    public keyBuf: Uint8Array,
    public keyStart: number,
    public keyLength: number,
    public type: RedisType,
    public rdbType: RdbEncoding,
    public rdbTypeId: number,
    public expireAtMs: number | null,
    public idleSeconds: number | null,
    public lfuFreq: number | null,
    public offset: number,
    public shape: ValueShape,
  ) {}

  /**
   * Makes this record the next key's, as the constructor would (RdbParse.visit reuses one record):
   * every field is assigned, in declaration order, so the record keeps its one hidden class.
   */
  reset(db: number, keyBuf: Uint8Array, keyStart: number, keyLength: number, type: RedisType, rdbType: RdbEncoding, rdbTypeId: number,
    expireAtMs: number | null, idleSeconds: number | null, lfuFreq: number | null, offset: number, shape: ValueShape): this {
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
    return this;
  }

  /** A view of the key's bytes, made on first use: parsing alone never needs one. */
  get key(): Uint8Array {
    return (this.keyView ??= this.keyBuf.subarray(this.keyStart, this.keyStart + this.keyLength));
  }

  get keyPrintable(): string {
    return (this.printableCache ??= printable(this.key));
  }

  /** Plain-object form (JSON, structured clone): includes the key and its printable text. */
  toJSON(): Record<string, unknown> {
    const { printableCache: _p, keyView: _v, keyBuf: _b, keyStart: _s, keyLength: _l, ...fields } = this;
    return { ...fields, key: this.key, keyPrintable: this.keyPrintable };
  }
}
