import { describe, expect, it } from 'vitest';
import { rowArray } from '../../src/output/result.js';
import { rec } from '../support/records.js';
import { reportRunner } from '../support/reports.js';
import { freshStore, loadRecords } from '../support/store.js';
import { storeWithDumps } from '../support/fixture-store.js';
import { nightlyExpected, nightlyFiles, slope } from '../support/nightly.js';

const forecast = reportRunner('forecast');
const DAY_S = 86_400;

describe('forecast on five nightly dumps of a real redis-server', () => {
  it('per-family rates match the change the live server measured (within 10%); born and vanished families are listed, not fitted', async () => {
    const truth = nightlyExpected();
    const { db } = await storeWithDumps(nightlyFiles(), { server: 'redis-7.0-q16' });
    const r = forecast(db, { top: 50 });
    const days = truth.nights.map((n) => (n.ctime - truth.nights[0]!.ctime) / DAY_S);
    const rows = r.tables.find((t) => t.name === 'patterns')!.rows;
    const present = (f: string) => truth.nights.every((n) => n.live[f] !== undefined);
    const checked: string[] = [];
    for (const family of Object.keys(truth.families).filter(present)) {
      const serverRate = slope(days, truth.nights.map((n) => n.live[family]!.memoryUsage)).slope;
      const ours = rows.find((x) => x.pattern === family);
      expect(ours, family).toBeDefined();
      const rate = ours!.memory_per_day as number;
      if (Math.abs(serverRate) < 1) expect(Math.abs(rate), family).toBeLessThan(64);
      else expect(Math.abs(rate - serverRate) / serverRate, `${family}: ${rate}/day, server ${serverRate.toFixed(0)}/day`).toBeLessThanOrEqual(0.1);
      const keyRate = slope(days, truth.nights.map((n) => n.live[family]!.keys)).slope;
      expect(ours!.keys_per_day as number, family).toBeCloseTo(keyRate, 6);
      checked.push(family);
    }
    expect(checked.length).toBeGreaterThanOrEqual(6);
    // Least squares is additive: the fitted patterns' rates plus those of the born and vanished ones
    // (0 where absent) make the total's rate.
    const total = r.tables.find((t) => t.name === 'total')!.rows.find((x) => x.measure === 'memory')!;
    const all = forecast(db, { top: 10_000 }).tables.find((t) => t.name === 'patterns')!.rows;
    const sizeIn = (pattern: string) => db.prepare('SELECT s.id, coalesce(sum(p.memory_bytes), 0) AS m FROM snapshots s LEFT JOIN pattern_stats p ON p.snapshot_id = s.id AND p.pattern = ? GROUP BY s.id ORDER BY s.id')
      .all(pattern).map((x) => (x as { m: number }).m);
    const unfitted = ['promo:*', 'legacy:*'].reduce((s, p) => s + slope(days, sizeIn(p)).slope, 0);
    expect(all.reduce((s, x) => s + (x.memory_per_day as number), 0) + unfitted).toBeCloseTo(total.per_day as number, -1);
    const changed = r.tables.find((t) => t.name === 'born_vanished')!.rows;
    expect(changed.map((x) => [x.pattern, x.status])).toEqual([['promo:*', 'born'], ['legacy:*', 'vanished']]);
    expect(rows.some((x) => x.pattern === 'promo:*' || x.pattern === 'legacy:*')).toBe(false);
    expect(changed[0]).toMatchObject({ keys_at_last_seen: truth.nights.at(-1)!.live['promo:*']!.keys, first_seen: truth.nights[2]!.ctime * 1000 });
  });

  it('the dates of the 85% alarm and of maxmemory follow from the used-mem rate', async () => {
    const truth = nightlyExpected();
    const { db } = await storeWithDumps(nightlyFiles(), { server: 'redis-7.0-q16' });
    const maxmemory = 4 * 1024 * 1024;
    const r = forecast(db, { top: 5, maxmemory });
    const t0 = truth.nights[0]!.ctime;
    const line = slope(truth.nights.map((n) => (n.ctime - t0) / DAY_S), truth.nights.map((n) => n.usedMem));
    const usedRow = r.tables.find((t) => t.name === 'total')!.rows.find((x) => x.measure === 'used_mem')!;
    expect(usedRow.per_day as number).toBeCloseTo(line.slope, 6);
    // Each row names its unit, which tables a person reads show its figures in.
    const units = Object.fromEntries(r.tables.find((t) => t.name === 'total')!.rows.map((x) => [x.measure, x.unit]));
    expect(units).toEqual({ used_mem: 'bytes', memory: 'bytes', keys: 'keys' });
    for (const [threshold, bytes] of [['alarm', Math.floor(maxmemory * 0.85)], ['maxmemory', maxmemory]] as const) {
      const expectedMs = (t0 + ((bytes - line.intercept) / line.slope) * DAY_S) * 1000;
      const row = r.tables.find((t) => t.name === 'wall')!.rows.find((x) => x.threshold === threshold)!;
      expect(Math.abs((row.reached_at as number) - expectedMs), threshold).toBeLessThan(1000);
    }
    expect(r.notes.some((n) => /^driven by: feed:\* /.test(n))).toBe(true);
    // maxmemory 0 is Redis's "no limit": no wall, and not taken for a missing --maxmemory.
    const unlimited = forecast(db, { top: 5, maxmemory: 0 });
    expect(unlimited.tables.some((t) => t.name === 'wall')).toBe(false);
    expect(unlimited.notes.some((n) => n.startsWith('no maxmemory given'))).toBe(false);
    expect(unlimited.notes.some((n) => n.startsWith('maxmemory 0: Redis has no memory limit'))).toBe(true);
    // A maxmemory already passed is reached "now" (the last snapshot).
    const past = forecast(db, { top: 5, maxmemory: 1_000_000 }).tables.find((t) => t.name === 'wall')!.rows;
    expect(past.every((x) => x.days_from_last === 0 && x.reached_at === truth.nights.at(-1)!.ctime * 1000)).toBe(true);
  });

  it('--snapshot: the forecast as of an older snapshot, from it and the earlier ones only', async () => {
    const files = nightlyFiles();
    const { db } = await storeWithDumps(files, { server: 'redis-7.0-q16' });
    const { db: then } = await storeWithDumps(files.slice(0, 3), { server: 'redis-7.0-q16' });
    const options = { top: 50, maxmemory: 4 * 1024 * 1024 };
    const older = forecast(db, { ...options, snapshot: '3' });
    const known = forecast(then, options);
    expect(older.tables).toEqual(known.tables);
    expect(older.notes[0]).toBe('instance nightly: 3 snapshot(s) up to snapshot 3 (night-2.rdb); 2 later one(s) left out');
    expect(older.notes.slice(1)).toEqual(known.notes.slice(1));
    expect(forecast(db, { ...options, snapshot: '5' })).toEqual(forecast(db, options));
  });

  it('a last snapshot below maxmemory is not called past it when only the fitted line is', async () => {
    const { db, dir } = freshStore();
    const keys = Array.from({ length: 5 }, (_, i) => rec(`k:${i}`, { valueBytes: 100 }));
    const mb = 1024 * 1024;
    // 1, 2, 3, 4, then 3.5 MB: the least-squares line is at 4.1 MB on the last day.
    for (const [i, used] of [1, 2, 3, 4, 3.5].entries()) await loadRecords(db, dir, `n${i}.rdb`, keys, { ctimeS: 1_700_000_000 + i * DAY_S, usedMem: used * mb });
    const r = forecast(db, { top: 5, maxmemory: Math.round(3.9 * mb) });
    expect(r.notes.some((n) => n.startsWith('used_mem is already past maxmemory'))).toBe(false);
    expect(r.notes).toContain('used_mem is 3.50 MB in the last snapshot, below maxmemory (3.90 MB), but its fitted line is already past it: it can be reached any time');
    // Past the alarm (3.32 MB) in the last snapshot itself: said as before.
    expect(r.notes.some((n) => n.startsWith('used_mem is already past the 85% alarm'))).toBe(true);
  });

  it('a last snapshot past maxmemory on a falling line is reached at the last snapshot, in the table as in the notes', async () => {
    const { db, dir } = freshStore();
    const keys = Array.from({ length: 5 }, (_, i) => rec(`k:${i}`, { valueBytes: 100 }));
    const t0 = 1_700_000_000;
    // 5, 3, then 4.2 MB: the line falls (-0.4 MB/day) and is at 3.67 MB on the last day, below
    // maxmemory (4 MB) and above the alarm (3.4 MB); the last snapshot is past both.
    const mb = 1_000_000;
    for (const [i, used] of [5, 3, 4.2].entries()) await loadRecords(db, dir, `n${i}.rdb`, keys, { ctimeS: t0 + i * DAY_S, usedMem: used * mb });
    const r = forecast(db, { top: 5, maxmemory: 4 * mb });
    expect(r.notes.filter((n) => n.startsWith('used_mem is already past'))).toHaveLength(2);
    const wall = r.tables.find((t) => t.name === 'wall')!.rows;
    expect(wall.map((x) => [x.threshold, x.reached_at, x.days_from_last])).toEqual([['alarm', (t0 + 2 * DAY_S) * 1000, 0], ['maxmemory', (t0 + 2 * DAY_S) * 1000, 0]]);
  });

  it('says how many dumps lack used-mem when the wall is forecast from the estimates instead', async () => {
    const keys = Array.from({ length: 5 }, (_, i) => rec(`k:${i}`, { valueBytes: 100 }));
    const noteOf = async (usedMems: (number | null)[]) => {
      const { db, dir } = freshStore();
      for (const [i, usedMem] of usedMems.entries()) await loadRecords(db, dir, `n${i}.rdb`, keys, { ctimeS: 1_700_000_000 + i * DAY_S, usedMem, memoryProfile: 'redis-7.0' });
      return forecast(db, { top: 5, maxmemory: 4 * 1024 * 1024 }).notes.filter((n) => n.includes('no used-mem'));
    };
    expect(await noteOf([1_000_000, null, 3_000_000, 4_000_000])).toEqual(['1 of the 4 dumps record no used-mem: the wall is forecast from the memory estimates']);
    expect(await noteOf([null, null, null])).toEqual(['the dumps record no used-mem: the wall is forecast from the memory estimates']);
    expect(await noteOf([1_000_000, 2_000_000, 3_000_000])).toEqual([]);
  });

  it('a trend that reaches maxmemory only in more than 100 years gets no date, only its days', async () => {
    const { db, dir } = freshStore();
    const keys = Array.from({ length: 5 }, (_, i) => rec(`k:${i}`, { valueBytes: 100 }));
    // used-mem grows 1 byte a day: 100 GB is 10^11 days away, past the last day a date holds.
    for (let i = 0; i < 3; i++) await loadRecords(db, dir, `n${i}.rdb`, keys, { ctimeS: 1_700_000_000 + i * DAY_S, usedMem: 1_000_000 + i });
    const maxmemory = 100 * 2 ** 30;
    const r = forecast(db, { top: 5, maxmemory });
    const wall = r.tables.find((t) => t.name === 'wall')!.rows;
    for (const row of wall) {
      expect(row.reached_at, String(row.threshold)).toBeNull();
      expect(row.days_from_last as number).toBeCloseTo((row.bytes as number) - 1_000_002, -1);
    }
    expect(r.notes.filter((n) => /^used_mem reaches .* only in more than 100 years at 1 B\/day: no date$/.test(n))).toHaveLength(2);
    // A century less a day is still dated.
    const near = forecast(db, { top: 5, maxmemory: 1_000_002 + Math.floor(100 * 365.25) - 1 }).tables.find((t) => t.name === 'wall')!.rows.find((x) => x.threshold === 'maxmemory')!;
    expect(near.reached_at).toBeGreaterThan(1_700_000_000_000);
  });

  it('no forecast from fewer than three snapshots, or from snapshots less than an hour apart', async () => {
    const { db, dir } = freshStore();
    const keys = (n: number) => Array.from({ length: n }, (_, i) => rec(`k:${i}`, { valueBytes: 100 }));
    await loadRecords(db, dir, 'a.rdb', keys(10), { ctimeS: 1_000_000 });
    await loadRecords(db, dir, 'b.rdb', keys(20), { ctimeS: 1_000_000 + DAY_S });
    const two = forecast(db, { top: 5 });
    expect(two.notes.some((n) => n.startsWith('no forecast: it needs 3 snapshots'))).toBe(true);
    expect(two.tables.map((t) => t.name)).toEqual(['series']);
    await loadRecords(db, dir, 'c.rdb', keys(30), { ctimeS: 1_000_000 + DAY_S + 600 });
    const close = forecast(db, { top: 5 });
    // Of two snapshots ten minutes apart the earlier (b, id 2) is left out: the latest is kept.
    expect(close.notes.some((n) => /1 snapshot\(s\) less than 1 h before the next one used left out \(2\)/.test(n))).toBe(true);
    expect(close.tables.map((t) => t.name)).toEqual(['series']);
    await loadRecords(db, dir, 'd.rdb', keys(40), { ctimeS: 1_000_000 + 2 * DAY_S });
    const ok = forecast(db, { top: 5 });
    const keysLine = slope([0, 1 + 600 / DAY_S, 2], [10, 30, 40]);
    const keysRow = rowArray(ok.tables.find((t) => t.name === 'total')!.rows).find((x) => x.measure === 'keys')!;
    expect(keysRow).toMatchObject({ snapshots: 3 });
    expect(keysRow.per_day as number).toBeCloseTo(keysLine.slope, 9);
  });

  it('a dump taken minutes after the nightly one (after the OOM) is the one forecast from: past maxmemory, not days away', async () => {
    const { db, dir } = freshStore();
    const keys = Array.from({ length: 5 }, (_, i) => rec(`k:${i}`, { valueBytes: 100 }));
    const t0 = 1_700_000_000;
    for (const [i, used] of [1_000_000, 2_000_000, 3_000_000].entries()) await loadRecords(db, dir, `night-${i}.rdb`, keys, { ctimeS: t0 + i * DAY_S, usedMem: used });
    // Half an hour after the last nightly dump, used-mem is past maxmemory.
    await loadRecords(db, dir, 'after-oom.rdb', keys, { ctimeS: t0 + 2 * DAY_S + 1800, usedMem: 4_200_000 });
    const r = forecast(db, { top: 5, maxmemory: 4_000_000 });
    expect(r.tables.find((t) => t.name === 'series')!.rows.map((x) => x.snapshot)).toEqual(['night-0.rdb', 'night-1.rdb', 'after-oom.rdb']);
    const wall = r.tables.find((t) => t.name === 'wall')!.rows;
    expect(wall.map((x) => [x.threshold, x.days_from_last, x.reached_at])).toEqual([['alarm', 0, (t0 + 2 * DAY_S + 1800) * 1000], ['maxmemory', 0, (t0 + 2 * DAY_S + 1800) * 1000]]);
    expect(r.notes).toContain('used_mem is already past maxmemory (3.81 MB)');
  });
  it('no wall dated from the bytes of the values in the file when the dumps have neither used-mem nor memory estimates', async () => {
    const { db, dir } = freshStore();
    for (let i = 0; i < 3; i++) {
      const keys = Array.from({ length: 100 * (i + 1) }, (_, k) => rec(`k:${k}`, { valueBytes: 100 }));
      await loadRecords(db, dir, `d${i}.rdb`, keys, { ctimeS: 1_700_000_000 + i * DAY_S, usedMem: null });
    }
    // 10, 20 and 30 KB of values: a 'maxmemory' of 35 KB would be dated a day out, though a server
    // holding those keys uses about a megabyte (capacity compares nothing then either).
    const r = forecast(db, { top: 5, maxmemory: 35_000 });
    expect(r.tables.find((t) => t.name === 'total')!.rows.map((x) => x.measure)).toEqual(['file_bytes', 'keys']);
    expect(r.tables.some((t) => t.name === 'wall')).toBe(false);
    expect(r.notes.some((n) => / reaches /.test(n))).toBe(false);
    expect(r.notes).toContain('no dates for the alarm and maxmemory: the dumps record no used-mem and have no memory estimates; the bytes of the values in the file are far below what a server holds');
    const cap = reportRunner('capacity')(db, { top: 20, maxmemory: 35_000 }).tables.find((t) => t.name === 'capacity')!.rows[0]!;
    expect(cap['used_share']).toBeNull();
  });
});

