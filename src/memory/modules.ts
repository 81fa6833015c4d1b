/**
 * Module values (rdb-format.md §8.3, §9.7.7): MEMORY USAGE is whatever the module's `mem_usage`
 * callback answers. Vector sets (Redis 8.x) have a known formula; for any other module the
 * serialized size stands in (exact = false). OBJECT ENCODING of a module value is `raw`.
 */
import type { KeyRecord } from '../core/record.js';
import type { ValueEstimate } from './estimate.js';
import type { Sizing } from './sizing.js';

const ROBJ = 16;
const EMBSTR_MAX = 44;

export function moduleValue(rec: KeyRecord, s: Sizing): ValueEstimate {
  if (rec.vectorSet) return { encoding: 'raw', bytes: vectorSetUsage(rec, s), exact: true };
  return { encoding: 'raw', bytes: ROBJ + rec.valueBytes, exact: false };
}

/** `VectorSetMemUsage` (R@8.8.0:vset.c), with its integer divisions; excludes the key part. */
export function vectorSetUsage(rec: KeyRecord, s: Sizing): number {
  const v = rec.vectorSet!;
  const n = v.count;
  const dim = v.dim;
  const vb = v.quant === 'f32' ? dim * 4 : v.quant === 'bin' ? Math.ceil(dim / 64) * 8 : dim;
  const l0 = v.lastL0MaxLinks;
  let bytes = 112 + 1672;
  if (v.projectionInputDim !== null) bytes += 4 * v.projectionInputDim * dim;
  bytes += n * (312 + vb);
  bytes += Math.floor((24 * n * 4) / 3) + 8 * l0 * n + Math.floor((8 * Math.floor(l0 / 2) * n) / 3);
  const strAlloc = (len: number) => (len <= EMBSTR_MAX ? s.A(20 + len) : 16 + s.Z(len));
  const names = v.tailNames.slice(-20);
  if (names.length > 0) {
    const sum = names.reduce((a, len) => a + strAlloc(len), 0);
    bytes += Math.floor(sum / names.length) * n;
  }
  const attrs = v.tailAttributes.slice(-20).filter((len) => len > 0);
  const attrAvg = attrs.length > 0 ? Math.floor(attrs.reduce((a, len) => a + strAlloc(len), 0) / attrs.length) : 64;
  bytes += attrAvg * v.attributes;
  bytes += 16 * n;
  return bytes;
}
