import { RdbError } from '../../core/errors.js';
import type { KeyRecord } from '../../core/record.js';
import { SizeHistogram } from '../../core/size-histogram.js';
import type { ByteReader } from '../byte-reader.js';
import type { AtomicDecoder, StreamingDecoder } from './decoder.js';
import { Count, once, readCountUnit, repeat } from './loop.js';
import { gathersLengths, LISTPACK_OVERHEAD, listpackEntrySize, listpackSizeOfEntry, sizingLimit } from './element-stats.js';
import { blob, measureString, measured, readBlob } from '../rdb-string.js';
import { readLength } from '../length.js';
import { LISTPACK_COUNT_UNKNOWN, ListpackCursor } from '../listpack.js';
import { ZiplistCursor } from '../ziplist.js';
import { ZipmapCursor } from '../zipmap.js';
import { listpackEntrySizeForInt, listpackEntrySizeForString } from '../canonical-int.js';

/** Above this a field or value forces a hash table (hash-max-listpack-value default, §9.5). */
const LONG_ENTRY = 64;
/** Field expiry times kept per hash (ValueShape.ttlFieldExpiries); beyond, omitted (8 bytes each). */
const MAX_EXPIRIES_KEPT = 65_536;

/** Expiry times of the fields with a TTL in file order, up to MAX_EXPIRIES_KEPT, then given up. */
class ExpiryList {
  /** Allocated by the first field with a TTL: most hashes have none. */
  private times: Float64Array | null = null;
  private n = 0;
  overflow = false;

  add(ms: number): void {
    if (this.overflow) return;
    if (this.n === MAX_EXPIRIES_KEPT) {
      this.overflow = true;
      return;
    }
    if (this.times === null) this.times = new Float64Array(16);
    else if (this.n === this.times.length) {
      const grown = new Float64Array(this.times.length * 2);
      grown.set(this.times);
      this.times = grown;
    }
    this.times[this.n++] = ms;
  }

  result(): Float64Array | undefined {
    if (this.overflow) return undefined;
    return this.times === null ? new Float64Array(0) : this.times.slice(0, this.n);
  }
}

/** Facts about a hash's fields and values that the record and the memory model need. */
class HashStats {
  pairs = 0;
  largest = 0;
  maxField = 0;
  maxValue = 0;
  firstLong = -1;
  listpackBytes = LISTPACK_OVERHEAD;
  withTtl = 0;
  minExpire: number | null = null;
  /** Length histograms of fields, values and fields with a TTL; null when not gathered. */
  private readonly lengths: { fields: SizeHistogram; values: SizeHistogram; ttlFields: SizeHistogram; expiries: ExpiryList } | null;

  /**
   * `sizingLimit`: the most pairs for which the listpack size is added up; `gatherLengths`: whether
   * the field and value lengths are gathered (CompactLimits).
   */
  constructor(
    private readonly sizingLimit: number,
    gatherLengths = true,
  ) {
    this.lengths = gatherLengths ? { fields: new SizeHistogram(), values: new SizeHistogram(), ttlFields: new SizeHistogram(), expiries: new ExpiryList() } : null;
  }

  /** Whether the next pair's listpack entries count (callers skip sizing them otherwise). */
  get sizing(): boolean {
    return this.pairs < this.sizingLimit;
  }

  /**
   * `expireAt` is undefined for hashes without a TTL column; null for a field without a TTL in a
   * hash that has the column (its listpack form then holds field, value, expiry-or-0 triplets).
   */
  add(flen: number, vlen: number, lpBytes: number, expireAt?: number | null): void {
    if (flen > this.maxField) this.maxField = flen;
    if (vlen > this.maxValue) this.maxValue = vlen;
    if (this.firstLong < 0 && (flen > LONG_ENTRY || vlen > LONG_ENTRY)) this.firstLong = this.pairs;
    const lengths = this.lengths;
    if (lengths !== null) {
      lengths.fields.add(flen);
      lengths.values.add(vlen);
    }
    const sizing = this.sizing;
    if (sizing) this.listpackBytes += lpBytes;
    if (expireAt === undefined) {
      this.pairs++;
      return;
    }
    if (sizing) this.listpackBytes += listpackEntrySizeForInt(expireAt ?? 0);
    if (expireAt !== null) {
      this.withTtl++;
      if (lengths !== null) {
        lengths.ttlFields.add(flen);
        lengths.expiries.add(expireAt);
      }
      if (this.minExpire === null || expireAt < this.minExpire) this.minExpire = expireAt;
    }
    this.pairs++;
  }

