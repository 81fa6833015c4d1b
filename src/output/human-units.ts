const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** 1536 → "1.5 KB" (powers of 1024, as Redis INFO reports memory). */
export function humanBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${sign}${v} B`;
  return `${sign}${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${UNITS[u]}`;
}

/** 0.1234 → "12.3%". */
export function humanPercent(fraction: number): string {
  const p = fraction * 100;
  return `${Math.abs(p) >= 100 ? p.toFixed(0) : p.toFixed(1)}%`;
}

/** humanPercent, or "-" for a share of nothing (null). */
export function humanPercentOrDash(fraction: number | null): string {
  return fraction === null ? '-' : humanPercent(fraction);
}
