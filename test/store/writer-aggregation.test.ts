import { describe, expect, it } from 'vitest';
import { DEFAULT_PATTERN_OPTIONS } from '../../src/patterns/options.js';
import { mergeAggregateRows, OTHER_PATTERN, type AggregateRows } from '../../src/store/load-aggregates.js';
import { produceRows, type LoadEnd } from '../../src/store/produce-rows.js';
import { N_PATTERN, NUMS, type RowBatch } from '../../src/store/row-batch.js';
import { WriterAggregation } from '../../src/store/writer-aggregation.js';
import { fakeSource, rec, syntheticKeyspace } from '../support/records.js';

type Row = { key: string; pattern: string; printable: string | null; nums: number[] };

/**
 * A load's rows and aggregates as the writer ends up with them: produceRows with the given deferral,
 * deferred batches completed by WriterAggregation (and the local pattern ids resolved) like
 * loadSnapshot does.
 */
async function load(records: ReturnType<typeof syntheticKeyspace>, defer: (() => boolean) | undefined): Promise<{ rows: Row[]; aggregates: AggregateRows; deferred: number }> {
  const writer = new WriterAggregation(DEFAULT_PATTERN_OPTIONS);
  const local: string[] = [];
  const rows: Row[] = [];
  let end: LoadEnd | null = null;
  let deferred = 0;
  for await (const m of produceRows(fakeSource(records, { batchSize: 5 }), { mtimeMs: 0, patterns: DEFAULT_PATTERN_OPTIONS, rowsPerBatch: 8, defer })) {
    if (m.t === 'end') end = m.end;
    if (m.t !== 'batch') continue;
    const b: RowBatch = m.rows;
    if (b.resetPatterns) local.length = 0;
    local.push(...b.newPatterns);
    const resolved = writer.take(b);
    if (resolved) deferred++;
    let start = 0;
    for (let i = 0; i < b.n; i++) {
      const nums = Array.from(b.nums.subarray(i * NUMS, (i + 1) * NUMS));
      const key = Buffer.from(b.keyBytes.subarray(start, b.keyEnds[i])).toString('latin1');
      start = b.keyEnds[i]!;
      const pattern = resolved ? resolved[i]! : local[nums[N_PATTERN]!]!;
      nums[N_PATTERN] = 0; // local ids differ between runs; the text is compared
      rows.push({ key, pattern, printable: b.printable.find(([r]) => r === i)?.[1] ?? null, nums });
    }
  }
  const writerSide = writer.rows();
  const aggregates = writerSide ? mergeAggregateRows(end!.aggregates, writerSide) : end!.aggregates;
  return { rows, aggregates, deferred };
}

/** Aggregate rows in a fixed order (groups may come out in another order). */
const sorted = (a: AggregateRows) => ({
  hasMemory: a.hasMemory,
  types: [...a.types].map(String).sort(),
  patterns: [...a.patterns].map(String).sort(),
  ttl: [...a.ttl].map(String).sort(),
  sizes: [...a.sizes].map(String).sort(),
});

describe('per-key work deferred to the writer (WriterAggregation)', () => {
  const records = [
    ...syntheticKeyspace(11, { withMemory: true, scale: 3 }),
    rec('mail:alice@example.com:inbox', { valueBytes: 9 }),
    rec('session:550e8400-e29b-41d4-a716-446655440000', { valueBytes: 9 }),
    rec('städte:köln', { valueBytes: 9 }),
    rec('back\\slash:1', { valueBytes: 9 }),
    // Empty collections: in no aggregate on either side (a server drops them on load).
    rec('empty:list', { type: 'list', rdbType: 'quicklist2', rdbTypeId: 18, elements: 0, valueBytes: 1 }),
    rec('empty:hash', { type: 'hash', rdbType: 'hash', rdbTypeId: 4, elements: 0, valueBytes: 1, db: 2 }),
  ];

  it('gives the same rows and aggregates whichever batches are deferred', async () => {
    const local = await load(records, undefined);
    expect(local.deferred).toBe(0);
    let flip = false;
    for (const defer of [() => true, () => (flip = !flip)]) {
      const mixed = await load(records, defer);
      expect(mixed.deferred).toBeGreaterThan(0);
      expect(mixed.rows).toEqual(local.rows);
      expect(sorted(mixed.aggregates)).toEqual(sorted(local.aggregates));
    }
  });

  it('is never asked when per-key rows are limited (the writer would not see every key)', async () => {
    let asked = 0;
    const defer = () => ++asked > 0;
    for (const limit of [{ keysMinBytes: 100 }, { topPerPattern: 2 }]) {
      for await (const _ of produceRows(fakeSource(records), { mtimeMs: 0, patterns: DEFAULT_PATTERN_OPTIONS, defer, ...limit })) void _;
    }
    expect(asked).toBe(0);
  });
});

describe('mergeAggregateRows', () => {
  const empty: AggregateRows = { hasMemory: false, types: [], patterns: [], ttl: [], sizes: [] };

  it('adds sums group by group and combines size cells', () => {
    const a: AggregateRows = { ...empty, types: [[0, 'string', 'string', 'embstr', 2, 100, 10, 1, 50, 5, 0]], ttl: [[0, 'string', 'none', 2, 100, 10]],
      sizes: [['string', 40, 2, 100, 48, 52]], patterns: [['k:*', 'string', 2, 100, 10, 1, 50, 5]] };
    const b: AggregateRows = { ...empty, hasMemory: true, types: [[0, 'string', 'string', 'embstr', 1, 60, 6, 0, 0, 0, 1]], ttl: [[0, 'string', 'none', 1, 60, 6]],
      sizes: [['string', 40, 1, 60, 60, 60], ['string', 3, 1, 2, 2, 2]], patterns: [['k:*', 'string', 1, 60, 6, 0, 0, 0]] };
    expect(mergeAggregateRows(a, b)).toEqual({
      hasMemory: true,
      types: [[0, 'string', 'string', 'embstr', 3, 160, 16, 1, 50, 5, 1]],
      patterns: [['k:*', 'string', 3, 160, 16, 1, 50, 5]],
      ttl: [[0, 'string', 'none', 3, 160, 16]],
      sizes: [['string', 3, 1, 2, 2, 2], ['string', 40, 3, 160, 48, 60]],
    });
  });

  it('keeps the pattern cap: pairs past it fold into <other>', () => {
    const p = (name: string, keys: number): AggregateRows['patterns'][number] => [name, 'string', keys, 0, keys, 0, 0, 0];
    const merged = mergeAggregateRows({ ...empty, patterns: [p('a', 1), p('b', 2)] }, { ...empty, patterns: [p('b', 3), p('c', 4), p('d', 5)] }, 2);
    expect(merged.patterns).toEqual([p('a', 1), p('b', 5), p(OTHER_PATTERN, 9)]);
  });
});
