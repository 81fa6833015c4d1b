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
    readonly keyBuf: Uint8Array,
    readonly keyStart: number,
    readonly keyLength: number,
    public type: RedisType,
    public rdbType: RdbEncoding,
    public rdbTypeId: number,
    public expireAtMs: number | null,
    public idleSeconds: number | null,
    public lfuFreq: number | null,
    public offset: number,
    public shape: ValueShape,
  ) {}

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
