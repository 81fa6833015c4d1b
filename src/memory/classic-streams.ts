/**
 * Streams on Redis 7.0–8.0 (rdb-format.md §9.4 "Stream"): `streamRadixTreeMemoryUsage` charges
 * 16 per element + 244 per radix node (it ignores the rax struct); node listpacks count their
 * allocation, which after a load is their exact size rounded to a class.
 */
import type { KeyRecord } from '../core/record.js';
import type { ValueEstimate } from './estimate.js';
import { atLeast } from './profile.js';
import { estimatedRaxNodes, raxNodesOfIds } from './rax.js';
import type { Sizing } from './sizing.js';

const ROBJ = 16;
const STREAM = 80;
const STREAM_CG = 40;
const STREAM_NACK = 24;

function rax(elements: number, nodes: number): number {
  return 16 * elements + 244 * nodes;
}

export function classicStream(rec: KeyRecord, s: Sizing): ValueEstimate {
  const st = rec.stream;
  const sh = rec.shape;
  const ids = sh.streamIds;
  // streamConsumer grew an active_time field in 7.2 (§9.3)
  const consumerStruct = atLeast(s.profile, 7, 2) ? 32 : 24;
  let exact = ids !== undefined && (sh.nodes?.exact ?? true);
  const nodeCount = st?.nodes ?? sh.nodes?.count ?? 0;
  let bytes = ROBJ + STREAM + rax(nodeCount, ids ? raxNodesOfIds(ids.nodes) : estimatedRaxNodes(nodeCount));
  bytes += s.sum(sh.nodes, s.A);
  if (!st) return { encoding: 'stream', bytes, exact: false };
  if (st.groupInfo.length < st.groups) exact = false;
  st.groupInfo.forEach((g, gi) => {
    const gIds = ids?.groups[gi];
    bytes += STREAM_CG + rax(g.pending, gIds ? raxNodesOfIds(gIds.pel) : estimatedRaxNodes(g.pending)) + STREAM_NACK * g.pending;
    if (g.consumerShapes.length < g.consumers) exact = false;
    g.consumerShapes.forEach((c, ci) => {
      const cIds = gIds?.consumers[ci];
      bytes += consumerStruct + c.nameBytes + rax(c.pending, cIds ? raxNodesOfIds(cIds) : estimatedRaxNodes(c.pending));
    });
  });
  return { encoding: 'stream', bytes, exact };
}
