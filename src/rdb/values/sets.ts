import { SizeHistogram } from '../../core/size-histogram.js';
import type { AtomicDecoder, StreamingDecoder } from './decoder.js';
import { decodeStringSequence, gathersLengths, sizingLimit } from './element-stats.js';
import { blob, readBlob } from '../rdb-string.js';
import { intsetSummary } from '../intset.js';
import { listpackSummary } from '../listpack.js';
import { decimalLength } from '../canonical-int.js';

/** Type 2: hash-table set, `len n` then n member strings (§4.2). */
export const decodeSetHashtable: StreamingDecoder = function* (r, rec, ctx) {
  const stats = yield* decodeStringSequence(r, rec, sizingLimit(ctx.limits, 'set'));
  rec.shape.allInts = rec.elements > 0 && stats.allInts;
  rec.shape.intWidth = stats.intWidth;
};

/** Type 11: intset blob (§5.3). */
export const decodeIntset: AtomicDecoder = (r, rec, ctx) => {
  readBlob(r);
  const s = intsetSummary(blob.buf, blob.start, blob.end, blob.offset);
  rec.elements = s.count;
  rec.largestElementBytes = s.largest;
  rec.shape.blobBytes = blob.end - blob.start;
  rec.shape.allInts = true;
  rec.shape.intWidth = s.width;
  if (gathersLengths(ctx.limits, 'intset', s.count)) rec.shape.members = intsetMemberLengths(blob.buf, blob.start + 8, s.width, s.count);
};

/**
 * Decimal lengths of the members: a server with a lower set-max-intset-entries turns the set into
 * a hash table of sds strings on load, whose size depends on them (§9.5).
 */
function intsetMemberLengths(buf: Uint8Array, at: number, width: 2 | 4 | 8, count: number): SizeHistogram {
  const h = new SizeHistogram();
  const view = new DataView(buf.buffer, buf.byteOffset + at, width * count);
  for (let i = 0; i < count; i++) {
    if (width === 8) h.add(view.getBigInt64(i * 8, true).toString().length);
    else h.add(decimalLength(width === 2 ? view.getInt16(i * 2, true) : view.getInt32(i * 4, true)));
  }
  return h;
}

/** Type 20: set as one listpack of members (§5.2). */
export const decodeSetListpack: AtomicDecoder = (r, rec) => {
  readBlob(r);
  const lp = listpackSummary(blob.buf, blob.start, blob.end, blob.offset);
  rec.elements = lp.count;
  rec.largestElementBytes = lp.largest;
  rec.shape.blobBytes = blob.end - blob.start;
};
