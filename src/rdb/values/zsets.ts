import { RdbError } from '../../core/errors.js';
import type { ByteReader } from '../byte-reader.js';
import type { AtomicDecoder, StreamingDecoder } from './decoder.js';
import { Count, once, readCountUnit, repeat } from './loop.js';
import { ElementStats, LISTPACK_OVERHEAD, listpackSizeOfEntry, sizingLimit } from './element-stats.js';
import { blob, measureString, readBlob } from '../rdb-string.js';
import { ListpackCursor } from '../listpack.js';
import { ZiplistCursor } from '../ziplist.js';
import { listpackEntrySizeForInt } from '../canonical-int.js';
import { listpackStringEntrySize } from '../listpack-size.js';

/**
 * Listpack entry size of a score as Redis writes it when it converts a skiplist to a listpack:
 * integral scores become listpack integers, others their shortest decimal text.
 */
function scoreEntrySize(score: number): number {
  if (Number.isInteger(score) && Math.abs(score) <= Number.MAX_SAFE_INTEGER) return listpackEntrySizeForInt(score);
  const text = Number.isNaN(score) ? 'nan' : score === Infinity ? 'inf' : score === -Infinity ? '-inf' : String(score);
  return listpackStringEntrySize(text.length);
}

/** Old string-form double (§2.4): 253 NaN, 254 +inf, 255 -inf, else n ASCII bytes. */
function readStringDouble(r: ByteReader): number {
  const n = r.u8();
  if (n === 253) return NaN;
  if (n === 254) return Infinity;
  if (n === 255) return -Infinity;
  const at = r.take(n);
  let text = '';
  for (let i = 0; i < n; i++) text += String.fromCharCode(r.buf[at + i]!);
  const v = Number(text);
  if (Number.isNaN(v) && !/^\s*nan\s*$/i.test(text)) throw new RdbError('BAD_STRING', `score ${JSON.stringify(text)} is not a number`, r.offset - n);
  return v;
}

// A unit may be retried after any read (byte-reader.ts): every read comes before the stats change.
function memberWithBinaryScore(r: ByteReader, stats: ElementStats): void {
  measureString(r);
  const score = r.f64le();
  stats.addMeasured(r);
  if (stats.sizingListpack) stats.listpackBytes += scoreEntrySize(score);
}

function memberWithStringScore(r: ByteReader, stats: ElementStats): void {
  measureString(r);
  const score = readStringDouble(r);
  stats.addMeasured(r);
  if (stats.sizingListpack) stats.listpackBytes += scoreEntrySize(score);
}

function skiplistDecoder(member: (r: ByteReader, s: ElementStats) => void): StreamingDecoder {
  return function* (r, rec, ctx) {
    const count = new Count();
    yield* once(r, readCountUnit, count);
    const stats = new ElementStats(sizingLimit(ctx.limits, 'zset'));
    yield* repeat(r, count.n, member, stats);
    rec.elements = count.n;
    rec.largestElementBytes = stats.largest;
    rec.shape.members = stats.lengths;
    rec.shape.listpackBytes = stats.listpackBytesOrNull();
  };
}

/** Type 3: skiplist zset with string scores (Redis ≤ 3.2, §4.3). */
export const decodeZsetV1 = skiplistDecoder(memberWithStringScore);
/** Type 5: skiplist zset with binary double scores (§4.3). */
export const decodeZset2 = skiplistDecoder(memberWithBinaryScore);

/** Type 12: zset as a ziplist of member, score pairs (§5.1). */
export const decodeZsetZiplist: AtomicDecoder = (r, rec) => {
  readBlob(r);
  const c = new ZiplistCursor(blob.buf, blob.start, blob.end, blob.offset);
  let entries = 0;
  let largest = 0;
  let lp = LISTPACK_OVERHEAD;
  while (c.next()) {
    if ((entries & 1) === 0) {
      const len = c.elementLength();
      if (len > largest) largest = len;
    }
    lp += listpackSizeOfEntry(c, blob.buf);
    entries++;
  }
  if (entries % 2 !== 0) throw new RdbError('BAD_ZIPLIST', `zset ziplist has an odd number of entries (${entries})`, blob.offset);
  rec.elements = entries / 2;
  rec.largestElementBytes = largest;
  rec.shape.blobBytes = blob.end - blob.start;
  rec.shape.listpackBytes = lp;
};

/** Type 17: zset as a listpack of member, score pairs (§5.2). */
export const decodeZsetListpack: AtomicDecoder = (r, rec) => {
  readBlob(r);
  const c = new ListpackCursor(blob.buf, blob.start, blob.end, blob.offset);
  let entries = 0;
  let largest = 0;
  while (c.next()) {
    if ((entries & 1) === 0) {
      const len = c.elementLength();
      if (len > largest) largest = len;
    }
    entries++;
  }
  if (entries % 2 !== 0) throw new RdbError('BAD_LISTPACK', `zset listpack has an odd number of entries (${entries})`, blob.offset);
  rec.elements = entries / 2;
  rec.largestElementBytes = largest;
  rec.shape.blobBytes = blob.end - blob.start;
};
