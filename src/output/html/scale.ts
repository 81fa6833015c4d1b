/** Ticks of a value axis: where they sit (in data units) and how far the axis reaches. */
export interface Ticks {
  values: number[];
  max: number;
}

/**
 * Round ticks from 0 to at least `max`, about `count` of them: steps of 1, 2 or 5 times a power of
 * `base` — 1024 for bytes, so labels read 256 MB, 512 MB, 768 MB instead of 268.4 MB.
 */
export function linearTicks(max: number, count: number, base: 10 | 1024): Ticks {
  if (!(max > 0)) return { values: [0], max: 1 };
  const raw = max / count;
  // Steps are round in the unit the largest label is in (0.5 MB, not 500 KB, when the axis reaches 1.7 MB).
  const unit = base === 1024 ? 1024 ** Math.max(0, Math.floor(Math.log(max) / Math.log(1024))) : 1;
  const scaled = raw / unit;
  const power = 10 ** Math.floor(Math.log10(scaled));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= scaled) ?? 10 * power) * unit;
  const top = Math.ceil(max / step) * step;
  const values: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) values.push(v);
  return { values, max: top };
}

/** Ticks of a log axis over [min, max] (both > 0): powers of 2 spaced so that about `count` fit. */
export function logTicks(min: number, max: number, count: number): { values: number[]; lo: number; hi: number } {
  const lo = Math.floor(Math.log2(Math.max(1, min)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log2(Math.max(1, max))));
  const every = Math.max(1, Math.ceil((hi - lo) / count));
  const values: number[] = [];
  for (let e = lo; e <= hi; e += every) values.push(2 ** e);
  return { values, lo, hi };
}

/**
 * Ticks of a time axis (Unix ms) over [min, max]: whole seconds, minutes, hours, days or years, about
 * `count` of them however long the span (years in steps of 1, 2 or 5 times a power of ten).
 */
export function timeTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const steps = [1 / 60, 5 / 60, 0.25, 0.5, 1, 5, 15, 30, 60, 180, 360, 720, 1440, 2880, 10080, 20160, 43200, 129600, 525600].map((m) => Math.round(m * 60_000));
  const year = steps.at(-1)!;
  const years = (max - min) / year / count;
  const power = 10 ** Math.floor(Math.log10(Math.max(1, years)));
  const step = steps.find((s) => (max - min) / s <= count) ?? ([1, 2, 5, 10].map((m) => m * power).find((m) => m >= years) ?? 10 * power) * year;
  const values: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max; v += step) values.push(v);
  return values.length > 0 ? values : [min];
}
