/**
 * Strings on Redis 7.0–8.0 (rdb-format.md §9.4 "String", §9.7.3): `tryObjectEncoding` after load.
 */
import type { KeyRecord } from '../core/record.js';
import type { ValueEstimate } from './estimate.js';
import type { Sizing } from './sizing.js';

const ROBJ = 16;
/** OBJ_ENCODING_EMBSTR_SIZE_LIMIT */
const EMBSTR_MAX = 44;

export function classicString(rec: KeyRecord, s: Sizing): ValueEstimate {
  const len = rec.largestElementBytes;
  if (rec.shape.strIsInt) return { encoding: 'int', bytes: ROBJ, exact: true };
  // embstr: robj + sdshdr8 (3) + content + NUL in one allocation
  if (len <= EMBSTR_MAX) return { encoding: 'embstr', bytes: s.A(ROBJ + 3 + len + 1), exact: true };
  return { encoding: 'raw', bytes: ROBJ + s.Z(len), exact: true };
}
