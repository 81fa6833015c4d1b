import { printable } from '../rdb/printable.js';
import type { KindDef } from '../store/kind-ids.js';
import { N_ACCESS, N_ELEMENTS, N_EXPIRE, N_KIND, N_LARGEST, N_MEMORY, N_PATTERN, N_VALUE_BYTES, NUMS, type RowBatch } from '../store/row-batch.js';
import type { KeyColumns, KeyRowValues } from './key-columns.js';
import { utf8Bytes } from './text-bytes.js';

/** Counters a key carries in RowBatch.extra (row-batch.ts extraOf). */
interface ExtraCounters {
  stream_groups?: number;
  stream_pending?: number;
  fields_with_ttl?: number;
}

/**
 * Turns the RowBatches of one dump's parse (the load pipeline's produceRows, on a worker or not) into
 * keys.parquet rows: follows the batches' pattern and kind dictionaries, unpacks the access column
 * (LRU idle ≥ 0, LFU as −1 − counter) and the extra counters, and takes the printable text the
 * producer gave or works it out from the bytes.
 */
export class BatchRows {
  private patterns: string[] = [];
  private readonly kinds: KindDef[] = [];
  private readonly row: KeyRowValues = {
    db: 0, key: new Uint8Array(0), keyText: new Uint8Array(0), pattern: '', type: '', rdbType: '', encoding: null, elements: 0, valueBytes: 0,
    memoryBytes: NaN, largestElementBytes: 0, expireAtMs: NaN, idleSeconds: NaN, lfuFreq: NaN, fieldsWithTtl: NaN, streamGroups: NaN, streamPending: NaN,
  };

  constructor(private readonly out: KeyColumns) {}

  /** `resolved`: each row's pattern when the producer left them to the consumer (WriterAggregation.take). */
  add(b: RowBatch, resolved: readonly string[] | null): void {
    if (b.resetPatterns) this.patterns = [];
    for (const p of b.newPatterns) this.patterns.push(p);
    for (const k of b.newKinds) this.kinds.push(k);
    const texts = new Map<number, string>(b.printable);
    const extras = new Map<number, string>(b.extra);
    const nums = b.nums;
    const r = this.row;
    let start = 0;
    for (let i = 0; i < b.n; i++) {
      const end = b.keyEnds[i]!;
      const o = i * NUMS;
      const kind = this.kinds[nums[o + N_KIND]!]!;
      // A view: the batch's key buffer lives as long as the row group that points into it.
      const key = b.keyBytes.subarray(start, end);
      start = end;
      const text = texts.get(i);
      r.db = kind.db;
      r.key = key;
      r.keyText = text !== undefined ? utf8Bytes(text) : keyTextBytes(key);
      r.pattern = resolved !== null ? resolved[i]! : this.patterns[nums[o + N_PATTERN]!]!;
      r.type = kind.type;
      r.rdbType = kind.rdbType;
      r.encoding = kind.encoding;
      r.elements = nums[o + N_ELEMENTS]!;
      r.valueBytes = nums[o + N_VALUE_BYTES]!;
      r.memoryBytes = nums[o + N_MEMORY]!;
      r.largestElementBytes = nums[o + N_LARGEST]!;
      r.expireAtMs = nums[o + N_EXPIRE]!;
      const access = nums[o + N_ACCESS]!;
      r.idleSeconds = access >= 0 ? access : NaN;
      r.lfuFreq = access < 0 ? -1 - access : NaN;
      const extra = extras.get(i);
      const counters: ExtraCounters = extra !== undefined ? (JSON.parse(extra) as ExtraCounters) : {};
      r.fieldsWithTtl = counters.fields_with_ttl ?? NaN;
      r.streamGroups = counters.stream_groups ?? NaN;
      r.streamPending = counters.stream_pending ?? NaN;
      this.out.push(r);
    }
  }
}

/**
 * UTF-8 bytes of a key's printable text (rdb/printable.ts): the key bytes themselves when they are
 * plain printable ASCII without a backslash (the text is then the same bytes), else the text encoded.
 */
export function keyTextBytes(key: Uint8Array): Uint8Array {
  for (let i = 0; i < key.length; i++) {
    const b = key[i]!;
    if (b < 0x20 || b >= 0x7f || b === 0x5c) return utf8Bytes(printable(key));
  }
  return key;
}
