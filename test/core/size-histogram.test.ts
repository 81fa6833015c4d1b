/**
 * SizeHistogram against a plain Map of every length: exact (and in first-seen order) while it holds
 * few distinct lengths, in its array form and its Map form alike; past 1024 distinct lengths each is
 * rounded up by less than 1/16 (never down), and the totals stay exact.
 */
import { describe, expect, it } from 'vitest';
import { SizeHistogram } from '../../src/core/size-histogram.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function fill(lengths: number[], times: (i: number) => number): { h: SizeHistogram; ref: Map<number, number> } {
  const h = new SizeHistogram();
  const ref = new Map<number, number>();
  lengths.forEach((len, i) => {
    const t = times(i);
    h.add(len, t);
    ref.set(len, (ref.get(len) ?? 0) + t);
  });
  return { h, ref };
}

describe('SizeHistogram', () => {
  it('is empty before the first add', () => {
    const h = new SizeHistogram();
    expect([h.count, h.total, h.max, h.distinct, [...h.entries()], h.sum(() => 1), h.exact]).toEqual([0, 0, 0, 0, [], 0, true]);
  });

  it.each([1, 5, 12, 13, 40, 1024])('with %i distinct lengths: exact counts in first-seen order', (distinct) => {
    const rand = rng(distinct);
    const pool = Array.from({ length: distinct }, (_, i) => 1 + i * 37 + Math.floor(rand() * 30));
    const lengths = [...pool, ...Array.from({ length: 3000 }, () => pool[Math.floor(rand() * distinct)]!)];
    const { h, ref } = fill(lengths, (i) => 1 + (i % 3));
    expect(h.distinct).toBe(ref.size);
    expect([...h.entries()]).toEqual([...ref]);
    expect(h.exact).toBe(true);
    expect(h.count).toBe([...ref.values()].reduce((a, b) => a + b, 0));
    expect(h.total).toBe([...ref].reduce((a, [l, c]) => a + l * c, 0));
    expect(h.max).toBe(Math.max(...pool));
    const f = (len: number) => 16 * Math.ceil((len + 9) / 16);
    expect(h.sum(f)).toBe([...ref].reduce((a, [l, c]) => a + f(l) * c, 0));
    expect(h.toJSON().lengths).toEqual([...ref]);
  });

  it('past 1024 distinct lengths rounds each up by less than 1/16, keeping count, total and max exact', () => {
    const rand = rng(7);
    const lengths = Array.from({ length: 20_000 }, () => 1 + Math.floor(rand() * 1_000_000));
    const { h, ref } = fill(lengths, () => 1);
    expect(h.exact).toBe(false);
    expect(h.distinct).toBeLessThanOrEqual(1024);
    expect(h.count).toBe(lengths.length);
    expect(h.total).toBe(lengths.reduce((a, b) => a + b, 0));
    expect(h.max).toBe(Math.max(...lengths));
    // Σ len over the buckets bounds the true sum from above, within 1/16.
    const exactSum = [...ref].reduce((a, [l, c]) => a + l * c, 0);
    const bucketed = h.sum((len) => len);
    expect(bucketed).toBeGreaterThanOrEqual(exactSum);
    expect(bucketed).toBeLessThan(exactSum * (1 + 1 / 16));
    expect([...h.entries()].reduce((a, [, c]) => a + c, 0)).toBe(lengths.length);
  });
});
