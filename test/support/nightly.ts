import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from './corpus.js';

/** fixtures/nightly: five dumps of one real server a night apart, and what the server said of each (scripts/make-fixtures.mjs). */
export const NIGHTLY_DIR = join(FIXTURES_DIR, 'nightly');

export interface FamilyTruth {
  keys: number;
  elements: number;
  memoryUsage: number;
  withTtl: number;
}

export interface NightlyExpected {
  families: Record<string, string>;
  nights: { file: string; ctime: number; usedMem: number; keys: number; live: Record<string, FamilyTruth>; loaded: Record<string, FamilyTruth> }[];
}

export function nightlyExpected(): NightlyExpected {
  return JSON.parse(readFileSync(join(NIGHTLY_DIR, 'nightly.expected.json'), 'utf8')) as NightlyExpected;
}

export const nightlyFiles = (): string[] => nightlyExpected().nights.map((n) => join(NIGHTLY_DIR, n.file));

/** Least squares slope of y on x, worked in the plainest way (the test's own, not the product's). */
export function slope(xs: number[], ys: number[]): { slope: number; intercept: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return { slope: num / den, intercept: my - (num / den) * mx };
}
