import { copyBytes } from '../core/bytes.js';
import { keyBufferOf, keyLengthOf, keyStartOf, type KeyRecord } from '../core/record.js';
import type { KindDef, KindIds } from './kind-ids.js';

export type { KindDef } from './kind-ids.js';

/**
 * Key rows in a compact, transferable form: what a load worker posts to the SQLite writer instead of
 * record objects (structured clone of a million objects costs more than the parse). Columnar: the
 * key bytes packed into one buffer, the numbers in one Float64Array (NaN = SQL NULL), the rare text
 * columns sparse. Repeated text (pattern; db/type/rdb_type/encoding = the key's "kind") travels as
 * small integer ids of a per-load dictionary whose new entries ride along with the batch that first
 * uses them.
 */
export interface RowBatch {
  n: number;
  keyBytes: Uint8Array;
  /** End offset of row i's key in keyBytes (start = end of row i-1, or 0). */
  keyEnds: Uint32Array;
  /** NUMS numbers per row, in the order of the N_* constants. */
  nums: Float64Array;
  /** Printable text of the rows whose key is not plain ASCII: [row, text]. */
  printable: [number, string][];
  /** Rows with stream / field-TTL counters: [row, JSON]. */
  extra: [number, string][];
  /** The pattern dictionary was reset before this batch (ids start again at 0). */
  resetPatterns: boolean;
  /** New pattern dictionary entries, ids continuing from the last one sent. */
  newPatterns: string[];
  /** New kinds, ids continuing from the last one sent. */
  newKinds: KindDef[];
  /**
   * Null when the producer gave every row its pattern and printable text and added the rows to its
   * aggregates. Otherwise it left all three to the writer (WriterAggregation; its N_PATTERN is
   * UNRESOLVED_PATTERN, `printable` empty), and this is the snapshot time TTL buckets count from.
   */
  deferredAt: number | null;
  /** The rows carry N_OTHER_BUILD: the load weighs both allocator builds on every key. */
  otherBuild: boolean;
}

/** N_PATTERN of a row whose pattern the writer works out (RowBatch.deferredAt). */
export const UNRESOLVED_PATTERN = -1;
/** patternId(): the local dictionary is full; take the batch, then add the row again. */
const TAKE_FIRST = -2;

export const N_PATTERN = 0;
export const N_KIND = 1;
export const N_ELEMENTS = 2;
export const N_VALUE_BYTES = 3;
export const N_MEMORY = 4;
export const N_LARGEST = 5;
export const N_EXPIRE = 6;
export const N_ACCESS = 7;
/**
 * The key's estimate under the other allocator build minus N_MEMORY, for a load that weighs both
 * builds on every key (produce-rows.ts): key_rows.other_build_delta. NaN otherwise.
 */
export const N_OTHER_BUILD = 8;
export const NUMS = 9;

/** Local pattern ids are reset past this many distinct patterns, so the dictionaries stay bounded. */
export const PATTERN_DICTIONARY_LIMIT = 50_000;

/**
 * Key bytes and printable text a batch holds at most before it is full, whatever its row count: a
 * batch of 4096 keys of 20 KB was 80 MB, and with the batches a worker runs ahead of the writer a
 * load of such keys took 1.3 GB. Batches of common keys (tens of bytes) stay row-bound.
 */
export const BATCH_KEY_BYTES = 1 << 20;

/** A row held back (top-N heaps) until the end of the parse: everything but the dictionary ids. */
export interface HeldRow {
  size: number;
  key: Uint8Array;
  printable: string | null;
  pattern: string;
  kind: number;
  elements: number;
  valueBytes: number;
  memory: number;
  largest: number;
  expire: number;
  access: number;
  extra: string | null;
}

/** `access` column: LRU idle seconds as is, LFU counter as -1 - freq, NaN when neither. */
export function accessOf(rec: KeyRecord): number {
  return rec.idleSeconds !== null ? rec.idleSeconds : rec.lfuFreq !== null ? -1 - rec.lfuFreq : NaN;
}

export function extraOf(rec: KeyRecord): string | null {
  if (rec.stream) return JSON.stringify({ stream_groups: rec.stream.groups, stream_pending: rec.stream.pending });
  if (rec.fieldsWithTtl !== undefined) return JSON.stringify({ fields_with_ttl: rec.fieldsWithTtl });
  return null;
}

/** Builds RowBatches; owns the local pattern and kind dictionaries of one load. */
export class RowBatchBuilder {
  private cap: number;
  private n = 0;
  private keyBytes: Uint8Array;
  private keyLen = 0;
  private keyEnds: Uint32Array;
  private nums: Float64Array;
  private printable: [number, string][] = [];
  private printableChars = 0;
  private extra: [number, string][] = [];
  private readonly patternIds = new Map<string, number>();
  private newPatterns: string[] = [];
  private resetPatterns = false;
  /** Kinds already sent with a batch (ids below this are known to the writer). */
  private kindsSent = 0;

  constructor(private readonly kinds: KindIds, private readonly rowsPerBatch = 4096) {
    this.cap = rowsPerBatch;
    this.keyBytes = new Uint8Array(rowsPerBatch * 32);
    this.keyEnds = new Uint32Array(rowsPerBatch);
    this.nums = new Float64Array(rowsPerBatch * NUMS);
  }

  get size(): number {
    return this.n;
  }

  get full(): boolean {
    return this.n >= this.rowsPerBatch || this.keyLen + this.printableChars >= BATCH_KEY_BYTES;
  }

  /** See RowBatch.deferredAt: set for the batch being built (before its first row). */
  deferredAt: number | null = null;
  /** See RowBatch.otherBuild: set before the first row of a load that weighs both builds. */
  otherBuild = false;

