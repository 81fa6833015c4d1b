/**
 * Shape of a Redis radix tree (rax) holding a set of keys (rdb-format.md §9.7.8 "Radix trees"):
 * node count (what `streamRadixTreeMemoryUsage` multiplies by 244 up to 8.2) and the allocation of
 * every node (what Redis 8.4+ and Valkey `raxAllocSize` add up).
 *
 * The tree is canonical for its key set: a compressed node covers a run where all keys agree, a
 * branching node sits where they differ, and each branch continues one byte further. In terms of
 * the compacted trie (leaves + branching points):
 *   leaves + non-root branching points + 1 root node
 *   + 1 compressed node per edge out of a branching point that spans more than one byte
 * (when the root has a single child, the root itself is the compressed node spanning that edge).
 * Fed keys in ascending order (stream node keys and PELs are saved in rax order, §6.1), this needs
 * only the previous key and the branching points on the rightmost path (LCP-interval stack).
 * Keys must be distinct and none a prefix of another (true for fixed-size stream IDs).
 */

/** raxNode: 4-byte header + c bytes + padding to 8 + child pointers + value pointer (§9.7.8). */
export function raxNodeBytes(c: number, children: number, hasValue: boolean): number {
  const pad = (8 - ((c + 4) % 8)) % 8;
  return 4 + c + pad + 8 * children + (hasValue ? 8 : 0);
}

interface Open {
  depth: number;
  children: number;
}

export class RaxShape {
  private prev: Uint8Array | null = null;
  private stack: Open[] = [];
  private rootChildDepths: number[] = [];
  private count = 0;
  private bytes = 0;
  keys = 0;

  /**
   * `alloc` rounds a node's size to its allocation (identity to count raw bytes); `leafValue`:
   * whether the keys carry a value pointer (a key inserted with NULL data has none, `raxInsert`).
   */
  constructor(
    private readonly alloc: (n: number) => number = (n) => n,
    private readonly leafValue = true,
  ) {}

  /** Adds the next key in ascending order. */
  add(key: Uint8Array): void {
    this.keys++;
    const prev = this.prev;
    this.prev = key;
    if (prev === null) return;
    const h = commonPrefix(prev, key);
    let last = prev.length; // the previous key's leaf is complete now
    while (this.stack.length > 0 && h < this.top()) last = this.close(last);
    if (h > 0 && h !== this.top()) this.stack.push({ depth: h, children: 0 });
    this.attach(last);
  }

  /** Number of rax nodes (an empty rax has its root only). */
  get nodes(): number {
    return this.finish().nodes;
  }

  /** Σ alloc(node size) over all nodes, without the rax struct. */
  get nodeBytes(): number {
    return this.finish().bytes;
  }

  private finish(): { nodes: number; bytes: number } {
    if (this.prev === null) return { nodes: 1, bytes: this.alloc(raxNodeBytes(0, 0, false)) };
    const saved = { stack: this.stack.map((o) => ({ ...o })), root: [...this.rootChildDepths], count: this.count, bytes: this.bytes };
    let last = this.prev.length;
    while (this.stack.length > 0) last = this.close(last);
    this.attach(last);
    const leaves = this.keys;
    let nodes = this.count + leaves + 1;
    let bytes = this.bytes + leaves * this.alloc(raxNodeBytes(0, 0, this.leafValue));
    const roots = this.rootChildDepths;
    if (roots.length === 1) {
      bytes += this.alloc(raxNodeBytes(roots[0]!, 1, false));
    } else {
      bytes += this.alloc(raxNodeBytes(roots.length, roots.length, false));
      for (const d of roots) {
        if (d >= 2) {
          nodes++;
          bytes += this.alloc(raxNodeBytes(d - 1, 1, false));
        }
      }
    }
    this.stack = saved.stack;
    this.rootChildDepths = saved.root;
    this.count = saved.count;
    this.bytes = saved.bytes;
    return { nodes, bytes };
  }

  private top(): number {
    return this.stack.length > 0 ? this.stack[this.stack.length - 1]!.depth : 0;
  }

  /** Pops the deepest open branching point after giving it its last child; returns its depth. */
  private close(lastChild: number): number {
    this.attach(lastChild);
    const b = this.stack.pop()!;
    this.count++;
    this.bytes += this.alloc(raxNodeBytes(b.children, b.children, false));
    return b.depth;
  }

