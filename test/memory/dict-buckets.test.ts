import { describe, expect, it } from 'vitest';
import { GrowingDict, presizedBuckets } from '../../src/memory/dict-buckets.js';

describe('dict buckets after load (rdb-format.md §9.4, §9.7.8)', () => {
  it('pre-sized: next power of two ≥ n, minimum 4', () => {
    expect([0, 1, 4, 5, 8, 9, 600, 1024, 1025].map(presizedBuckets)).toEqual([4, 4, 4, 8, 8, 16, 1024, 1024, 2048]);
  });
  it('600 fields added one by one end mid-rehash: 512 + 1024 buckets (§9.7.8 example)', () => {
    const d = new GrowingDict();
    d.add(600);
    expect(d.buckets).toBe(512 + 1024);
  });
  it('a rehash finishes once every non-empty bucket of the old table has moved', () => {
    // 512 keys in 512 buckets leave ≈ 512·(1 − 1/e) ≈ 324 non-empty buckets to move
    const done = new GrowingDict();
    done.add(512 + 1 + 324);
    expect(done.buckets).toBe(1024);
    const mid = new GrowingDict();
    mid.add(512 + 1 + 322);
    expect(mid.buckets).toBe(512 + 1024);
  });
});
