import { RdbError } from '../../core/errors.js';
import type { ByteReader } from '../byte-reader.js';
import type { AtomicDecoder, StreamingDecoder } from './decoder.js';
import { Count, once, readCountUnit, repeat } from './loop.js';
import { ElementStats, LISTPACK_OVERHEAD, listpackSizeOfEntry, sizingLimit } from './element-stats.js';
import { blob, measureString, readBlob } from '../rdb-string.js';
import { ListpackCursor } from '../listpack.js';
import { ZiplistCursor } from '../ziplist.js';
import { listpackEntrySizeForInt, listpackEntrySizeForString } from '../canonical-int.js';
import { g17ScoreText, LL_HALF, modernScoreText, strtodPrefix } from '../double-text.js';

const ascii = new TextEncoder();

/**
 * Listpack entry size of a score as a server writes it when it converts a skiplist to a listpack:
 * its text (double-text.ts) stored as an integer entry when it is a canonical int64, else as a string.
 */
function scoreEntrySize(score: number, g17: boolean): number {
  // Integers print as int64 text in both eras up to 2^53 (ll2string, or %.17g's 16 digits), and up to
  // 2^62 from 7.2: an integer entry either way, its size set by the value alone.
  if (Number.isInteger(score) && Math.abs(score) <= (g17 ? Number.MAX_SAFE_INTEGER : LL_HALF) && !Object.is(score, -0)) return listpackEntrySizeForInt(score);
  const text = ascii.encode(g17 ? g17ScoreText(score) : modernScoreText(score));
  return listpackEntrySizeForString(text, 0, text.length);
}

/** ElementStats of a skiplist zset, with the listpack also sized for Redis ≤ 7.0's score text. */
class ZsetStats extends ElementStats {
  /** Σ (entry size of the %.17g score − entry size of the shortest one), while sizing. */
  g17Extra = 0;

  addScore(score: number): void {
    if (!this.sizingListpack) return;
    const shortest = scoreEntrySize(score, false);
    this.listpackBytes += shortest;
    this.g17Extra += scoreEntrySize(score, true) - shortest;
  }
}

/** Old string-form double (§2.4): 253 NaN, 254 +inf, 255 -inf, else n ASCII bytes read as sscanf("%lg") does. */
function readStringDouble(r: ByteReader): number {
  const n = r.u8();
  if (n === 253) return NaN;
  if (n === 254) return Infinity;
  if (n === 255) return -Infinity;
  const at = r.take(n);
  let text = '';
  for (let i = 0; i < n; i++) text += String.fromCharCode(r.buf[at + i]!);
  const v = strtodPrefix(text);
  if (v === null) throw new RdbError('BAD_STRING', `score ${JSON.stringify(text)} is not a number`, r.offset - n);
  return v;
}

/** Redis refuses a skiplist zset score that is NaN, of either type ("Zset with NAN score detected", rdb.c rdbLoadObject). */
function nanScore(at: number): RdbError {
  return new RdbError('BAD_STRING', 'zset score is NaN (Redis refuses the dump)', at);
}

// A unit may be retried after any read (byte-reader.ts): every read comes before the stats change.
function memberWithBinaryScore(r: ByteReader, stats: ZsetStats): void {
  measureString(r);
  const score = r.f64le();
  if (Number.isNaN(score)) throw nanScore(r.offset - 8);
  stats.addMeasured(r);
  stats.addScore(score);
}

function memberWithStringScore(r: ByteReader, stats: ZsetStats): void {
  measureString(r);
  const at = r.offset;
  const score = readStringDouble(r);
  if (Number.isNaN(score)) throw nanScore(at);
  stats.addMeasured(r);
  stats.addScore(score);
}

function skiplistDecoder(member: (r: ByteReader, s: ZsetStats) => void): StreamingDecoder {
  return function* (r, rec, ctx) {
    const count = new Count();
    yield* once(r, readCountUnit, count);
    const stats = new ZsetStats(sizingLimit(ctx.limits, 'zset'));
    yield* repeat(r, count.n, member, stats);
    rec.elements = count.n;
    rec.largestElementBytes = stats.largest;
    rec.shape.members = stats.lengths;
    rec.shape.listpackBytes = stats.listpackBytesOrNull();
    rec.shape.listpackBytesG17 = stats.sizingListpack ? stats.listpackBytes + stats.g17Extra : null;
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