describe('forecast of dumps without used-mem (Redis before 4.0)', () => {
  it('measures the wall on the estimate of the loaded server (keys, dict buckets, an empty server), as capacity does, not on the keys alone', async () => {
    const { db, dir } = freshStore();
    for (let i = 0; i < 4; i++) {
      const keys = Array.from({ length: 200 + 50 * i }, (_, k) => rec(`k:${k}`, { valueBytes: 100, elements: 100, memory: { encoding: 'raw', bytes: 160, exact: true } }));
      await loadRecords(db, dir, `d${i}.rdb`, keys, { ctimeS: 1_700_000_000 + i * DAY_S, usedMem: null, memoryProfile: 'redis-7.0' });
    }
    const maxmemory = 1024 * 1024;
    const r = forecast(db, { top: 5, maxmemory });
    const wall = r.tables.find((t) => t.name === 'wall')!.rows;
    const total = r.tables.find((t) => t.name === 'total')!.rows;
    const estimated = total.find((x) => x.measure === 'estimated_used')!;
    const cap = reportRunner('capacity')(db, { top: 20, maxmemory }).tables.find((t) => t.name === 'capacity')!.rows[0]!;
    // The last snapshot's figure is the one capacity compares with maxmemory.
    expect(estimated.last).toBe(cap['estimated_used']);
    expect(estimated.per_day as number).toBeGreaterThan(50 * 160); // the keys' bytes and their dict entries
    expect(wall.map((w) => w.measure)).toEqual(['estimated_used', 'estimated_used']);
    // 350 keys and the server's ~940 KB are past the 85% alarm of 1 MB now, as capacity says; the keys alone (56 KB) are 100+ days from it.
    expect(cap['alarm_crossed']).toBe(1);
    expect(wall[0]).toMatchObject({ threshold: 'alarm', days_from_last: 0 });
    expect(r.notes).toContain('the dumps record no used-mem: the wall is forecast from the memory estimates');
    // The series holds the line the walls are fitted on, for the page's chart to continue.
    const seriesRows = r.tables.find((t) => t.name === 'series')!.rows;
    expect(seriesRows.map((x) => typeof x.estimated_used)).toEqual(['number', 'number', 'number', 'number']);
    expect(seriesRows.at(-1)!.estimated_used).toBe(estimated.last);
  });
});
