/**
 * Bucket counts of Redis dicts after an RDB load (rdb-format.md §9.4 "buckets", §9.7.8 "dict growth").
 * MEMORY USAGE charges 8 bytes per bucket of both tables when a dict is caught mid-rehash.
 */

/** B(n): next power of two ≥ n, minimum 4 (`_dictNextExp`): the size of a dict pre-sized at load. */
export function presizedBuckets(n: number): number {
  if (n <= 4) return 4;
  return 2 ** Math.ceil(Math.log2(n));
}

/**
 * Expected number of non-empty buckets when `used` keys hash into `size` buckets: the rehash of
 * that table takes one insert per non-empty bucket (`_dictRehashStep` moves one bucket per add).
 */
function nonEmptyBuckets(size: number, used: number): number {
  return Math.ceil(size * (1 - (1 - 1 / size) ** used));
}

/** A dict being filled by `dictAdd`, following the growth and incremental-rehash rules of `dict.c`. */
export class GrowingDict {
  private size0 = 0;
  private size1 = 0; // > 0 while rehashing into a new table
  private stepsLeft = 0;
  used = 0;

  /** `dictExpand` / `dictTryExpand(n)`: refused when rehashing, when n < used or the size would not change. */
  expand(n: number): void {
    if (this.size1 > 0 || n < this.used) return;
    const size = presizedBuckets(n);
    if (size === this.size0) return;
    if (this.size0 === 0 || this.used === 0) {
      this.size0 = size; // nothing to move: the new table replaces the empty one
      return;
    }
    this.size1 = size;
    this.stepsLeft = nonEmptyBuckets(this.size0, this.used);
  }

  /** `count` dictAdd calls: each first does one rehash step, then grows the table if it is full. */
  add(count: number): void {
    let left = count;
    while (left > 0) {
      if (this.size1 > 0) {
        const k = Math.min(left, this.stepsLeft);
        this.stepsLeft -= k;
        this.used += k;
        left -= k;
        if (this.stepsLeft === 0) {
          this.size0 = this.size1;
          this.size1 = 0;
        }
        continue;
      }
      if (this.size0 === 0) {
        this.size0 = 4;
        continue;
      }
      if (this.used >= this.size0) {
        this.expand(this.used + 1);
        this.used += 1; // this insert goes to the new table without a rehash step
        left -= 1;
        continue;
      }
      const k = Math.min(left, this.size0 - this.used);
      this.used += k;
      left -= k;
    }
  }

  /** Buckets MEMORY USAGE counts: both tables while rehashing. */
  get buckets(): number {
    return this.size0 + this.size1;
  }
}
