import { describe, expect, it } from 'vitest';
import { RaxShape, raxNodesOfIds } from '../../src/memory/rax.js';

/**
 * The recursive construction of rdb-format.md §9.7.8 "Radix trees", written independently of the
 * streaming counter: all keys end here → leaf; one next-byte group → compressed node up to where
 * keys differ; several → branching node + recurse one byte further in each group.
 */
function recursiveNodes(keys: Uint8Array[], pos: number): number {
  if (keys.every((k) => k.length === pos)) return 1;
  const groups = new Map<number, Uint8Array[]>();
  for (const k of keys) groups.set(k[pos]!, [...(groups.get(k[pos]!) ?? []), k]);
  if (groups.size === 1) {
    let q = pos + 1;
    while (keys.every((k) => k.length > q) && keys.every((k) => k[q] === keys[0]![q])) q++;
    return 1 + recursiveNodes(keys, q);
  }
  let n = 1;
  for (const g of groups.values()) n += recursiveNodes(g, pos + 1);
  return n;
}

function id(ms: number, seq: number): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, BigInt(ms));
  v.setBigUint64(8, BigInt(seq));
  return b;
}

function count(keys: Uint8Array[]): number {
  const c = new RaxShape();
  for (const k of keys) c.add(k);
  return c.nodes;
}

describe('radix tree node count', () => {
  it('empty → 1, one key → 2, two 16-byte keys differing at byte 8 → 6 (§9.4)', () => {
    expect(count([])).toBe(1);
    expect(count([id(5, 0)])).toBe(2);
    expect(count([id(5, 0), id(6, 0)])).toBe(6);
  });

  it('matches the recursive construction on random ascending ID sets', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let t = 0; t < 300; t++) {
      const n = Math.floor(rnd() * 40);
      const set = new Map<string, Uint8Array>();
      let ms = 1_700_000_000_000 + Math.floor(rnd() * 1e9);
      for (let i = 0; i < n; i++) {
        ms += Math.floor(rnd() * (rnd() < 0.5 ? 3 : 100_000));
        const k = id(ms, Math.floor(rnd() * 3));
        set.set(Buffer.from(k).toString('hex'), k);
      }
      const keys = [...set.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, k]) => k);
      const expected = keys.length === 0 ? 1 : recursiveNodes(keys, 0);
      expect(count(keys)).toBe(expected);
    }
  });

  it('reads concatenated IDs', () => {
    const cat = new Uint8Array(32);
    cat.set(id(5, 0), 0);
    cat.set(id(6, 0), 16);
    expect(raxNodesOfIds(cat)).toBe(6);
  });
});
