import type { KeyRecord } from '../../core/record.js';
import { SizeHistogram } from '../../core/size-histogram.js';
import { Count, once, readCountUnit, repeat } from './loop.js';
import type { ByteReader } from '../byte-reader.js';
import { measureString, measured } from '../rdb-string.js';
import { intsetWidthFor, listpackEntrySizeForInt, listpackEntrySizeForString } from '../canonical-int.js';
import { listpackStringEntrySize } from '../listpack-size.js';
import type { CompactLimits } from './decoder.js';

/** Listpack header (total bytes u32 + count u16) plus the 0xFF terminator (rdb-format.md §5.2). */
export const LISTPACK_OVERHEAD = 7;

/**
 * Past this many elements no sane server configuration keeps a value as one listpack (the
 * `*-max-listpack-entries` defaults are 128–512), so the listpack size is not worth computing:
 * ValueShape.listpackBytes is then null. The default of CompactLimits, and the limit for lists.
 */
export const LISTPACK_SIZING_LIMIT = 8192;

/** Elements up to which a hash-table or skiplist value's would-be listpack is sized (CompactLimits). */
export function sizingLimit(limits: CompactLimits | null, type: 'hash' | 'zset' | 'set'): number {
  return limits === null ? LISTPACK_SIZING_LIMIT : limits[type];
}

/**
 * Whether a compact value of n elements (n = LISTPACK_COUNT_UNKNOWN-style unknowns count as above)
 * needs its element lengths: only when the loading server turns it into a table (CompactLimits).
 */
export function gathersLengths(limits: CompactLimits | null, type: 'hash' | 'intset', n: number): boolean {
  return limits === null || n > limits[type];
}

/**
 * Running facts about the elements of a plain (one string per element) aggregate, gathered from
 * the `measured` slot right after each measureString(). Feeds the memory model (ValueShape).
 */
export class ElementStats {
  largest = 0;
  /** Size of a listpack holding these elements, as Redis would build it on load. */
  listpackBytes = LISTPACK_OVERHEAD;
  allInts = true;
  intWidth: 2 | 4 | 8 = 2;
  readonly lengths = new SizeHistogram();
  private count = 0;

  /** `limit`: the most elements for which the listpack size is added up. */
  constructor(private readonly limit: number) {}

  /** Still adding up the listpack size (false past `limit` elements). */
  get sizingListpack(): boolean {
    return this.count <= this.limit;
  }

  listpackBytesOrNull(): number | null {
    return this.sizingListpack ? this.listpackBytes : null;
  }

  /** Adds the element just measured; `r` must not have been advanced since. */
  addMeasured(r: ByteReader): void {
    const len = measured.len;
    if (len > this.largest) this.largest = len;
    this.lengths.add(len);
    if (++this.count <= this.limit) this.listpackBytes += listpackEntrySize(r);
    if (this.allInts) {
      if (!measured.isInt) this.allInts = false;
      else {
        const w = measured.intEncoded ? intWidthOf(measured.intValue) : intsetWidthFor(r.buf, measured.start, len);
        if (w > this.intWidth) this.intWidth = w;
      }
    }
  }
}

/** The part of a ziplist / listpack cursor that describes its current entry. */
export interface EntryView {
  isInt: boolean;
  intValue: number;
  strStart: number;
  strLen: number;
}

/** Listpack entry size of a blob cursor's current entry (what Redis builds when it converts). */
export function listpackSizeOfEntry(c: EntryView, buf: Uint8Array): number {
  return c.isInt ? listpackEntrySizeForInt(c.intValue) : listpackEntrySizeForString(buf, c.strStart, c.strLen);
}

/** Listpack entry size of the element just measured. */
export function listpackEntrySize(r: ByteReader): number {
  if (measured.intEncoded) return listpackEntrySizeForInt(measured.intValue);
  if (measured.start >= 0) return listpackEntrySizeForString(r.buf, measured.start, measured.len);
  return listpackStringEntrySize(measured.len);
}

function intWidthOf(v: number): 2 | 4 | 8 {
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  return 8;
}

function measureElement(r: ByteReader, stats: ElementStats): void {
  measureString(r);
  stats.addMeasured(r);
}

/**
 * `len n` then n strings, one element each (types 1 and 2, §4.2): fills the record's count,
 * largest element and shape, and returns the stats for anything type-specific.
 */
export function* decodeStringSequence(r: ByteReader, rec: KeyRecord, sizingLimit: number): Generator<void, ElementStats, void> {
  const count = new Count();
  yield* once(r, readCountUnit, count);
  const stats = new ElementStats(sizingLimit);
  yield* repeat(r, count.n, measureElement, stats);
  rec.elements = count.n;
  rec.largestElementBytes = stats.largest;
  rec.shape.members = stats.lengths;
  rec.shape.listpackBytes = stats.listpackBytesOrNull();
  return stats;
}
