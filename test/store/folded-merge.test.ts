import { describe, expect, it } from 'vitest';
import { openInput } from '../../src/input/open-input.js';
import { DEFAULT_PATTERN_OPTIONS } from '../../src/patterns/options.js';
import { parseRdb } from '../../src/rdb/index.js';
import { mergeAggregateRows, OTHER_PATTERN, type AggregateRows } from '../../src/store/load-aggregates.js';
import { produceRows, type LoadEnd } from '../../src/store/produce-rows.js';
import { WriterAggregation } from '../../src/store/writer-aggregation.js';
import { nightlyFiles } from '../support/nightly.js';

/**
 * A real dump's aggregates as a worker load ends up with them: the worker's part and the writer's
 * part (the batches `defer` hands over, WriterAggregation) merged, with the pattern cap at `cap`.
 */
async function aggregatesOf(path: string, cap: number | undefined, defer: (() => boolean) | undefined): Promise<AggregateRows> {
  const writer = new WriterAggregation(DEFAULT_PATTERN_OPTIONS, cap);
  let end: LoadEnd | null = null;
  const open = async () => {
    const input = await openInput(path);
    return { input, parse: parseRdb(input.chunks, { fileName: path }) };
  };
  for await (const m of produceRows(open, { mtimeMs: 0, patterns: DEFAULT_PATTERN_OPTIONS, maxPatterns: cap, rowsPerBatch: 16, defer })) {
    if (m.t === 'batch') writer.take(m.rows);
    if (m.t === 'end') end = m.end;
  }
  const writerSide = writer.rows();
  return writerSide ? mergeAggregateRows(end!.aggregates, writerSide, cap) : end!.aggregates;
}

const keysBy = (a: AggregateRows) => new Map(a.patterns.map((r) => [`${r[0]}\0${r[1]}`, r[2]]));

describe('the pattern cap when the writer took some batches over (mergeAggregateRows)', () => {
  it('gives each tracked pattern all of its keys, never the part one side did not fold', async () => {
    for (const path of nightlyFiles()) {
      const whole = keysBy(await aggregatesOf(path, undefined, undefined));
      let flip = false;
      const capped = await aggregatesOf(path, 5, () => (flip = !flip));
      const tracked = capped.patterns.filter((r) => r[0] !== OTHER_PATTERN);
      expect(tracked.length, path).toBeGreaterThan(0);
      for (const [pattern, type, keys] of tracked) expect(keys, `${path}: ${pattern} (${type})`).toBe(whole.get(`${pattern}\0${type}`));
      // Nothing lost: the tracked patterns and <other> hold every key.
      const total = (a: AggregateRows) => a.patterns.reduce((s, r) => s + r[2], 0);
      expect(total(capped), path).toBe([...whole.values()].reduce((s, k) => s + k, 0));
    }
  });
});
