/**
 * Node count of a Redis radix tree (rax) holding a set of keys (rdb-format.md §9.7.8 "Radix trees").
 *
 * The tree is canonical for its key set: a compressed node covers a run where all keys agree, a
 * branching node sits where they differ, and each branch continues one byte further. In terms of
 * the compacted trie (leaves + branching points) that is
 *   leaves + non-root branching points + 1 root node
 *   + 1 compressed node per edge out of a branching point that spans more than one byte
 * (when the root has a single child, the root itself is the compressed node spanning that edge).
 * Fed keys in ascending order (stream node keys and PELs are saved in rax order, §6.1), the count
 * needs only the previous key and the branching depths on the rightmost path (LCP-interval stack).
 * Keys must be distinct and none a prefix of another (true for 16-byte stream IDs).
 */
export class RaxNodeCounter {
  private prev: Uint8Array | null = null;
  /** Depths of open branching points on the rightmost path, increasing, above the root. */
  private stack: number[] = [];
  private rootChildren = 0;
  private rootLongEdges = 0;
  private branching = 0;
  private longEdges = 0;
  keys = 0;

  /** Adds the next key in ascending order. */
  add(key: Uint8Array): void {
    this.keys++;
    const prev = this.prev;
    this.prev = key;
    if (prev === null) return;
    const h = commonPrefix(prev, key);
    let last = prev.length; // the previous key's leaf is complete now
    while (this.stack.length > 0 && h < this.top()) last = this.close(last);
    if (h > 0 && h !== this.top()) this.stack.push(h);
    this.attach(last);
  }

  /** Rax nodes for the keys added so far (an empty rax has 1 node). */
  get nodes(): number {
    if (this.prev === null) return 1;
    const saved = { stack: [...this.stack], rc: this.rootChildren, rl: this.rootLongEdges, b: this.branching, l: this.longEdges };
    let last = this.prev.length;
    while (this.stack.length > 0) last = this.close(last);
    this.attach(last);
    const n = this.keys + this.branching + 1 + this.longEdges + (this.rootChildren >= 2 ? this.rootLongEdges : 0);
    this.stack = saved.stack;
    this.rootChildren = saved.rc;
    this.rootLongEdges = saved.rl;
    this.branching = saved.b;
    this.longEdges = saved.l;
    return n;
  }

  private top(): number {
    return this.stack.length > 0 ? this.stack[this.stack.length - 1]! : 0;
  }

  /** Pops the deepest open branching point after giving it its last child; returns its depth. */
  private close(lastChild: number): number {
    this.attach(lastChild);
    this.branching++;
    return this.stack.pop()!;
  }

  /** Hangs a completed node at depth `child` under the current top of the path. */
  private attach(child: number): void {
    const parent = this.top();
    if (this.stack.length === 0) {
      this.rootChildren++;
      if (child >= 2) this.rootLongEdges++;
    } else if (child - parent >= 2) {
      this.longEdges++;
    }
  }
}

function commonPrefix(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** Rax nodes for `ids`, 16-byte stream IDs concatenated in ascending order. */
export function raxNodesOfIds(ids: Uint8Array): number {
  const c = new RaxNodeCounter();
  for (let i = 0; i + 16 <= ids.length; i += 16) c.add(ids.subarray(i, i + 16));
  return c.nodes;
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