  /** Hangs a completed node at depth `child` under the current top of the path. */
  private attach(child: number): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined) {
      this.rootChildDepths.push(child);
      return;
    }
    parent.children++;
    const edge = child - parent.depth;
    if (edge >= 2) {
      this.count++;
      this.bytes += this.alloc(raxNodeBytes(edge - 1, 1, false));
    }
  }
}

function commonPrefix(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** Shape of the rax of `ids`, 16-byte stream IDs concatenated in ascending order. */
export function raxOfIds(ids: Uint8Array, alloc?: (n: number) => number): RaxShape {
  const r = new RaxShape(alloc);
  for (let i = 0; i + 16 <= ids.length; i += 16) r.add(ids.subarray(i, i + 16));
  return r;
}

/**
 * Shape of a PEL-by-delivery-time tree (Redis 8.4 `streamCG.pel_by_time`): 24-byte keys, the
 * delivery time in ms (big-endian) then the stream ID, no values. The file keeps every delivery
 * time but the parser keeps the IDs only, so all entries are taken as delivered in one
 * millisecond (a batch read by one XREADGROUP): the time becomes an 8-byte common prefix.
 */
export function raxOfTimedIds(ids: Uint8Array, alloc?: (n: number) => number): RaxShape {
  const r = new RaxShape(alloc, false);
  const key = new Uint8Array(24);
  for (let i = 0; i + 16 <= ids.length; i += 16) {
    key.set(ids.subarray(i, i + 16), 8);
    r.add(key.slice());
  }
  return r;
}

export function raxNodesOfIds(ids: Uint8Array): number {
  return raxOfIds(ids).nodes;
}

/**
 * Node count when only the number of stream IDs is known: ≈ 2·n + 2 for increasing IDs
 * (§9.4: 1→2, 2→6, 10→22, 100→202, 1000→2006), 1 for an empty tree.
 */
export function estimatedRaxNodes(n: number): number {
  if (n === 0) return 1;
  if (n === 1) return 2;
  return 2 * n + 2;
}

/**
 * Allocated bytes of the nodes of a radix tree holding an arbitrary small set of keys (names:
 * groups, consumers, producers), built by the recursive rule of rdb-format.md §9.7.8: at each
 * position a leaf when no key continues; one compressed node up to the first byte where a key ends
 * or two keys differ when all continue alike; else a branching node with one child per next byte.
 * Keys may be prefixes of one another. `hasValue`: whether keys carry a value pointer.
 */
export function raxBytesOfKeys(keys: Uint8Array[], alloc: (n: number) => number, hasValue = true): number {
  const uniq = dedupe(keys);
  if (uniq.length === 0) return alloc(raxNodeBytes(0, 0, false));
  return nodeAt(uniq, 0, alloc, hasValue);
}

function nodeAt(keys: Uint8Array[], depth: number, alloc: (n: number) => number, hasValue: boolean): number {
  const endsHere = keys.some((k) => k.length === depth);
  const value = endsHere && hasValue;
  const rest = keys.filter((k) => k.length > depth);
  if (rest.length === 0) return alloc(raxNodeBytes(0, 0, value));
  const groups = new Map<number, Uint8Array[]>();
  for (const k of rest) {
    const b = k[depth]!;
    const g = groups.get(b);
    if (g) g.push(k);
    else groups.set(b, [k]);
  }
  if (groups.size === 1) {
    let end = depth + 1;
    for (;;) {
      if (rest.some((k) => k.length === end)) break;
      const b = rest[0]![end]!;
      if (!rest.every((k) => k[end] === b)) break;
      end++;
    }
    return alloc(raxNodeBytes(end - depth, 1, value)) + nodeAt(rest, end, alloc, hasValue);
  }
  let bytes = alloc(raxNodeBytes(groups.size, groups.size, value));
  for (const g of groups.values()) bytes += nodeAt(g, depth + 1, alloc, hasValue);
  return bytes;
}

function dedupe(keys: Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  const out: Uint8Array[] = [];
  for (const k of keys) {
    const h = Buffer.from(k.buffer, k.byteOffset, k.byteLength).toString('latin1');
    if (!seen.has(h)) {
      seen.add(h);
      out.push(k);
    }
  }
  return out;
}
