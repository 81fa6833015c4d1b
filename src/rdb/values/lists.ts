import { RdbError } from '../../core/errors.js';
import { SizeHistogram } from '../../core/size-histogram.js';
import type { ByteReader } from '../byte-reader.js';
import type { AtomicDecoder, StreamingDecoder } from './decoder.js';
import { Count, once, readCountUnit, repeat } from './loop.js';
import { decodeStringSequence, LISTPACK_OVERHEAD, LISTPACK_SIZING_LIMIT, listpackSizeOfEntry } from './element-stats.js';
import { blob, measureString, measured, readBlob } from '../rdb-string.js';
import { readLength } from '../length.js';
import { listpackSummary } from '../listpack.js';
import { ZiplistCursor } from '../ziplist.js';

/**
 * Type 1: linked list, `len n` then n strings (§4.2; Redis ≤ 3.0). Lists are split into listpack
 * nodes by bytes, not kept whole below an entry count, so their sizing limit is the fixed one.
 */
export const decodeLinkedList: StreamingDecoder = function* (r, rec) {
  yield* decodeStringSequence(r, rec, LISTPACK_SIZING_LIMIT);
};

/** Walks a ziplist blob: entry count, largest entry, and the listpack Redis would convert it to. */
export function walkZiplist(buf: Uint8Array, start: number, end: number, offset: number): { count: number; largest: number; listpackBytes: number } {
  const c = new ZiplistCursor(buf, start, end, offset);
  let count = 0;
  let largest = 0;
  let lp = LISTPACK_OVERHEAD;
  while (c.next()) {
    count++;
    const len = c.elementLength();
    if (len > largest) largest = len;
    lp += listpackSizeOfEntry(c, buf);
  }
  return { count, largest, listpackBytes: lp };
}

/** Type 10: a whole list in one ziplist (§5.1; Redis 2.4–3.0). */
export const decodeZiplistList: AtomicDecoder = (r, rec) => {
  readBlob(r);
  const z = walkZiplist(blob.buf, blob.start, blob.end, blob.offset);
  rec.elements = z.count;
  rec.largestElementBytes = z.largest;
  rec.shape.blobBytes = blob.end - blob.start;
  rec.shape.listpackBytes = z.listpackBytes;
};

class QuicklistStats {
  elements = 0;
  largest = 0;
  readonly nodes = new SizeHistogram();
  readonly plainNodes = new SizeHistogram();
}

/** Type 14 node: a ziplist (maybe LZF-compressed); Redis 7 re-encodes it as a listpack node. */
function quicklistV1Node(r: ByteReader, q: QuicklistStats): void {
  readBlob(r);
  const z = walkZiplist(blob.buf, blob.start, blob.end, blob.offset);
  q.elements += z.count;
  if (z.largest > q.largest) q.largest = z.largest;
  q.nodes.add(z.listpackBytes);
}

/** Type 18 node: `len container` then a listpack (PACKED = 2) or one raw element (PLAIN = 1) (§4.4). */
function quicklistV2Node(r: ByteReader, q: QuicklistStats): void {
  const at = r.offset;
  const container = readLength(r);
  if (container === 2) {
    readBlob(r);
    const lp = listpackSummary(blob.buf, blob.start, blob.end, blob.offset);
    q.elements += lp.count;
    if (lp.largest > q.largest) q.largest = lp.largest;
    q.nodes.add(blob.end - blob.start);
  } else if (container === 1) {
    measureString(r);
    q.elements += 1;
    if (measured.len > q.largest) q.largest = measured.len;
    q.plainNodes.add(measured.len);
  } else {
    throw new RdbError('BAD_QUICKLIST', `quicklist node container ${container} (expected 1 PLAIN or 2 PACKED)`, at);
  }
}

function quicklistDecoder(node: (r: ByteReader, q: QuicklistStats) => void): StreamingDecoder {
  return function* (r, rec) {
    const count = new Count();
    yield* once(r, readCountUnit, count);
    const q = new QuicklistStats();
    yield* repeat(r, count.n, node, q);
    rec.elements = q.elements;
    rec.largestElementBytes = q.largest;
    rec.shape.nodes = q.nodes;
    if (q.plainNodes.count > 0) rec.shape.plainNodes = q.plainNodes;
  };
}

/** Type 14: quicklist of ziplists (Redis 3.2–6.2). */
export const decodeQuicklist = quicklistDecoder(quicklistV1Node);
/** Type 18: quicklist v2 of listpack / plain nodes (Redis 7.0+). */
export const decodeQuicklist2 = quicklistDecoder(quicklistV2Node);
