/**
 * T(len), what Redis 8.4+ charges for a separately allocated sds (`sdsAllocSize`, R:sds.c): used
 * bytes for a type-5 sds (no alloc field), the allocation for every other type; an empty sds is
 * promoted to type 8 by `sdsnewlen`, so it is charged its allocation, A(3 + 0 + 1) = 8.
 */
import { describe, expect, it } from 'vitest';
import { jemallocSize } from '../../src/memory/jemalloc.js';
import { trackedSdsBytes } from '../../src/memory/sds.js';
import { expectedChained } from '../../src/memory/valkey80.js';

const A = (n: number) => jemallocSize(n, 8);

describe('tracked sds size T(len)', () => {
  it('empty: a type-8 header, charged as allocated', () => {
    expect(trackedSdsBytes(0, 'alloc-fit', A)).toBe(8);
  });
  it('1..31 bytes: type 5, used bytes (1 + len + 1)', () => {
    expect(trackedSdsBytes(1, 'alloc-fit', A)).toBe(3);
    expect(trackedSdsBytes(31, 'alloc-fit', A)).toBe(33);
  });
  it('32 bytes and more: allocation class of header + len + 1', () => {
    expect(trackedSdsBytes(32, 'alloc-fit', A)).toBe(40); // A(36)
    expect(trackedSdsBytes(253, 'alloc-fit', A)).toBe(320); // type 16 from 253 (alloc-fit): A(259)
  });
});

describe('Valkey 8.0 set dict: members chained behind an occupied bucket', () => {
  it('is n minus the expected number of non-empty buckets', () => {
    expect(expectedChained(1, 4)).toBe(0);
    expect(expectedChained(2, 4)).toBeCloseTo(2 - 4 * (1 - 0.75 ** 2), 12); // 0.25
    expect(expectedChained(1024, 1024)).toBeCloseTo(1024 / Math.E, 0);
  });
});
