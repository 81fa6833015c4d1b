/**
 * Skiplist node levels are random (`zslRandomLevel`: P(level ≥ k) = 0.25^(k−1), capped at 32), so a
 * node's allocation A(base + 16·level) can only be predicted in expectation (rdb-format.md §9.3,
 * §9.7.1 ℓ). Keys whose size depends on it are reported as estimates.
 */
import { jemallocSize } from './jemalloc.js';

const MAX_LEVEL = 32;

/** E[A(base + 16·ℓ)] over the level distribution. */
export function expectedNodeAlloc(base: number, quantum: 8 | 16): number {
  let e = 0;
  for (let k = 1; k <= MAX_LEVEL; k++) {
    const p = k === MAX_LEVEL ? 0.25 ** (k - 1) : 0.75 * 0.25 ** (k - 1);
    e += p * jemallocSize(base + 16 * k, quantum);
  }
  return e;
}

/** The header node always has 32 levels: A(24 + 16·32) = 640 with either quantum. */
export function headerNodeAlloc(base: number, quantum: 8 | 16): number {
  return jemallocSize(base + 16 * MAX_LEVEL, quantum);
}
