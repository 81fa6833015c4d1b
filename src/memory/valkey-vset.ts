/**
 * Valkey 9 index of a hash's volatile fields, the `vset` (V@9.1.0:vset.c; rdb-format.md §9.7.5 V),
 * rebuilt from the fields' expiry times in the order the load adds them (file order, `rdbLoadObject`
 * RDB_TYPE_HASH_2). What `vsetMemUsage` then reports:
 *   - up to 127 fields: nothing for one, else one sorted pointer vector (`pVector`: 8-byte header +
 *     8 per entry, grown with `zrealloc_usable`, so its allocation class);
 *   - the 128th field turns it into a radix tree of time buckets keyed by 8-byte big-endian window
 *     ends (`insertToBucket_RAX`): a field goes to the first bucket whose key is above its expiry
 *     unless that key lies beyond the field's 8192 ms window (`get_max_bucket_ts`), else to a new
 *     one-entry bucket keyed by that window's end. A bucket holds one entry, a vector, or, once a
 *     full vector (127) cannot be split, a hashtable. A full vector is first re-keyed to the 16 ms
 *     window of its latest entry (`get_bucket_ts`) when that is below its key, else split where
 *     two neighbours fall in different 16 ms windows, searching outwards from the middle
 *     (`findSplitPosition`), the lower half keyed by its last entry's window end.
 * Memory = the tree (`raxAllocSize`: struct + nodes) + every vector's allocation + every
 * hashtable's size. A hashtable's buckets hold entries by pointer hash, random like any Valkey
 * table, so a vset holding one is an expectation.
 */
import { RaxShape } from './rax.js';
import { valkeyTableBytes } from './valkey-hashtable.js';

const VECTOR_MAX = 127;
const WINDOW_MIN = 16;
const WINDOW_MAX = 8192;
const RAX_STRUCT = 32;
const PVECTOR_HEADER = 8;

/** End of the aligned window of `w` ms holding `ms` (`get_bucket_ts` / `get_max_bucket_ts`). */
function windowEnd(ms: number, w: number): number {
  return Math.floor(ms / w) * w + w;
}

interface Bucket {
  kind: 'single' | 'vector' | 'hashtable';
  /** Expiry times of its entries; a vector is sorted only when split (pushes append). */
  times: number[];
  /** pVector allocation (`pv->alloc`). */
  alloc: number;
}

export interface VsetSize {
  bytes: number;
  /** False when a hashtable bucket (random layout) is part of it. */
  exact: boolean;
}

/**
 * `vsetMemUsage` after adding `expiries` in order. `A`: allocation size; `tableStruct`: the
 * hashtable struct of this release (hashtable buckets).
 */
export function vsetBytes(expiries: ArrayLike<number>, A: (n: number) => number, tableStruct: number): VsetSize {
  const v = new Vset(A);
  for (let i = 0; i < expiries.length; i++) v.add(expiries[i]!);
  return v.size(tableStruct);
}

class Vset {
  private top: 'none' | 'single' | 'vector' | 'rax' = 'none';
  /** The top-level vector (sorted: inserted at its position, `findInsertPosition`). */
  private vector: number[] = [];
  private vectorAlloc = 0;
  /** Radix-tree buckets, keys ascending. */
  private keys: number[] = [];
  private buckets: Bucket[] = [];

  constructor(private readonly A: (n: number) => number) {}

  add(ms: number): void {
    switch (this.top) {
      case 'none':
        this.top = 'single';
        this.vector = [ms];
        return;
      case 'single':
        this.top = 'vector';
        this.vector = this.vector[0]! < ms ? [this.vector[0]!, ms] : [ms, this.vector[0]!];
        this.vectorAlloc = PVECTOR_HEADER + 8 * 2; // pvNew(2): zmalloc of what is required
        return;
      case 'vector':
        if (this.vector.length < VECTOR_MAX) {
          this.vector.splice(firstAtOrAbove(this.vector, ms), 0, ms); // `findInsertPosition`
          this.vectorAlloc = this.grown(this.vectorAlloc, this.vector.length);
          return;
        }
        this.toRax();
        this.addToRax(ms);
        return;
      case 'rax':
        this.addToRax(ms);
    }
  }

  /** The full top-level vector becomes the first bucket, or its entries are spread over buckets. */
  private toRax(): void {
    const vec = this.vector;
    this.top = 'rax';
    if (windowEnd(vec[0]!, WINDOW_MAX) === windowEnd(vec[vec.length - 1]!, WINDOW_MAX)) {
      this.keys = [windowEnd(vec[vec.length - 1]!, WINDOW_MAX)];
      this.buckets = [{ kind: 'vector', times: vec, alloc: this.vectorAlloc }];
    } else {
      for (const t of vec) this.addToRax(t);
    }
    this.vector = [];
  }

