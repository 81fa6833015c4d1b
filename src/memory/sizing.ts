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
  };
}
