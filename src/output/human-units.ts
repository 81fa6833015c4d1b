import { holdsDate } from '../core/date-range.js';

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

/**
 * Unix ms → "2026-12-04 16:24:39 UTC": a time as a person reads it, to the second (a snapshot's
 * ctime has whole seconds; a forecast's date is no finer). A number no date can hold stays its digits.
 */
export function humanTime(ms: number): string {
  if (!holdsDate(ms)) return String(ms);
  const iso = new Date(ms).toISOString();
  // Years outside 0000–9999 take ISO's expanded form (±YYYYYY-…): shown as they are.
  if (iso.length !== 24) return iso;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}
