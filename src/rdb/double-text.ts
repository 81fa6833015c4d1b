/**
 * The decimal text Redis gives a zset score when it converts a skiplist into a listpack on load
 * (`zzlInsertAt` → `d2string`), whose length sizes the listpack entry. Two eras:
 * - Redis 7.2+ and Valkey: integers of |v| ≤ 2^62 with ll2string, anything else with fpconv_dtoa
 *   (grisu2 digits, laid out by its own rules: 1e20 is "1e+20", 0.0000012 is "1.2e-6", where
 *   JavaScript writes "100000000000000000000" and "0.0000012");
 * - Redis ≤ 7.0: integers of |v| < 2^52 as integers, anything else with printf("%.17g"), e.g.
 *   0.1 → "0.10000000000000001" (checked against redis-server 7.0: test/memory/differential.test.ts).
 * Special values are "nan", "inf", "-inf"; negative zero is "-0" in both eras.
 */

/** 2^62 (LLONG_MAX / 2 as a double): 7.2+ d2string prints integral values up to this with ll2string. */
export const LL_HALF = 4611686018427387904;

/** What both eras print for nan, ±inf and ±0, else null. */
function specialText(v: number): string | null {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  return null;
}

/** Redis 7.2+ / Valkey d2string. */
export function modernScoreText(v: number): string {
  const special = specialText(v);
  if (special !== null) return special;
  if (Number.isInteger(v) && v >= -LL_HALF && v <= LL_HALF) return BigInt(v).toString();
  return fpconvText(v);
}

/**
 * fpconv_dtoa's layout (deps/fpconv, emit_digits) of the shortest digits D (n of them) of v = D·10^K,
 * with x = |K + n − 1| the magnitude of the leading digit's exponent: an integer with its zeros when
 * K ≥ 0 and x < n + 7; a plain decimal when K < 0 and (K > −7 or x < 4); else d.ddd, 'e', a sign and
 * the exponent without leading zeros. JavaScript's shortest digits stand for grisu2's (which are the
 * shortest for all but rare doubles, where grisu2 gives one digit more).
 */
function fpconvText(v: number): string {
  const [mantissa, e] = Math.abs(v).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const n = digits.length;
  const lead = Number(e);
  const K = lead - n + 1;
  const x = Math.abs(lead);
  const sign = v < 0 ? '-' : '';
  if (K >= 0 && x < n + 7) return sign + digits + '0'.repeat(K);
  if (K < 0 && (K > -7 || x < 4)) {
    const point = n + K;
    return sign + (point <= 0 ? '0.' + '0'.repeat(-point) + digits : digits.slice(0, point) + '.' + digits.slice(point));
  }
  return `${sign}${digits[0]}${n > 1 ? '.' + digits.slice(1) : ''}e${lead < 0 ? '-' : '+'}${x}`;
}

/** 2^52: d2string prints integers strictly inside ±(2^52) with ll2string. */
const LL_RANGE = 4503599627370496;

/** Redis ≤ 7.0's d2string. */
export function g17ScoreText(v: number): string {
  const special = specialText(v);
  if (special !== null) return special;
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

/**
 * The number C's sscanf("%lg") reads from the start of `text`, as Redis' rdbLoadDoubleValue reads a
 * type-3 zset score (rdb.c; rdb-format.md §2.4), or null when it reads none (Redis then fails the
 * load). strtod's syntax: leading white space, an optional sign, then "inf"/"infinity", "nan" (with
 * an optional "(chars)"), a hexadecimal float (0x, hex digits with an optional point, an optional
 * binary exponent p±d), or decimal digits with an optional point and exponent e±d — case-insensitive;
 * whatever follows is ignored, and the text ends at a NUL byte (the buffer is a C string).
 */
export function strtodPrefix(text: string): number | null {
  const m = STRTOD.exec(text.split('\0', 1)[0]!);
  if (m === null) return null;
  const sign = m[1] === '-' ? -1 : 1;
  if (m[2] !== undefined) return sign * Infinity;
  if (m[3] !== undefined) return NaN;
  if (m[4] !== undefined) {
    const [int = '', frac = ''] = [m[4], m[5]];
    const digits = (int + frac).replace(/^0+/, '') || '0';
    // One rounding (BigInt → Number), then an exact power-of-two scaling outside the subnormal range.
    const exp = Number(m[6] ?? '0') - 4 * frac.length;
    const mantissa = Number(BigInt('0x' + digits));
    if (mantissa === 0) return sign * 0;
    return sign * (exp < -1000 ? mantissa * 2 ** (exp + 1000) * 2 ** -1000 : mantissa * 2 ** exp);
  }
  return sign * Number(m[7]);
}

const STRTOD = /^[ \t\n\v\f\r]*([+-]?)(?:(inf(?:inity)?)|(nan(?:\([0-9a-z_]*\))?)|0x((?=\.?[0-9a-f])[0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?|((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?))/i;