  fill(rec: KeyRecord, hasTtlColumn: boolean): void {
    rec.elements = this.pairs;
    rec.largestElementBytes = Math.max(this.maxField, this.maxValue);
    const lengths = this.lengths;
    if (lengths !== null) {
      rec.shape.members = lengths.fields;
      rec.shape.values = lengths.values;
    }
    rec.shape.maxFieldBytes = this.maxField;
    rec.shape.maxValueBytes = this.maxValue;
    rec.shape.firstLongEntryIndex = this.firstLong;
    rec.shape.listpackBytes = this.pairs <= this.sizingLimit ? this.listpackBytes : null;
    if (hasTtlColumn) {
      rec.fieldsWithTtl = this.withTtl;
      rec.minFieldExpireAtMs = this.minExpire;
      if (lengths !== null) {
        rec.shape.ttlFieldLengths = lengths.ttlFields;
        const expiries = lengths.expiries.result();
        if (expiries !== undefined) rec.shape.ttlFieldExpiries = expiries;
      }
    }
  }
}

/**
 * Reads one field and value string; returns nothing, leaves facts in `pair` (their listpack entry
 * sizes only when `sizing`).
 */
const pair = { flen: 0, vlen: 0, lp: 0 };
function measurePair(r: ByteReader, sizing: boolean): void {
  measureString(r);
  const flen = measured.len;
  const flp = sizing ? listpackEntrySize(r) : 0;
  measureString(r);
  pair.flen = flen;
  pair.vlen = measured.len;
  pair.lp = sizing ? flp + listpackEntrySize(r) : 0;
}

/** Type 4: hash table, `len n` then n × (field, value) (§4.2). */
function plainPair(r: ByteReader, h: HashStats): void {
  measurePair(r, h.sizing);
  h.add(pair.flen, pair.vlen, pair.lp);
}

/** `len n` then n units, each adding one field to the stats (types 4 and 22). */
function countedFields(unit: (r: ByteReader, h: HashStats) => void, hasTtlColumn: boolean): StreamingDecoder {
  return function* (r, rec, ctx) {
    const count = new Count();
    yield* once(r, readCountUnit, count);
    const h = new HashStats(sizingLimit(ctx.limits, 'hash'));
    yield* repeat(r, count.n, unit, h);
    h.fill(rec, hasTtlColumn);
  };
}

export const decodeHashHashtable = countedFields(plainPair, false);

/** Type 24 (Redis 7.4+): minExpire, then n × (len ttl, field, value); ttl 0 = none, else ttl + minExpire - 1 (§7.1). */
class MetadataState extends HashStats {
  base = 0;
  n = 0;
}

function metadataHeader(r: ByteReader, s: MetadataState): void {
  const minExpire = r.i64le();
  const n = readLength(r);
  s.base = minExpire;
  s.n = n;
}

function metadataTriplet(r: ByteReader, s: MetadataState): void {
  const ttl = readLength(r);
  measurePair(r, s.sizing);
  s.add(pair.flen, pair.vlen, pair.lp, ttl === 0 ? null : ttl + s.base - 1);
}

export const decodeHashMetadata: StreamingDecoder = function* (r, rec, ctx) {
  const s = new MetadataState(sizingLimit(ctx.limits, 'hash'));
  yield* once(r, metadataHeader, s);
  yield* repeat(r, s.n, metadataTriplet, s);
  s.fill(rec, true);
};

/** Type 22 under REDIS magic (7.4 RC): n × (len absolute ttl, field, value), no minExpire (§7.1). */
function preGaTriplet(r: ByteReader, s: HashStats): void {
  const ttl = readLength(r);
  measurePair(r, s.sizing);
  s.add(pair.flen, pair.vlen, pair.lp, ttl === 0 ? null : ttl);
}

export const decodeHashMetadataPreGa = countedFields(preGaTriplet, true);

/** Type 22 under VALKEY magic (Valkey 9 HASH_2): n × (field, value, 8-byte LE ms expiry, -1 = none) (§7.2). */
function valkeyTriplet(r: ByteReader, s: HashStats): void {
  measurePair(r, s.sizing);
  const expire = r.i64le();
  s.add(pair.flen, pair.vlen, pair.lp, expire === -1 ? null : expire);
}

