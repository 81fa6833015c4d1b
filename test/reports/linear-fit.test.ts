import { describe, expect, it } from 'vitest';
import { linearFit, reachesAt } from '../../src/reports/linear-fit.js';

describe('linearFit (least squares)', () => {
  it('recovers an exact line, with R² 1 and no residual', () => {
    const f = linearFit([0, 1, 2, 3], [10, 13, 16, 19]);
    expect(f.slope).toBeCloseTo(3, 12);
    expect(f.intercept).toBeCloseTo(10, 12);
    expect(f.r2).toBeCloseTo(1, 12);
    expect(f.residualRms).toBeCloseTo(0, 12);
    expect(reachesAt(f, 40, 3)).toBeCloseTo(10, 12);
  });

  it('matches a fit worked by hand', () => {
    // x̄ = 2, ȳ = 4; Sxy = (-2)(-3) + (-1)(-2) + 0 + (1)(2) + (2)(3)... worked out: y = 1, 2, 4, 6, 7
    // Sxx = 10, Sxy = (-2)(-3) + (-1)(-2) + 0·0 + 1·2 + 2·3 = 16, slope 1.6, intercept 4 - 3.2 = 0.8;
    // residuals 0.2, -0.4, 0, 0.4, -0.2: SSres 0.4, SStot 26, R² = 1 - 0.4/26.
    const f = linearFit([0, 1, 2, 3, 4], [1, 2, 4, 6, 7]);
    expect(f.slope).toBeCloseTo(1.6, 12);
    expect(f.intercept).toBeCloseTo(0.8, 12);
    expect(f.r2!).toBeCloseTo(1 - 0.4 / 26, 12);
    expect(f.residualRms).toBeCloseTo(Math.sqrt(0.4 / 5), 12);
  });

  it('a flat series has no R² and never reaches a higher value; one already past is reached now', () => {
    const flat = linearFit([0, 1, 2], [5, 5, 5]);
    expect(flat.r2).toBeNull();
    expect(reachesAt(flat, 6, 2)).toBeNull();
    expect(reachesAt(flat, 4, 2)).toBe(2);
    expect(() => linearFit([1, 1], [1, 2])).toThrow(/distinct/);
    expect(() => linearFit([1], [1])).toThrow(/two or more/);
  });
});
