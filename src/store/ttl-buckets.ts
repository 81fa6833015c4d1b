/**
 * Remaining-TTL buckets, measured at the snapshot's own time (never today's clock): a month-old backup
 * shows the TTLs it had when it was written. Ordered as reports print them.
 */
export const TTL_BUCKETS = ['expired', '<1m', '<1h', '<1d', '<7d', '<30d', '>30d', 'none'] as const;
export type TtlBucket = (typeof TTL_BUCKETS)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function ttlBucket(expireAtMs: number | null, snapshotTimeMs: number): TtlBucket {
  if (expireAtMs === null) return 'none';
  const left = expireAtMs - snapshotTimeMs;
  if (left <= 0) return 'expired';
  if (left < MINUTE) return '<1m';
  if (left < HOUR) return '<1h';
  if (left < DAY) return '<1d';
  if (left < 7 * DAY) return '<7d';
  if (left < 30 * DAY) return '<30d';
  return '>30d';
}
