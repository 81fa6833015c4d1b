/**
 * TwoBuildLines holds the first lines of `keys` under both allocator builds: at most PREFIX_KEYS
 * keys, and fewer when their lines are long, so that what it holds stays bounded whatever the keys.
 */
import { describe, expect, it } from 'vitest';
import { TwoBuildLines } from '../../src/cli/two-build-lines.js';
import { keyLineWriter } from '../../src/output/key-lines.js';
import { emptyFileInfo } from '../../src/rdb/file-info.js';
import { PREFIX_KEYS, prefixDecides } from '../../src/store/build-guess.js';
import { DEFAULT_MEMORY_SPEC, modelFromSpec } from '../../src/store/memory-spec.js';
import { rec } from '../support/records.js';

/** A model deciding by its first keys: a 7.0 dump whose used-mem can tell the builds apart. */
function decidingModel() {
  const info = emptyFileInfo();
  info.aux.push({ key: 'redis-ver', value: '7.0.15' }, { key: 'used-mem', value: String(500 << 20) });
  const model = modelFromSpec(DEFAULT_MEMORY_SPEC)(info);
  expect(prefixDecides(model)).toBe(true);
  return model;
}

/** Keys added until add() says the decision is due. */
function keysUntilDue(keyBytes: number): number {
  const lines = new TwoBuildLines(decidingModel(), keyLineWriter('csv'), 1 << 18);
  const name = 'k'.repeat(keyBytes);
  for (let i = 1; i <= PREFIX_KEYS; i++) {
    if (lines.add(rec(`${name}:${i}`, { valueBytes: 40, elements: 40, largestElementBytes: 40 }), true, () => true)) return i;
  }
  return Infinity;
}

describe('TwoBuildLines', () => {
  it('decides after PREFIX_KEYS keys of common names', () => {
    expect(keysUntilDue(20)).toBe(PREFIX_KEYS);
  });

  it('decides on fewer keys when their lines would hold more than its bound', () => {
    // A 20 KB name is a 60 KB csv line (text and hex) under each build: the bound comes first.
    const due = keysUntilDue(20_000);
    expect(due).toBeLessThan(PREFIX_KEYS / 10);
    expect(due).toBeGreaterThan(100);
  });

  it('hands over the lines of the build it decides on, in order', () => {
    const lines = new TwoBuildLines(decidingModel(), keyLineWriter('csv'), 1 << 10);
    for (let i = 0; i < 500; i++) lines.add(rec(`key:${i}`), i % 2 === 0, () => true);
    const { model, lines: chunks } = lines.decide({ rdbBytes: null, whole: true });
    const text = Buffer.concat(chunks).toString('utf8').split('\n').slice(0, -1);
    expect(text).toHaveLength(250);
    expect(text.map((l) => l.split(',')[1])).toEqual(Array.from({ length: 250 }, (_, i) => `key:${2 * i}`));
    const estimate = model.estimate(rec('key:0'));
    expect(text[0]!.split(',')[8]).toBe(String(estimate.bytes));
  });
});
