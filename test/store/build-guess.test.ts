/**
 * The build a load starts with (src/store/build-guess.ts): the prefix the first keys are weighed
 * on, and what the end of a load does when those keys pointed the wrong way.
 */
import { fullGc } from '../support/full-gc.js';
import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../src/core/record.js';
import { PREFIX_KEYS, PrefixBatches } from '../../src/store/build-guess.js';
import { DEFAULT_MEMORY_SPEC, modelFromSpec, settleBuild } from '../../src/store/memory-spec.js';
import { DEFAULT_PATTERN_OPTIONS } from '../../src/patterns/options.js';
import { produceRows } from '../../src/store/produce-rows.js';
import { fakeSource, rec as record } from '../support/records.js';

const rec = (i: number) => ({ db: 0, key: new Uint8Array([i]), offset: i }) as unknown as KeyRecord;
const batchesOf = (sizes: number[], failAfter = Infinity) =>
  (async function* () {
    let n = 0;
    for (const [b, size] of sizes.entries()) {
      if (b >= failAfter) throw new Error('corrupt');
      yield Array.from({ length: size }, () => rec(n++));
    }
  })();

async function collect(p: PrefixBatches): Promise<{ sizes: number[]; wholeAtFirst: boolean; error: string | null }> {
  const sizes: number[] = [];
  let wholeAtFirst = false;
  try {
    for await (const b of p) {
      if (sizes.length === 0) wholeAtFirst = p.whole();
      sizes.push(b.length);
    }
  } catch (err) {
    return { sizes, wholeAtFirst, error: (err as Error).message };
  }
  return { sizes, wholeAtFirst, error: null };
}

describe('PrefixBatches', () => {
  it('joins the first batches up to the prefix size, then passes the rest through in order', async () => {
    const p = new PrefixBatches(batchesOf([3, 3, 3, 2, 4]), 8);
    const seen: number[] = [];
    const sizes: number[] = [];
    for await (const b of p) {
      sizes.push(b.length);
      for (const r of b) seen.push(r.offset);
    }
    expect(sizes).toEqual([9, 2, 4]);
    expect(seen).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(p.whole()).toBe(false);
  });

  it('a dump that ends within the prefix is one batch, marked whole', async () => {
    expect(await collect(new PrefixBatches(batchesOf([3, 2]), 8))).toEqual({ sizes: [5], wholeAtFirst: true, error: null });
  });

  it('without a decision to make, passes the batches through as they come and asks once', async () => {
    let asked = 0;
    const p = new PrefixBatches(batchesOf([3, 3, 3, 2, 4]), 8, () => (asked++, false));
    expect((await collect(p)).sizes).toEqual([3, 3, 3, 2, 4]);
    expect(asked).toBe(1);
  });

  it('a load holds back the first keys only when they may choose the build', async () => {
    const records = Array.from({ length: 3 * PREFIX_KEYS }, (_, i) => record(`session:${i}`, { valueBytes: 40, largestElementBytes: 40 }));
    // Source records read when the first rows are handed on: the prefix, or about one batch.
    const readAtFirstRows = async (usedMem: string) => {
      const rows = produceRows(fakeSource(records, { batchSize: 256, aux: { 'redis-ver': '7.2.4', ctime: '1700000000', 'used-mem': usedMem } }), {
        mtimeMs: 0,
        memoryModel: modelFromSpec(DEFAULT_MEMORY_SPEC),
        patterns: DEFAULT_PATTERN_OPTIONS,
        rowsPerBatch: 1024,
      });
      for await (const m of rows) if (m.t === 'batch') return m.bytesIn;
      return null;
    };
    // A few MB of used-mem cannot tell the builds apart: no twin, nothing to decide.
    expect(await readAtFirstRows('4000000')).toBeLessThanOrEqual(1024 + 256);
    expect(await readAtFirstRows(String(8 * PREFIX_KEYS * 120))).toBeGreaterThanOrEqual(PREFIX_KEYS);
  });

  it('keeps no hold on the prefix once it is handed on: its records are garbage when the consumer drops them', async () => {
    const batches = new PrefixBatches(batchesOf([3, 3, 3, 2, 4]), 8)[Symbol.asyncIterator]();
    const prefix = new WeakRef((await batches.next()).value as KeyRecord[]);
    expect((await batches.next()).value).toHaveLength(2); // the iteration goes on past the prefix
    // A WeakRef holds its target until the current job ends: collect on a later turn.
    await new Promise((resolve) => setTimeout(resolve, 0));
    fullGc();
    expect(prefix.deref()).toBeUndefined();
    await batches.return(undefined);
  });

  it('a parse error inside the prefix still yields the keys read before it, then throws', async () => {
    expect(await collect(new PrefixBatches(batchesOf([3, 2, 4], 2), 8))).toEqual({ sizes: [5], wholeAtFirst: false, error: 'corrupt' });
  });
});

describe('settleBuild after a load started with the other build', () => {
  const MB = 1024 * 1024;
  const perDb = [{ keys: 100_000, expires: 0 }];
  const usedMem = 400 * MB;

  it('keeps it when used-mem agrees: no second load', () => {
    const end = {
      profile: 'redis-7.0-q16', profileReason: 'from redis-ver 7.0.15', keysBytes: 385 * MB, allocationGap: 0,
      twin: { profile: 'redis-7.0', keysBytes: 350 * MB, allocationGap: 0 }, twinIsDefault: true,
    };
    const s = settleBuild(DEFAULT_MEMORY_SPEC, end, usedMem, perDb);
    expect(s.rerun).toBeNull();
    expect(s.reason).toMatch(/^from redis-ver 7\.0\.15, explains 9\d\.\d% of used-mem, redis-7\.0 8\d\.\d%/);
  });

  it('loads again with the default build when the whole dump does not bear the first keys out', () => {
    const end = {
      profile: 'redis-7.0-q16', profileReason: 'from redis-ver 7.0.15', keysBytes: 420 * MB, allocationGap: 0,
      twin: { profile: 'redis-7.0', keysBytes: 397 * MB, allocationGap: 0 }, twinIsDefault: true,
    };
    const s = settleBuild(DEFAULT_MEMORY_SPEC, end, usedMem, perDb);
    expect(s.rerun).toMatchObject({ server: 'redis-7.0' });
    expect(s.rerun!.replaced).toBeUndefined();
    expect(s.reason).toContain('official build assumed');
    expect(s.rerun!.reason).toBe(s.reason);
  });

  it('with the default build loaded and used-mem pointing to the other: a second load, as before', () => {
    const end = {
      profile: 'redis-7.0', profileReason: 'from redis-ver 7.0.15', keysBytes: 350 * MB, allocationGap: 0,
      twin: { profile: 'redis-7.0-q16', keysBytes: 385 * MB, allocationGap: 0 }, twinIsDefault: false,
    };
    const s = settleBuild(DEFAULT_MEMORY_SPEC, end, usedMem, perDb);
    expect(s.rerun).toMatchObject({ server: 'redis-7.0-q16', replaced: { profile: 'redis-7.0' } });
  });
});
