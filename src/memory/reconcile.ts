/**
 * Reconciliation with the dump's `used-mem` AUX field (issue 6): how much of what the server had
 * allocated when it wrote the file the model explains. `used-mem` is `zmalloc_used_memory()` at save
 * time: the usable size of every live allocation, without fragmentation. It is made of
 *   - the keys: Σ of the per-key estimates (what MEMORY USAGE SAMPLES 0 answers, §9.1);
 *   - the keyspace: dict bucket arrays and expires entries, which no key is charged for
 *     (keyspace.ts);
 *   - the server itself: what an empty server holds (shared objects, the 16 empty dbs, the command
 *     table, Lua, one client's buffers...), `EMPTY_SERVER_BYTES`.
 * What stays unexplained is live-server state the file does not show: more clients and their
 * buffers, a replication backlog, the AOF rewrite buffer, dicts caught mid-rehash, stream nodes
 * preallocated by a running server. A server restarted on its dump (or after DEBUG RELOAD) has
 * none of that, and there the three terms explain ≥ 97 % of `used-mem`
 * (test/memory/reconciliation.test.ts, bench/results/memory-accuracy.md).
 */
import type { KeyRecord } from '../core/record.js';
import { jemallocSize } from './jemalloc.js';
import { keyspaceOverhead, type KeyspaceOverhead } from './keyspace.js';
import { atLeast, type ServerProfile } from './profile.js';
import { estimatedRaxNodes, raxNodeBytes, raxOfIds } from './rax.js';
import { sdsBytes } from './sds.js';

/**
 * `used-mem` of an empty server answering SAVE on its one client connection, measured on Debian's
 * redis-server 7.0.15 (jemalloc 5.3, quantum 16): 964,104 bytes, the same on every start (INFO
 * used_memory reads 939,600 just before; the SAVE reply path adds the rest). Dumps of nearly
 * empty servers in shared/corpus show 0.83–1.3 MB across Redis 3.2–8.8 and Valkey, so this one
 * figure stands for every family; it matters only for small dumps (< 1 % beyond ~100 MB).
 */
export const EMPTY_SERVER_BYTES = 964_104;

export interface ReconcileInput {
  /** `used-mem` when known; otherwise read from `aux`. */
  usedMem?: number | null;
  aux?: readonly { key: string; value: string }[];
  /** Keys and volatile keys per db as loaded (preferred); otherwise the RESIZEDB hints. */
  perDb?: readonly { keys: number; expires: number }[];
  resizeDb?: readonly { db: number; keys: number; expires: number }[];
  /** Σ `allocationGap` over the keys: what they hold beyond what MEMORY USAGE charges them. */
  allocationGapBytes?: number;
}

export interface Reconciliation {
  /** Σ per-key estimates. */
  keysBytes: number;
  /** Σ allocationGap (input, default 0). */
  allocationGapBytes: number;
  /** Dict buckets and expires entries (`keyspaceOverhead`). */
  keyspaceBytes: number;
  /** The empty server. */
  baselineBytes: number;
  explainedBytes: number;
  /** The dump's `used-mem`, null when the file has none. */
  usedMem: number | null;
  /** explainedBytes / usedMem, null without `used-mem`. */
  shareExplained: number | null;
  keyspace: KeyspaceOverhead;
}

export function reconcile(input: ReconcileInput, keysBytes: number, profile: ServerProfile): Reconciliation {
  let usedMem = input.usedMem ?? null;
  if (usedMem === null && input.aux) {
    const v = input.aux.find((a) => a.key === 'used-mem')?.value;
    if (v !== undefined && /^\d+$/.test(v.trim())) usedMem = Number(v.trim());
  }
  const perDb = input.perDb ?? input.resizeDb ?? [];
  const keyspace = keyspaceOverhead(perDb, profile);
  const baselineBytes = EMPTY_SERVER_BYTES;
  const allocationGapBytes = input.allocationGapBytes ?? 0;
  const explainedBytes = keysBytes + allocationGapBytes + keyspace.bytes + baselineBytes;
  return {
    keysBytes,
    allocationGapBytes,
    keyspaceBytes: keyspace.bytes,
    baselineBytes,
    explainedBytes,
    usedMem,
    shareExplained: usedMem && usedMem > 0 ? explainedBytes / usedMem : null,
    keyspace,
  };
}

