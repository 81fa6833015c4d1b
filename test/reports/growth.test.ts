import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../src/core/record.js';
import { join } from 'node:path';
import { ReportInputError } from '../../src/reports/report.js';
import { cliBuilt, runCli } from '../support/cli.js';
import { storeWithDumps } from '../support/fixture-store.js';
import { nightlyFiles } from '../support/nightly.js';
import { rec } from '../support/records.js';
import { freshStore, loadRecords } from '../support/store.js';
import { reportRunner } from '../support/reports.js';

const run = reportRunner('growth');
const DAY = 86_400;

const family = (prefix: string, n: number, bytes: number, ttl = false): KeyRecord[] =>
  Array.from({ length: n }, (_, i) => rec(`${prefix}:${i}`, { valueBytes: bytes, expireAtMs: ttl && i % 2 === 0 ? 9e12 : null }));

describe('growth report', () => {
  it('per pattern change between the last two snapshots, new and vanished, ranked by bytes added', async () => {
    const { db, dir } = freshStore();
    const t = 1_700_000_000;
    await loadRecords(db, dir, 'day0.rdb', [...family('stable', 5, 100), ...family('grow', 3, 100)], { ctimeS: t - DAY });
    await loadRecords(db, dir, 'day1.rdb', [...family('stable', 5, 100), ...family('grow', 4, 100, true), ...family('shrink', 6, 50), ...family('gone', 2, 10)], { ctimeS: t });
    await loadRecords(db, dir, 'day3.rdb', [...family('stable', 5, 100), ...family('grow', 10, 100, true), ...family('shrink', 2, 50), ...family('fresh', 3, 20)], { ctimeS: t + 2 * DAY });
    const r = run(db, { top: 10 });
    expect(r.notes[0]).toContain('from snapshot 2 (day1.rdb');
    expect(r.notes[0]).toContain('2.00 days');
    const growthRows = r.tables.find((x) => x.name === 'growth')!.rows;
    expect(growthRows.map((x) => [x.pattern, x.status])).toEqual([['grow:*', 'grown'], ['fresh:*', 'new']]);
    expect(growthRows[0]).toMatchObject({ keys_before: 4, keys_after: 10, keys_change: 6, file_bytes_before: 400, file_bytes_after: 1000, file_bytes_change: 600, file_bytes_change_pct: 1.5, file_bytes_change_per_day: 300, ttl_share_before: 0.5, ttl_share_after: 0.5 });
    expect(growthRows[1]).toMatchObject({ keys_before: 0, keys_after: 3, file_bytes_change: 60, file_bytes_change_pct: null, ttl_share_before: null });
    const shrinking = r.tables.find((x) => x.name === 'shrinking')!.rows;
    expect(shrinking.map((x) => [x.pattern, x.status, x.file_bytes_change])).toEqual([['shrink:*', 'shrunk', -200], ['gone:*', 'vanished', -20]]);
    const series = r.tables.find((x) => x.name === 'series')!.rows;
    expect(series.filter((x) => x.pattern === 'grow:*').map((x) => x.keys)).toEqual([3, 4, 10]);
    expect(series.filter((x) => x.pattern === 'fresh:*').map((x) => x.file_bytes)).toEqual([0, 0, 60]);
  });

  it('--from/--to pick the pair; one snapshot is an error', async () => {
    const { db, dir } = freshStore();
    await loadRecords(db, dir, 'a.rdb', family('x', 2, 10), { ctimeS: 1000 });
    expect(() => run(db, { top: 5 })).toThrow(/needs two snapshots/);
    await loadRecords(db, dir, 'b.rdb', family('x', 5, 10), { ctimeS: 2000 });
    await loadRecords(db, dir, 'c.rdb', family('x', 1, 10), { ctimeS: 3000 });
    const r = run(db, { top: 5, from: 'a.rdb', to: '2' });
    expect(r.tables[0]!.rows[0]).toMatchObject({ pattern: 'x:*', keys_before: 2, keys_after: 5, file_bytes_change_per_day: null });
    expect(r.notes[0]).toContain('1000 s apart, too close for a per-day rate');
    expect(run(db, { top: 5, to: 'b.rdb' }).tables[0]!.rows[0]).toMatchObject({ keys_before: 2, keys_after: 5 });
    expect(() => run(db, { top: 5, from: 'a.rdb', to: 'a.rdb' })).toThrow(/same snapshot/);
    // --from alone, naming the latest: there is no --to to be the same as; said as it is.
    expect(() => run(db, { top: 5, from: 'c.rdb' })).toThrow(/^--from is snapshot 3 \(c\.rdb\), the latest of instance ".*": no later snapshot to compare it with$/);
  });

  it('--to an older snapshot: the series stops at it, as if no later snapshot were loaded', async () => {
    const files = nightlyFiles();
    const { db } = await storeWithDumps(files, { server: 'redis-7.0-q16' });
    const { db: then } = await storeWithDumps(files.slice(0, 3), { server: 'redis-7.0-q16' });
    const older = run(db, { top: 10, to: '3' });
    expect(older).toEqual(run(then, { top: 10 }));
    expect(new Set(older.tables.find((x) => x.name === 'series')!.rows.map((x) => x.snapshot_id))).toEqual(new Set([1, 2, 3]));
  });

  it('--from later than --to is refused as --from equal to --to is: a usage error (exit 2) naming both', async () => {
    const { db, dir } = await storeWithDumps(nightlyFiles(), { server: 'redis-7.0-q16' });
    expect(() => run(db, { top: 5, from: '5', to: '2' })).toThrow(ReportInputError);
    expect(() => run(db, { top: 5, from: 'night-4.rdb', to: 'night-1.rdb' })).toThrow(/^--from \(snapshot 5, 2026-.*\) is later than --to \(snapshot 2, 2026-.*\); growth goes from the older snapshot to the newer: swap them$/);
    expect(() => run(db, { top: 5, from: '3', to: '3' })).toThrow(ReportInputError);
    expect(run(db, { top: 5, from: '2', to: '5' }).notes[0]).toMatch(/: 3\.00 days$/);
    if (!cliBuilt) throw new Error('the CLI is not built (npm test builds it; npx tsc -p . by hand)');
    for (const [from, to] of [['5', '2'], ['3', '3']]) {
      const r = runCli(['report', 'growth', '--db', join(dir, 'test.sqlite'), '--from', from!, '--to', to!], dir);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('growth with a PARTIAL snapshot (a dump cut short)', () => {
  it('is not one of the default pair: the latest complete snapshots are compared, and the notes say which was passed over', async () => {
    const { db, dir } = freshStore();
    const t = 1_700_000_000;
    const { loadSnapshot } = await import('../../src/store/index.js');
    const { fakeSource } = await import('../support/records.js');
    const { dummyFile } = await import('../support/temp.js');
    const day = (n: number) => [...family('a', 10 + n, 100), ...family('b', 10 + n, 100)];
    const cut = async (name: string, n: number, ctimeS: number) =>
      loadSnapshot(db, { path: dummyFile(dir, name, `${name}:${n}`), open: fakeSource(day(n), { failAfter: 5, aux: { 'redis-ver': '7.2.4', ctime: String(ctimeS), 'used-mem': '1048576' } }), memoryProfile: null });
    await loadRecords(db, dir, 'd0.rdb', day(0), { ctimeS: t });
    await cut('d1.rdb', 1, t + DAY);
    await loadRecords(db, dir, 'd2.rdb', day(2), { ctimeS: t + 2 * DAY });
    await cut('d3.rdb', 3, t + 3 * DAY);
    const statuses = (db.prepare('SELECT status FROM snapshots ORDER BY id').pluck().all() as string[]);
    expect(statuses).toEqual(['complete', 'partial', 'complete', 'partial']);
    const r = run(db, { top: 10 });
    // d0 → d2: both families grew by 2 keys; nothing shrank (the cut dumps stop after 5 keys).
    expect(r.notes[0]).toMatch(/from snapshot 1 \(d0\.rdb.* to 3 \(d2\.rdb/);
    expect(r.notes).toContain('snapshot 4 (d3.rdb) is PARTIAL and left out of the default pair (its keys stop at a fault); give --to 4 to compare with it');
    expect(r.notes).toContain('snapshot 2 (d1.rdb) is PARTIAL and left out of the default pair (its keys stop at a fault); give --from 2 to compare with it');
    expect(r.tables.find((x) => x.name === 'shrinking')!.rows).toEqual([]);
    expect(r.tables.find((x) => x.name === 'growth')!.rows.map((x) => [x.pattern, x.keys_change])).toEqual([['a:*', 2], ['b:*', 2]]);
    // Asked for, a PARTIAL snapshot is compared, and said to be one.
    const asked = run(db, { top: 10, to: '4' });
    expect(asked.notes[0]).toMatch(/from snapshot 3 \(d2\.rdb.* to 4 \(d3\.rdb/);
    expect(asked.notes.some((n) => n.startsWith('PARTIAL snapshot 4'))).toBe(true);
    // --from the latest complete one (or the PARTIAL latest itself): no complete snapshot after it,
    // so the PARTIAL one after it is --to. It was said to be the latest with nothing to compare it
    // with, or later than a --to never given.
    const fromLast = run(db, { top: 10, from: '3' });
    expect(fromLast.notes[0]).toMatch(/from snapshot 3 \(d2\.rdb.* to 4 \(d3\.rdb/);
    expect(fromLast.notes.some((n) => n.startsWith('PARTIAL snapshot 4'))).toBe(true);
    expect(() => run(db, { top: 10, from: '4' })).toThrow(/--from is snapshot 4 \(d3\.rdb\), the latest of instance/);
    // From an earlier one, the latest complete one is still --to.
    expect(run(db, { top: 10, from: '1' }).notes[0]).toMatch(/from snapshot 1 \(d0\.rdb.* to 3 \(d2\.rdb/);
  });

  it('is left out of the series over the snapshots (a dip of every pattern), unless it is one of the pair', async () => {
    const { db, dir } = freshStore();
    const t = 1_700_000_000;
    const { loadSnapshot } = await import('../../src/store/index.js');
    const { fakeSource } = await import('../support/records.js');
    const { dummyFile } = await import('../support/temp.js');
    const day = (n: number) => family('a', 10 + n, 100);
    await loadRecords(db, dir, 'd0.rdb', day(0), { ctimeS: t });
    await loadSnapshot(db, { path: dummyFile(dir, 'd1.rdb', 'd1'), open: fakeSource(day(1), { failAfter: 3, aux: { 'redis-ver': '7.2.4', ctime: String(t + DAY), 'used-mem': '1048576' } }), memoryProfile: null });
    await loadRecords(db, dir, 'd2.rdb', day(2), { ctimeS: t + 2 * DAY });
    await loadRecords(db, dir, 'd3.rdb', day(3), { ctimeS: t + 3 * DAY });
    const ids = (r: ReturnType<typeof run>) => r.tables.find((x) => x.name === 'series')!.rows.map((x) => x.snapshot_id);
    const r = run(db, { top: 10 });
    expect(ids(r)).toEqual([1, 3, 4]);
    expect(r.tables.find((x) => x.name === 'series')!.rows.map((x) => x.keys)).toEqual([10, 12, 13]);
    expect(r.notes).toContain('PARTIAL snapshot(s) 2 left out of the series: their keys stop at a fault');
    // Asked for as --from, it is in the series it starts.
    expect(ids(run(db, { top: 10, from: '2', to: '4' }))).toEqual([1, 2, 3, 4]);
  });
});
