/** Allocation helpers bound to one profile (rdb-format.md §9.2 A(n), §9.7.1 Z(len)). */
import type { SizeHistogram } from '../core/size-histogram.js';
import { jemallocSize } from './jemalloc.js';
import type { ServerProfile } from './profile.js';
import { atLeast } from './profile.js';
import { sdsBytes, type SdsRule } from './sds.js';

export interface Sizing {
  profile: ServerProfile;
  sdsRule: SdsRule;
  /** A(n): jemalloc usable size. */
  A(n: number): number;
  /** Z(len): allocated sds of `len` bytes. */
  Z(len: number): number;
  /** Σ f(len) over a histogram, 0 when it is absent. */
  sum(h: SizeHistogram | undefined, f: (len: number) => number): number;
  /**
   * Σ f(len) over `n` elements described by `h`: exact when the histogram holds n lengths; scaled to
   * n when it holds a different count; n·f(fallback) without one.
   */
  over(h: SizeHistogram | undefined, n: number, f: (len: number) => number, fallback: number): { bytes: number; exact: boolean };
}

export function sizingFor(profile: ServerProfile): Sizing {
  const q = profile.quantum;
  const newSds = (profile.family === 'redis' && atLeast(profile, 8, 2)) || (profile.family === 'valkey' && atLeast(profile, 8, 1));
  const sdsRule: SdsRule = newSds ? 'alloc-fit' : 'classic';
  const A = (n: number) => jemallocSize(n, q);
  return {
    profile,
    sdsRule,
    A,
    Z: (len) => A(sdsBytes(len, sdsRule)),
    sum: (h, f) => (h ? h.sum(f) : 0),
    over: (h, n, f, fallback) => {
      if (!h || h.count === 0) return { bytes: n * f(fallback), exact: n === 0 };
      const sum = h.sum(f);
      if (h.count === n) return { bytes: sum, exact: h.exact };
      return { bytes: (sum * n) / h.count, exact: false };
    },
  };
}
