/**
 * The decimal text Redis gives a zset score when it converts a skiplist into a listpack on load
 * (`zzlInsertAt` → `d2string`), whose length sizes the listpack entry. Two eras:
 * - Redis 7.2+ and Valkey (fpconv_dtoa, grisu2): the shortest text that reads back as the same
 *   double, which is what JavaScript's String(number) gives;
 * - Redis ≤ 7.0: integers of |v| < 2^52 as integers, anything else with printf("%.17g"), e.g.
 *   0.1 → "0.10000000000000001" (checked against redis-server 7.0: test/memory/differential.test.ts).
 * Special values are "nan", "inf", "-inf"; negative zero is "-0" under %.17g.
 */

/** Redis 7.2+: shortest round-trip text. */
export function shortestScoreText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

/** 2^52: d2string prints integers strictly inside ±(2^52) with ll2string. */
const LL_RANGE = 4503599627370496;

/** Redis ≤ 7.0's d2string. */
export function g17ScoreText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  if (v > -LL_RANGE + 1 && v < LL_RANGE && Number.isInteger(v)) return String(v);
  return printfG17(v);
}

/**
 * C's printf("%.17g"): 17 significant digits, %e style when the decimal exponent X is < -4 or ≥ 17
 * (two exponent digits at least), %f style otherwise; trailing zeros and a trailing point removed.
 * The exponent is taken after rounding to 17 digits (9.99999999999999999e16 is 1e+17).
 */
function printfG17(v: number): string {
  const [mantissa, e] = v.toExponential(16).split('e') as [string, string];
  const x = Number(e);
  if (x < -4 || x >= 17) return `${stripZeros(mantissa)}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
  return stripZeros(v.toFixed(16 - x));
}

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
