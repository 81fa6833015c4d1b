import { describe, expect, it } from 'vitest';
import { KindIds } from '../../src/store/kind-ids.js';
import { N_PATTERN, NUMS, PATTERN_DICTIONARY_LIMIT, RowBatchBuilder, type RowBatch } from '../../src/store/row-batch.js';
import { rec } from '../support/records.js';

describe('RowBatchBuilder pattern dictionary', () => {
  it('starts afresh past its limit, cutting the batch first, and every row still names its pattern', () => {
    const kinds = new KindIds();
    const builder = new RowBatchBuilder(kinds, 4096);
    const kind = kinds.id(0, 'string', 'string', null);
    const local: string[] = [];
    const seen: string[] = [];
    let resets = 0;
    const take = () => {
      const b: RowBatch = builder.take();
      if (b.resetPatterns) {
        local.length = 0;
        resets++;
      }
      local.push(...b.newPatterns);
      for (let i = 0; i < b.n; i++) seen.push(local[b.nums[i * NUMS + N_PATTERN]!]!);
    };
    const patterns = Array.from({ length: 2.5 * PATTERN_DICTIONARY_LIMIT }, (_, i) => `family${i}:x`);
    for (const p of patterns) {
      if (!builder.add(rec(p), p, kind, NaN, null, null)) {
        take();
        expect(builder.add(rec(p), p, kind, NaN, null, null)).toBe(true);
      }
      if (builder.full) take();
    }
    take();
    expect(resets).toBe(2);
    expect(seen).toEqual(patterns);
  });
});
