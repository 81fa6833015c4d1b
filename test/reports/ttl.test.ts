import { describe, expect, it } from 'vitest';
import { rec } from '../support/records.js';
import { freshStore, loadRecords } from '../support/store.js';
import { reportRunner } from '../support/reports.js';

const run = reportRunner('ttl');

describe('ttl report', () => {
  it('buckets remaining TTL at snapshot time, not today', async () => {
    const { db, dir } = freshStore();
    const t0 = 1_500_000_000_000; // an old backup: today's clock would call every key expired
    const s = 1000;
    const ttls = [null, null, -1, 0, 59 * s, 60 * s, 3599 * s, 3600 * s, 86_399 * s, 86_400 * s, 7 * 86_400 * s, 29 * 86_400 * s, 30 * 86_400 * s, 400 * 86_400 * s];
    const records = ttls.map((t, i) => rec(`k:${i}`, { expireAtMs: t === null ? null : t0 + t, valueBytes: 100 * (i + 1) }));
    await loadRecords(db, dir, 'old.rdb', records, { ctimeS: t0 / 1000 });
    const r = run(db, { top: 10 });
    const got = Object.fromEntries(r.tables[0]!.rows.map((x) => [x.remaining_ttl, x.keys]));
    // A TTL of exactly 0 left is not expired yet (R:db.c keyIsExpired: now > when).
    expect(got).toEqual({ expired: 1, '<1m': 2, '<1h': 2, '<1d': 2, '<7d': 1, '<30d': 2, '>30d': 2, none: 2 });
    const bytes = Object.fromEntries(r.tables[0]!.rows.map((x) => [x.remaining_ttl, x.file_bytes]));
    expect(bytes.none).toBe(100 + 200);
    expect(r.notes.join('\n')).toContain('1 key(s) had already expired');
    expect(r.notes.join('\n')).toContain('2017-07-14 02:40:00 UTC');
  });
});