  private addToRax(ms: number): void {
    for (;;) {
      const i = firstAbove(this.keys, ms);
      if (i === this.keys.length || this.keys[i]! > windowEnd(ms, WINDOW_MAX)) {
        this.insertBucket(windowEnd(ms, WINDOW_MAX), { kind: 'single', times: [ms], alloc: 0 });
        return;
      }
      const b = this.buckets[i]!;
      if (b.kind === 'single') {
        b.kind = 'vector';
        b.times.push(ms);
        b.alloc = PVECTOR_HEADER + 8 * 2;
        return;
      }
      if (b.kind === 'hashtable') {
        b.times.push(ms);
        return;
      }
      if (b.times.length < VECTOR_MAX) {
        b.times.push(ms);
        b.alloc = this.grown(b.alloc, b.times.length);
        return;
      }
      if (this.split(i)) continue; // the entry looks for its bucket again
      b.kind = 'hashtable';
      b.times.push(ms);
      b.alloc = 0;
      return;
    }
  }

  /** `splitBucketIfPossible` on the full vector at index i. */
  private split(i: number): boolean {
    const key = this.keys[i]!;
    const b = this.buckets[i]!;
    b.times.sort((x, y) => x - y);
    const lo = windowEnd(b.times[0]!, WINDOW_MIN);
    const hi = windowEnd(b.times[b.times.length - 1]!, WINDOW_MIN);
    if (hi < key) {
      this.keys.splice(i, 1);
      this.buckets.splice(i, 1);
      this.insertBucket(hi, b);
      return true;
    }
    if (lo === hi) return false;
    const at = splitPosition(b.times);
    const left: Bucket = { kind: 'vector', times: b.times.slice(0, at), alloc: this.A(PVECTOR_HEADER + 8 * at) };
    b.times = b.times.slice(at);
    b.alloc = this.A(PVECTOR_HEADER + 8 * b.times.length);
    this.insertBucket(windowEnd(left.times[at - 1]!, WINDOW_MIN), left);
    return true;
  }

  private insertBucket(key: number, b: Bucket): void {
    const i = firstAtOrAbove(this.keys, key);
    if (this.keys[i] === key) {
      this.buckets[i] = b; // raxInsert overwrites
      return;
    }
    this.keys.splice(i, 0, key);
    this.buckets.splice(i, 0, b);
  }

  /** `pvMakeRoomFor`: a vector of `len` entries grows to the allocation class of what it needs. */
  private grown(alloc: number, len: number): number {
    const required = PVECTOR_HEADER + 8 * len;
    return alloc >= required ? alloc : this.A(required);
  }

  size(tableStruct: number): VsetSize {
    if (this.top === 'none' || this.top === 'single') return { bytes: 0, exact: true };
    if (this.top === 'vector') return { bytes: this.vectorAlloc, exact: true };
    const A = this.A;
    const tree = new RaxShape(A);
    const key = new Uint8Array(8);
    const view = new DataView(key.buffer);
    for (const k of this.keys) {
      view.setBigUint64(0, BigInt(k));
      tree.add(key.slice());
    }
    let bytes = A(RAX_STRUCT) + tree.nodeBytes;
    let exact = true;
    for (const b of this.buckets) {
      if (b.kind === 'vector') bytes += b.alloc;
      else if (b.kind === 'hashtable') {
        bytes += valkeyTableBytes(b.times.length, tableStruct, 0);
        exact = false;
      }
    }
    return { bytes: Math.round(bytes), exact };
  }
}

/** `findSplitPosition`: from the middle outwards, the first i with window(t[i−1]) < window(t[i]). */
function splitPosition(t: number[]): number {
  const mid = t.length >> 1;
  const differs = (i: number) => windowEnd(t[i - 1]!, WINDOW_MIN) < windowEnd(t[i]!, WINDOW_MIN);
  for (let offset = 0; ; offset++) {
    const left = mid - offset;
    const right = mid + offset;
    if (left > 0 && differs(left)) return left;
    if (right > 0 && right < t.length && differs(right)) return right;
    if (mid - offset - 1 < 1 && mid + offset + 1 >= t.length) return t.length;
  }
}

/** Index of the first key > ms (the rax seek ">" of `findBucket`). */
function firstAbove(keys: number[], ms: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! > ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Index of the first key ≥ ms. */
function firstAtOrAbove(keys: number[], ms: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! >= ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