/**
 * Bytes a loaded key really holds minus what MEMORY USAGE (and so the estimate) charges it, where
 * the two are known to differ on Redis 7.0–8.2 and Valkey 8.0 (the `dict`-based releases):
 *   - streams: `streamRadixTreeMemoryUsage` charges 16 per element + 244 per radix node, about
 *     five times what the nodes take; the real trees are A(24) + Σ A(node) (§9.7.8 "Radix trees",
 *     from the stream IDs), and the group / consumer name trees are not charged at all;
 *   - quantum-16 builds (§9.2): `sizeof(dictEntry)`, `sizeof(dict)`, `sizeof(quicklistNode)`, ...
 *     are charged as struct sizes, allocated as A(size): 8 more bytes for each 24- and 40-byte
 *     struct, 8 for a 56-byte dict.
 * Redis 8.4+ and Valkey 8.1+ charge allocations (kvobjAllocSize, raxAllocSize): 0 there.
 * `encoding` is the estimate's (what the loaded key is).
 */
export function allocationGap(rec: KeyRecord, encoding: string, profile: ServerProfile): number {
  const charges = profile.family === 'redis' ? !atLeast(profile, 8, 4) : !atLeast(profile, 8, 1);
  // Only streams and quantum-16 structs leave a gap: return before building helpers (runs per key).
  if (!charges || (rec.type !== 'stream' && profile.quantum !== 16)) return 0;
  const A = (n: number) => jemallocSize(n, profile.quantum);
  const slack = (size: number, count: number) => (A(size) - size) * count;
  let gap = 0;
  if (rec.type === 'stream' && rec.stream) gap += streamGap(rec, atLeast(profile, 7, 2) ? 32 : 24, A, slack);
  if (profile.quantum === 16) {
    const n = rec.elements;
    if (encoding === 'hashtable') gap += slack(56, 1) + slack(24, n); // dict + entries
    else if (encoding === 'skiplist') gap += slack(56, 1) + slack(24, n) + slack(32, 1) + slack(16, 1); // + zskiplist, zset
    else if (encoding === 'quicklist') gap += slack(40, 1) + slack(40, (rec.shape.nodes?.count ?? 0) + (rec.shape.plainNodes?.count ?? 0));
  }
  return gap;
}

function streamGap(rec: KeyRecord, consumerStruct: number, A: (n: number) => number, slack: (size: number, count: number) => number): number {
  const st = rec.stream!;
  const ids = rec.shape.streamIds;
  // real tree: rax struct (24 bytes up to 8.2) + node allocations; charged: 16·n + 244·nodes
  const tree = (idBytes: Uint8Array | undefined, n: number) => {
    if (!idBytes) return A(24) + (estimatedRaxNodes(n) - n) * A(raxNodeBytes(8, 1, false)) + (n > 0 ? n * A(raxNodeBytes(0, 0, true)) : A(raxNodeBytes(0, 0, false))) - 16 * n - 244 * estimatedRaxNodes(n);
    const r = raxOfIds(idBytes, A);
    return A(24) + r.nodeBytes - 16 * n - 244 * r.nodes;
  };
  // trees keyed by names (groups of a stream, consumers of a group): root + one run + leaf per name
  const names = (lengths: number[]) => {
    let b = A(24);
    if (lengths.length === 0) return b + A(raxNodeBytes(0, 0, false));
    if (lengths.length === 1) return b + A(raxNodeBytes(lengths[0]!, 1, false)) + A(raxNodeBytes(0, 0, true));
    b += A(raxNodeBytes(lengths.length, lengths.length, false));
    for (const len of lengths) b += (len > 1 ? A(raxNodeBytes(len - 1, 1, false)) : 0) + A(raxNodeBytes(0, 0, true));
    return b;
  };
  let gap = tree(ids?.nodes, st.nodes);
  if (st.groups > 0) gap += names(st.groupInfo.map((g) => g.nameBytes));
  st.groupInfo.forEach((g, gi) => {
    const gIds = ids?.groups[gi];
    gap += tree(gIds?.pel, g.pending) + slack(40, 1) + slack(24, g.pending);
    gap += names(g.consumerShapes.map((c) => c.nameBytes));
    g.consumerShapes.forEach((c, ci) => {
      // consumer struct + its name sds, charged as struct + name length
      gap += A(consumerStruct) - consumerStruct + A(sdsBytes(c.nameBytes, 'classic')) - c.nameBytes + tree(gIds?.consumers[ci], c.pending);
    });
  });
  return gap;
}
