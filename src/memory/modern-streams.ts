/**
 * Streams on Redis ≥ 8.2 and Valkey ≥ 8.1 (rdb-format.md §9.7.6), value part (the robj is in the key
 * object). Redis ≤ 8.2 keeps the 7.x estimate of radix trees (16/element + 244/node); Redis 8.4+ and
 * Valkey add up the real node allocations X(keys) = A(32) + Σ A(node), derived from the stream IDs.
 * Group and consumer names are not kept by the parser (only their lengths), so their trees are
 * approximated as a root branching into one compressed run + leaf per name.
 */
import type { KeyRecord } from '../core/record.js';
import type { ValueEstimate } from './estimate.js';
import type { ModernFamily } from './modern-key.js';
import { estimatedRaxNodes, raxBytesOfKeys, raxNodeBytes, raxOfIds, raxOfTimedIds, RaxShape } from './rax.js';
import { trackedSdsBytes } from './sds.js';
import type { Sizing } from './sizing.js';

const RAX_STRUCT = 32;

export function modernStream(rec: KeyRecord, f: ModernFamily, s: Sizing): ValueEstimate {
  const st = rec.stream;
  const sh = rec.shape;
  const ids = sh.streamIds;
  const A = s.A;
  const tracked = f === 'r84' || f === 'r86';
  const lps = sh.nodes ? (tracked ? sh.nodes.total : sh.nodes.sum(A)) : 0;
  let exact = ids !== undefined && (sh.nodes?.exact ?? true) && st !== undefined && st.groupInfo.length === st.groups;

  // X(keys) from real IDs, else from the count (≈ 2 nodes per ID, a 16-byte leaf + a ~24-byte run)
  const X = (idBytes: Uint8Array | undefined, n: number) => {
    if (idBytes) return A(RAX_STRUCT) + raxOfIds(idBytes, A).nodeBytes;
    if (n === 0) return A(RAX_STRUCT) + A(raxNodeBytes(0, 0, false));
    return A(RAX_STRUCT) + (estimatedRaxNodes(n) - n) * A(raxNodeBytes(8, 1, false)) + n * A(raxNodeBytes(0, 0, true));
  };
  // Redis 8.4 PEL by delivery time: 24-byte keys without values
  const byTime = (idBytes: Uint8Array | undefined, n: number) => {
    if (idBytes) return A(RAX_STRUCT) + raxOfTimedIds(idBytes, A).nodeBytes;
    if (n === 0) return A(RAX_STRUCT) + A(raxNodeBytes(0, 0, false));
    return A(RAX_STRUCT) + A(raxNodeBytes(8, 1, false)) + (estimatedRaxNodes(n) - n) * A(raxNodeBytes(8, 1, false)) + n * A(raxNodeBytes(0, 0, false));
  };
  // 7.x-style estimate (Redis 8.2)
  const R = (idBytes: Uint8Array | undefined, n: number) => 16 * n + 244 * (idBytes ? raxOfIds(idBytes).nodes : estimatedRaxNodes(n));
  // Exact tree when every name was kept by the parser, else the approximation by lengths below.
  const namesOf = (list: { name: Uint8Array | null; nameBytes: number }[]) =>
    list.every((x) => x.name !== null) ? A(RAX_STRUCT) + raxBytesOfKeys(list.map((x) => x.name!), A) : names(list.map((x) => x.nameBytes));
  const names = (lengths: number[]) => {
    if (lengths.length === 0) return A(RAX_STRUCT) + A(raxNodeBytes(0, 0, false));
    if (lengths.length === 1) return A(RAX_STRUCT) + A(raxNodeBytes(lengths[0]!, 1, false)) + A(raxNodeBytes(0, 0, true));
    let b = A(RAX_STRUCT) + A(raxNodeBytes(lengths.length, lengths.length, false));
    for (const len of lengths) b += (len > 1 ? A(raxNodeBytes(len - 1, 1, false)) : 0) + A(raxNodeBytes(0, 0, true));
    return b;
  };
  const nodeIds = ids?.nodes;
  const nodeCount = st?.nodes ?? sh.nodes?.count ?? 0;
  if (!st) return { encoding: 'stream', bytes: 80 + X(nodeIds, nodeCount) + lps, exact: false };

  let bytes: number;
  if (f === 'r82') {
    bytes = 112 + R(nodeIds, nodeCount) + lps;
    st.groupInfo.forEach((g, gi) => {
      const gIds = ids?.groups[gi];
      bytes += 40 + R(gIds?.pel, g.pending) + 32 * g.pending;
      g.consumerShapes.forEach((c, ci) => (bytes += 32 + c.nameBytes + R(gIds?.consumers[ci], c.pending)));
    });
    return { encoding: 'stream', bytes, exact };
  }
  if (f.startsWith('v')) {
    bytes = 80 + X(nodeIds, nodeCount) + lps;
    st.groupInfo.forEach((g, gi) => {
      const gIds = ids?.groups[gi];
      bytes += 40 + X(gIds?.pel, g.pending) + 24 * g.pending;
      g.consumerShapes.forEach((c, ci) => (bytes += 32 + c.nameBytes + X(gIds?.consumers[ci], c.pending)));
    });
    return { encoding: 'stream', bytes, exact };
  }

  // Redis 8.4+: names trees and a tree of every pending ID make these estimates
  exact = false;
  const T = (len: number) => trackedSdsBytes(len, s.sdsRule, A);
  const is86 = f === 'r86';
  const v88 = is86 && s.profile.version[1] >= 8;
  // the stream struct is charged as allocated, A(120) = 128 on 8.4
  bytes = A(is86 ? 160 : 120) + X(nodeIds, nodeCount) + lps;
  if (st.groupInfo.length > 0) bytes += namesOf(st.groupInfo);
  if (st.pending > 0) bytes += X(ids ? unionOfIds(ids.groups.map((g) => g.pel)) : undefined, st.pending);
  st.groupInfo.forEach((g, gi) => {
    const gIds = ids?.groups[gi];
    bytes += (is86 ? (v88 ? 64 : 56) : 48) + X(gIds?.pel, g.pending) + (is86 ? 64 : 32) * g.pending;
    if (!is86) bytes += byTime(gIds?.pel, g.pending);
    bytes += namesOf(g.consumerShapes);
    g.consumerShapes.forEach((c, ci) => (bytes += 32 + T(c.nameBytes) + X(gIds?.consumers[ci], c.pending)));
  });
  if (is86 && st.idmp) {
    // IDMP (§9.7.6): per producer holding iids 24 + Σ A(32 + len(iid)); 8.8 also a tree of producer ids.
    const shapes = st.idmp.producerShapes;
    const complete = shapes.length === st.idmp.producers;
    if (complete) for (const p of shapes) bytes += 24 + p.iidLengths.reduce((sum, len) => sum + A(32 + len), 0);
    else bytes += 24 * st.idmp.producers + st.idmp.iidsTracked * A(32 + 16);
    if (v88 && st.idmp.producers > 0) {
      bytes += complete && shapes.every((p) => p.id !== null)
        ? A(RAX_STRUCT) + raxBytesOfKeys(shapes.map((p) => p.id!), A)
        : names(new Array<number>(st.idmp.producers).fill(8));
    }
  }
  return { encoding: 'stream', bytes, exact };
}

/** Sorted union of several ascending lists of 16-byte IDs. */
function unionOfIds(lists: Uint8Array[]): Uint8Array {
  const all: string[] = [];
  for (const l of lists) for (let i = 0; i + 16 <= l.length; i += 16) all.push(Buffer.from(l.subarray(i, i + 16)).toString('hex'));
  const uniq = [...new Set(all)].sort();
  const out = new Uint8Array(uniq.length * 16);
  uniq.forEach((h, i) => out.set(Buffer.from(h, 'hex'), i * 16));
  return out;
}

export { RaxShape };
