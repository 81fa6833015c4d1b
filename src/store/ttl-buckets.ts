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
  return TTL_BUCKETS[ttlBucketIndex(expireAtMs, snapshotTimeMs)]!;
}

/** ttlBucket as its index in TTL_BUCKETS (the load's hot path sums per index). */
export function ttlBucketIndex(expireAtMs: number | null, snapshotTimeMs: number): number {
  if (expireAtMs === null) return 7;
  const left = expireAtMs - snapshotTimeMs;
  // Expired once the clock is past the expiry, not at it: `now > when` (R:db.c keyIsExpired), and a
  // load drops a key only when `expiretime < now` (R:rdb.c rdbLoadRioWithLoadingCtx).
  if (left < 0) return 0;
  if (left < MINUTE) return 1;
  if (left < HOUR) return 2;
  if (left < DAY) return 3;
  if (left < 7 * DAY) return 4;
  if (left < 30 * DAY) return 5;
  return 6;
}
