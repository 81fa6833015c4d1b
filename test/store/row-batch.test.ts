import { describe, expect, it } from 'vitest';
import { KindIds } from '../../src/store/kind-ids.js';
import { BATCH_KEY_BYTES, N_PATTERN, NUMS, PATTERN_DICTIONARY_LIMIT, RowBatchBuilder, type RowBatch } from '../../src/store/row-batch.js';
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
      if (!builder.add(rec(p), p, kind, NaN, NaN, null, null)) {
        take();
        expect(builder.add(rec(p), p, kind, NaN, NaN, null, null)).toBe(true);
      }
      if (builder.full) take();
    }
    take();
    expect(resets).toBe(2);
    expect(seen).toEqual(patterns);
  });
});

describe('RowBatchBuilder batch size', () => {
  it('is full at BATCH_KEY_BYTES of key bytes and printable text as well as at its row count', () => {
    const kinds = new KindIds();
    const builder = new RowBatchBuilder(kinds, 4096);
    const kind = kinds.id(0, 'string', 'string', null);
    const long = 'k'.repeat(20_000);
    let rows = 0;
    while (!builder.full) {
      builder.add(rec(`${long}${rows}`), 'k*', kind, NaN, NaN, null, null);
      rows++;
    }
    // 20 KB keys: a batch of ~52 rows (1 MiB), not 4096 (80 MB).
    expect(rows).toBe(Math.ceil(BATCH_KEY_BYTES / 20_002));
    expect(builder.take().keyBytes.length).toBeGreaterThanOrEqual(BATCH_KEY_BYTES);
    // Printable text counts too (binary keys carry theirs in the batch).
    let textRows = 0;
    while (!builder.full) {
      builder.add(rec(`b${textRows}`), 'b*', kind, NaN, NaN, 'x'.repeat(100_000), null);
      textRows++;
    }
    expect(textRows).toBe(Math.ceil(BATCH_KEY_BYTES / 100_002));
    builder.take();
    // Short keys: the row count decides.
    let short = 0;
    while (!builder.full) {
      builder.add(rec(`s:${short}`), 's:*', kind, NaN, NaN, null, null);
      short++;
    }
    expect(short).toBe(4096);
  });
});
