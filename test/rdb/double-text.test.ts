import { describe, expect, it } from 'vitest';
import { modernScoreText } from '../../src/rdb/double-text.js';

/**
 * Redis 7.2+ d2string (util.c): nan/inf/-inf, "0" / "-0", integral values with |v| ≤ 2^62 through
 * ll2string, the rest through fpconv_dtoa, whose emit_digits lays out the digits D (n of them) of
 * v = D·10^K: plain integer when K ≥ 0 and |K+n−1| < n+7; plain decimal when K < 0 and (K > −7 or
 * |K+n−1| < 4); otherwise d.ddd e±x with no leading zeros in x. Each expectation below is worked out
 * from those rules by hand (no 7.2 server here: Debian ships 7.0).
 */
const CASES: [number, string][] = [
  [0.1, '0.1'], // D=1 K=-1: decimal
  [-0, '-0'],
  [0, '0'],
  [NaN, 'nan'],
  [-Infinity, '-inf'],
  [123.456, '123.456'], // K=-3
  [0.000001, '0.000001'], // D=1 K=-6 > -7: decimal
  [0.0000012, '1.2e-6'], // D=12 K=-7, |K+n-1|=6 ≥ 4: scientific (JavaScript: 0.0000012)
  [0.00012345, '1.2345e-4'], // D=12345 K=-8, x=4 (JavaScript: 0.00012345)
  [0.001, '0.001'], // D=1 K=-3
  [1.0000001, '1.0000001'], // D=10000001 K=-7 but x=0 < 4: decimal
  [1.5e-7, '1.5e-7'],
  [-2.5e-10, '-2.5e-10'],
  [1e20, '1e+20'], // integral above 2^62: D=1 K=20, x=20 ≥ n+7 (JavaScript: 100000000000000000000)
  [5e18, '5e+18'], // above 2^62 (JavaScript: 5000000000000000000)
  [2 ** 62, '4611686018427387904'], // ll2string, exact digits
  [-(2 ** 62), '-4611686018427387904'],
  [2 ** 62 + 1024, '4611686018427389000'], // fpconv: D=4611686018427389 K=3 < 8: integer with zeros
  [2 ** 60, '1152921504606846976'], // ll2string (JavaScript: 1152921504606847000)
  [1e21, '1e+21'],
  [1.5e21, '1.5e+21'],
  [12345678.9, '12345678.9'],
];

describe('Redis 7.2+ score text (d2string / fpconv_dtoa layout)', () => {
  it.each(CASES)('%s → %s', (v, text) => {
    expect(modernScoreText(v)).toBe(text);
  });

  it('reads back as the same double wherever it is not nan/inf', () => {
    for (let i = 0; i < 20_000; i++) {
      const v = (Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 60 - 30);
      expect(Number(modernScoreText(v))).toBe(v);
    }
  });
});
