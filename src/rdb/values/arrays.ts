import { RdbError } from '../../core/errors.js';
import type { ArrayInfo } from '../../core/record.js';
import type { ByteReader } from '../byte-reader.js';
import type { StreamingDecoder } from './decoder.js';
import { once, repeat } from './loop.js';
import { measureString, measured } from '../rdb-string.js';
import { readLength, readLengthBig } from '../length.js';

/** Bounds on the per-slice and per-value detail kept for the memory model. */
const MAX_SLICES_KEPT = 65_536;
const MAX_SDS_KEPT = 65_536;
/** array-slice-size default: slice id = index >> 12 (rdb-format.md §9.7.7). */
const SLICE_SHIFT = 12n;

class ArrayState {
  count = 0;
  last = -1n;
  largest = 0;
  readonly slices = new Map<number, [number, number, number]>();
  readonly info: ArrayInfo = { length: 0, count: 0, hasInsertIndex: false, sliceCounts: [], sdsValueLengths: [] };
}

function arrayHeader(r: ByteReader, s: ArrayState): void {
  const at = r.offset;
  const count = readLength(r);
  if (count === 0) throw new RdbError('BAD_ARRAY', 'array with 0 elements', at);
  const hasInsert = readLength(r);
  if (hasInsert > 1) throw new RdbError('BAD_ARRAY', `array insert-cursor flag ${hasInsert} (expected 0 or 1)`, at);
  if (hasInsert === 1) readLength(r);
  s.count = count;
  s.info.hasInsertIndex = hasInsert === 1;
}

/** One element: len index (strictly ascending), len tag, payload by tag (§4.12.2). */
function arrayElement(r: ByteReader, s: ArrayState): void {
  const at = r.offset;
  const index = readLengthBig(r);
  if (index <= s.last) throw new RdbError('BAD_ARRAY', `array index ${index} not above previous ${s.last}`, at);
  const tag = readLength(r);
  let len: number;
  let sds = -1;
  switch (tag) {
    case 0: // SDS
      measureString(r);
      len = measured.len;
      sds = len;
      break;
    case 1: {
      // INT: int64 LE rendered as decimal text
      const start = r.take(8);
      len = new DataView(r.buf.buffer, r.buf.byteOffset + start, 8).getBigInt64(0, true).toString().length;
      break;
    }
    case 2: // FLOAT: binary64 LE rendered with the server's double formatting
      len = String(r.f64le()).length;
      break;
    case 3: // SMALLSTR
      measureString(r);
      len = measured.len;
      break;
    default:
      throw new RdbError('BAD_ARRAY', `array element tag ${tag} (expected 0..3)`, at);
  }
  s.last = index;
  if (len > s.largest) s.largest = len;
  if (sds >= 0 && s.info.sdsValueLengths.length < MAX_SDS_KEPT) s.info.sdsValueLengths.push(sds);
  const slice = Number(index >> SLICE_SHIFT);
  const off = Number(index & 4095n);
  const cur = s.slices.get(slice);
  if (cur) {
    cur[0]++;
    if (off > cur[2]) cur[2] = off;
  } else if (s.slices.size < MAX_SLICES_KEPT) {
    s.slices.set(slice, [1, off, off]);
  }
}

/** Type 28 ARRAY (Redis 8.8). */
export const decodeArray: StreamingDecoder = function* (r, rec) {
  const s = new ArrayState();
  yield* once(r, arrayHeader, s);
  yield* repeat(r, s.count, arrayElement, s);
  s.info.count = s.count;
  s.info.length = Number(s.last + 1n);
  s.info.sliceCounts = [...s.slices].map(([id, [n, lo, hi]]) => [id, n, lo, hi]);
  rec.array = s.info;
  rec.elements = s.count;
  rec.largestElementBytes = s.largest;
};