export const decodeValkeyHash2 = countedFields(valkeyTriplet, true);

type BlobCursor = ZiplistCursor | ListpackCursor;

/**
 * A hash stored as one ziplist or listpack blob (same cursor contract): field, value pairs, or
 * field, value, expireAt triplets (types 23/25, §7.1: expireAt is an integer, 0 = none).
 */
function pairBlob(
  open: (buf: Uint8Array, start: number, end: number, offset: number) => BlobCursor,
  what: 'ziplist' | 'listpack' | 'listpack-ex',
  minExpirePrefix = false,
): AtomicDecoder {
  const code = what === 'ziplist' ? 'BAD_ZIPLIST' : 'BAD_LISTPACK';
  const triplets = what === 'listpack-ex';
  return (r, rec, ctx) => {
    if (minExpirePrefix) r.i64le(); // 8-byte minExpire: a hint, may be stale (§7.1)
    readBlob(r);
    const c = open(blob.buf, blob.start, blob.end, blob.offset);
    // A listpack hash is kept as loaded within the entry limit (a plain one is never re-sized: its
    // size is the blob's), else becomes a table, which needs the lengths. Ziplists are converted
    // by value length too: always gathered.
    const h =
      what === 'ziplist'
        ? new HashStats(sizingLimit(ctx.limits, 'hash'))
        : new HashStats(what === 'listpack' ? 0 : sizingLimit(ctx.limits, 'hash'), gathersLengths(ctx.limits, 'hash', fieldCount(c, triplets ? 3 : 2)));
    while (c.next()) {
      const sizing = h.sizing;
      const flen = c.elementLength();
      const flp = sizing ? listpackSizeOfEntry(c, blob.buf) : 0;
      if (!c.next()) throw new RdbError(code, `hash ${what} has a field without a value`, blob.offset);
      const vlen = c.elementLength();
      const vlp = sizing ? listpackSizeOfEntry(c, blob.buf) : 0;
      if (!triplets) {
        h.add(flen, vlen, flp + vlp);
        continue;
      }
      if (!c.next() || !c.isInt) throw new RdbError(code, 'hash listpack-ex triplet without an integer expiry', blob.offset);
      h.add(flen, vlen, flp + vlp, c.intValue === 0 ? null : c.intValue);
    }
    h.fill(rec, triplets);
    rec.shape.blobBytes = blob.end - blob.start;
  };
}

/** A listpack hash's field count from its header; unknown (65535) counts as more than any limit. */
function fieldCount(c: BlobCursor, entriesPerField: number): number {
  return c instanceof ListpackCursor && c.headerCount !== LISTPACK_COUNT_UNKNOWN ? Math.floor(c.headerCount / entriesPerField) : Infinity;
}

const ziplist = (buf: Uint8Array, start: number, end: number, offset: number) => new ZiplistCursor(buf, start, end, offset);
const listpack = (buf: Uint8Array, start: number, end: number, offset: number) => new ListpackCursor(buf, start, end, offset);

/** Type 13: hash as a ziplist of field, value pairs (§5.1). */
export const decodeHashZiplist = pairBlob(ziplist, 'ziplist');
/** Type 16: hash as a listpack of field, value pairs (§5.2). */
export const decodeHashListpack = pairBlob(listpack, 'listpack');
/** Type 25 (Redis 7.4+): 8-byte minExpire, then the triplet listpack. */
export const decodeHashListpackEx = pairBlob(listpack, 'listpack-ex', true);
/** Type 23 under REDIS magic (7.4 RC): the triplet listpack without minExpire. */
export const decodeHashListpackExPreGa = pairBlob(listpack, 'listpack-ex');

/** Type 9: zipmap (Redis 2.4, §5.4); loads as a listpack or hash table. */
export const decodeZipmap: AtomicDecoder = (r, rec, ctx) => {
  readBlob(r);
  const h = new HashStats(sizingLimit(ctx.limits, 'hash'));
  const c = new ZipmapCursor(blob.buf, blob.start, blob.end, blob.offset);
  while (c.next()) {
    const lp = listpackEntrySizeForString(blob.buf, c.keyStart, c.keyLen) + listpackEntrySizeForString(blob.buf, c.valStart, c.valLen);
    h.add(c.keyLen, c.valLen, lp);
  }
  h.fill(rec, false);
  rec.shape.blobBytes = blob.end - blob.start;
};