  /**
   * Local id of `pattern` (UNRESOLVED_PATTERN for null), or TAKE_FIRST when the dictionary is full
   * and the batch being built already uses it. Past PATTERN_DICTIONARY_LIMIT patterns the local
   * dictionary starts afresh with the next batch (RowBatch.resetPatterns), so it stays bounded.
   */
  private patternId(pattern: string | null): number {
    if (pattern === null) return UNRESOLVED_PATTERN;
    let id = this.patternIds.get(pattern);
    if (id !== undefined) return id;
    if (this.patternIds.size >= PATTERN_DICTIONARY_LIMIT) {
      if (this.n > 0) return TAKE_FIRST;
      this.patternIds.clear();
      this.newPatterns = [];
      this.resetPatterns = true;
    }
    id = this.patternIds.size;
    this.patternIds.set(pattern, id);
    this.newPatterns.push(pattern);
    return id;
  }

  /**
   * Adds a row; returns false (row not added) when the batch must be taken first. A null pattern
   * leaves pattern and printable text to the writer (only in batches with deferredAt set).
   * `otherBuild`: N_OTHER_BUILD (NaN for none).
   */
  add(rec: KeyRecord, pattern: string | null, kind: number, memory: number, otherBuild: number, printable: string | null, extra: string | null): boolean {
    const pid = this.patternId(pattern);
    if (pid === TAKE_FIRST) return false;
    this.put(keyBufferOf(rec), keyStartOf(rec), keyLengthOf(rec), pid, kind, rec.elements, rec.valueBytes, memory, otherBuild, rec.largestElementBytes,
      rec.expireAtMs === null ? NaN : rec.expireAtMs, accessOf(rec), printable, extra);
    return true;
  }

  /** add() for a row held back by the top-N heaps. */
  addHeld(h: HeldRow): boolean {
    const pid = this.patternId(h.pattern);
    if (pid === TAKE_FIRST) return false;
    this.put(h.key, 0, h.key.length, pid, h.kind, h.elements, h.valueBytes, h.memory, NaN, h.largest, h.expire, h.access, h.printable, h.extra);
    return true;
  }

  private put(key: Uint8Array, keyStart: number, keyLength: number, pid: number, kind: number, elements: number, valueBytes: number, memory: number, otherBuild: number,
    largest: number, expire: number, access: number, printable: string | null, extra: string | null): void {
    const i = this.n;
    this.pushKey(key, keyStart, keyLength);
    const o = i * NUMS;
    const nums = this.nums;
    nums[o + N_PATTERN] = pid;
    nums[o + N_KIND] = kind;
    nums[o + N_ELEMENTS] = elements;
    nums[o + N_VALUE_BYTES] = valueBytes;
    nums[o + N_MEMORY] = memory;
    nums[o + N_LARGEST] = largest;
    nums[o + N_EXPIRE] = expire;
    nums[o + N_ACCESS] = access;
    nums[o + N_OTHER_BUILD] = otherBuild;
    if (printable !== null) {
      this.printable.push([i, printable]);
      this.printableChars += printable.length;
    }
    if (extra !== null) this.extra.push([i, extra]);
    this.n++;
  }

  /** Appends buf[start, start + length) to the batch's key bytes. */
  private pushKey(buf: Uint8Array, start: number, length: number): void {
    const at = this.keyLen;
    const need = at + length;
    if (need > this.keyBytes.length) {
      const grown = new Uint8Array(Math.max(need, this.keyBytes.length * 2));
      grown.set(this.keyBytes.subarray(0, this.keyLen));
      this.keyBytes = grown;
    }
    this.keyLen = copyBytes(this.keyBytes, at, buf, start, length);
    if (this.n >= this.cap) {
      // Only reached when callers add past rowsPerBatch (held rows at the end): grow.
      this.cap *= 2;
      const ends = new Uint32Array(this.cap);
      ends.set(this.keyEnds);
      this.keyEnds = ends;
      const nums = new Float64Array(this.cap * NUMS);
      nums.set(this.nums);
      this.nums = nums;
    }
    this.keyEnds[this.n] = need;
  }

  /** The rows added since the last take (and the dictionary entries they introduced). */
  take(): RowBatch {
    const batch: RowBatch = {
      n: this.n,
      keyBytes: this.keyBytes.slice(0, this.keyLen),
      keyEnds: this.keyEnds.slice(0, this.n),
      nums: this.nums.slice(0, this.n * NUMS),
      printable: this.printable,
      extra: this.extra,
      resetPatterns: this.resetPatterns,
      newPatterns: this.newPatterns,
      newKinds: this.kinds.defs.slice(this.kindsSent),
      deferredAt: this.deferredAt,
      otherBuild: this.otherBuild,
    };
    this.kindsSent = this.kinds.defs.length;
    this.n = 0;
    this.keyLen = 0;
    // One long key grew the key buffer: it goes back to its usual size rather than stay that big.
    if (this.keyBytes.length > 2 * BATCH_KEY_BYTES) this.keyBytes = new Uint8Array(this.rowsPerBatch * 32);
    this.printable = [];
    this.printableChars = 0;
    this.extra = [];
    this.newPatterns = [];
    this.resetPatterns = false;
    return batch;
  }
}

/** The buffers of a batch, for postMessage's transfer list. */
export function transferables(b: RowBatch): ArrayBuffer[] {
  return [b.keyBytes.buffer as ArrayBuffer, b.keyEnds.buffer as ArrayBuffer, b.nums.buffer as ArrayBuffer];
}
