/**
 * Counts of element lengths, bounded in memory whatever the number of elements.
 *
 * The memory model needs Σ f(len) over the elements of hash-table encoded values, where f is a
 * step function (allocator size classes). Keeping every length would grow with the key; a map of
 * length → count is exact while few distinct lengths occur (the usual case) and, past
 * MAX_DISTINCT, lengths are rounded up to a step that keeps the error below 1/16 of the length
 * (finer than jemalloc's own spacing of 1/4 between classes above 64 bytes).
 */
const MAX_DISTINCT = 1024;

/** Distinct lengths kept in one small array before a Map is worth its allocation. */
const SMALL = 12;

export class SizeHistogram {
  // Most values have few distinct lengths: [length, count, length, count, ...] in one array made on
  // the first add (one allocation, none for a histogram never added to), searched linearly; then a Map.
  private pairs: number[] | null = null;
  private counts: Map<number, number> | null = null;
  private coarse = false;
  count = 0;
  total = 0;
  max = 0;

  add(len: number, times = 1): void {
    this.count += times;
    this.total += len * times;
    if (len > this.max) this.max = len;
    const k = this.bucket(len);
    const m = this.counts;
    if (m === null) {
      const pairs = this.pairs;
      if (pairs === null) {
        this.pairs = [k, times];
        return;
      }
      for (let i = 0; i < pairs.length; i += 2) {
        if (pairs[i] === k) {
          pairs[i + 1]! += times;
          return;
        }
      }
      if (pairs.length < 2 * SMALL) {
        pairs.push(k, times);
        return;
      }
      const map = new Map<number, number>();
      for (let i = 0; i < pairs.length; i += 2) map.set(pairs[i]!, pairs[i + 1]!);
      this.counts = map;
      this.pairs = null;
    }
    const map = this.counts!;
    map.set(k, (map.get(k) ?? 0) + times);
    if (map.size > MAX_DISTINCT) this.coarsen();
  }

  /** [length, count] pairs; lengths are exact, or rounded up once the histogram is coarse. */
  entries(): IterableIterator<[number, number]> {
    if (this.counts !== null) return this.counts.entries();
    const pairs = this.pairs ?? [];
    const out: [number, number][] = [];
    for (let i = 0; i < pairs.length; i += 2) out.push([pairs[i]!, pairs[i + 1]!]);
    return out[Symbol.iterator]();
  }

  get distinct(): number {
    return this.counts !== null ? this.counts.size : (this.pairs?.length ?? 0) / 2;
  }

  get exact(): boolean {
    return !this.coarse;
  }

  /** Σ f(len)·count over the histogram. */
  sum(f: (len: number) => number): number {
    let s = 0;
    if (this.counts === null) {
      const pairs = this.pairs ?? [];
      for (let i = 0; i < pairs.length; i += 2) s += f(pairs[i]!) * pairs[i + 1]!;
      return s;
    }
    for (const [len, n] of this.counts) s += f(len) * n;
    return s;
  }

  toJSON(): { count: number; total: number; max: number; lengths: [number, number][] } {
    return { count: this.count, total: this.total, max: this.max, lengths: [...this.entries()] };
  }

  private bucket(len: number): number {
    if (!this.coarse || len < 64) return len;
    // Keep the leading bit and the 4 bits below it, round the rest up: < 1/16 relative error and
    // at most 64 + 27·16 distinct buckets for any 32-bit length, so one coarsening is enough.
    const shift = 32 - Math.clz32(len) - 5;
    const step = 2 ** shift;
    return Math.ceil(len / step) * step;
  }

  private coarsen(): void {
    this.coarse = true;
    const old = this.counts!;
    this.counts = new Map();
    for (const [len, n] of old) {
      const k = this.bucket(len);
      this.counts.set(k, (this.counts.get(k) ?? 0) + n);
    }
  }
}
