import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadFiles } from '../../src/cli/load-files.js';
import { memorySpecFrom } from '../../src/cli/memory-options.js';
import { openStore, type Store } from '../../src/store/index.js';
import { nightlyExpected, nightlyFiles } from '../support/nightly.js';
import { reportRunner } from '../support/reports.js';
import { tempDir } from '../support/temp.js';
import { rec } from '../support/records.js';
import { freshStore, loadRecords } from '../support/store.js';

const growth = reportRunner('growth');
const forecast = reportRunner('forecast');
const diagnosis = reportRunner('diagnosis');

/**
 * The five nightly dumps of one Debian redis-server, its first three estimated with the official
 * build and the last two with the distro build (quantum 16): what a load does when the small early
 * dumps leave the build undecided (official assumed) and the larger later ones have used-mem tell
 * it (memory/build-choice.ts).
 */
async function nightsOfTwoBuilds(): Promise<Store> {
  const db = openStore(join(tempDir(), 'test.sqlite'));
  const files = nightlyFiles();
  for (const [server, part] of [['redis-7.0', files.slice(0, 3)], ['redis-7.0-q16', files.slice(3)]] as const) {
    const { failures } = await loadFiles(db, part, { memory: memorySpecFrom({ server }), quiet: true, worker: false, keysMinBytes: null, topPerPattern: null, say: () => {} });
    expect(failures).toBe(0);
  }
  return db;
}

describe('snapshots of one server whose estimates assume two allocator builds', () => {
  it('growth does not report the build\'s rounding as growth: each family changes as the live server measured', async () => {
    const truth = nightlyExpected();
    const db = await nightsOfTwoBuilds();
    // night-2 (official build) to night-3 (quantum 16).
    const r = growth(db, { from: '3', to: '4', top: 100 });
    const rows = [...r.tables.find((t) => t.name === 'growth')!.rows, ...r.tables.find((t) => t.name === 'shrinking')!.rows];
    const [before, after] = [truth.nights[2]!.live, truth.nights[3]!.live];
    const checked: string[] = [];
    for (const family of Object.keys(truth.families).filter((f) => before[f] !== undefined && after[f] !== undefined)) {
      const server = Math.sign(after[family]!.memoryUsage - before[family]!.memoryUsage);
      const row = rows.find((x) => x.pattern === family);
      // A family the server measured unchanged is in neither ranking; one that grew is 'grown'.
      expect(row?.status ?? 'same', family).toBe(server > 0 ? 'grown' : server < 0 ? 'shrunk' : 'same');
      checked.push(family);
    }
    expect(checked).toContain('leaderboard:global');
    expect(r.notes.some((n) => /two allocator builds of the server \(redis-7\.0 for snapshot\(s\) 3; redis-7\.0-q16 for snapshot\(s\) 4\)/.test(n))).toBe(true);
  });

  it('the diagnosis flags no "each key grows" on keys the server measured unchanged every night, and still flags those that grew', async () => {
    const truth = nightlyExpected();
    const db = await nightsOfTwoBuilds();
    const unchanged = (f: string) => truth.nights.every((n) => n.live[f]?.memoryUsage === truth.nights[0]!.live[f]?.memoryUsage);
    expect(unchanged('leaderboard:global')).toBe(true);
    const patterns = diagnosis(db, { top: 20 }).tables.find((t) => t.name === 'patterns')!.rows;
    const flag = (p: string) => String(patterns.find((x) => x.pattern === p)!.flag ?? '');
    expect(flag('leaderboard:global')).not.toMatch(/each key grows/);
    // feed:* holds the same 30 lists every night, each longer than the night before.
    expect(truth.nights.every((n) => n.live['feed:*']!.keys === 30)).toBe(true);
    expect(flag('feed:*')).toMatch(/each key grows/);
    // The forecast fits one measure over all five: no pattern grows by the switch of builds.
    const fitted = forecast(db, { top: 100 }).tables.find((t) => t.name === 'patterns')!.rows;
    const row = fitted.find((x) => x.pattern === 'leaderboard:global')!;
    const perDay = Object.keys(row).filter((c) => c.endsWith('_per_day') && c !== 'keys_per_day');
    expect(perDay.map((c) => row[c])).toEqual([0]);
  });
});

describe('growth\'s series over the snapshots before the pair', () => {
  it('is in one measure: the estimates of snapshots of another build would draw a step no key made', async () => {
    const truth = nightlyExpected();
    const db = await nightsOfTwoBuilds();
    // The default pair is night-3 and night-4, both of quantum 16; the series runs from night-0.
    const r = growth(db, { top: 100 });
    const series = r.tables.find((t) => t.name === 'series')!;
    const measure = series.columns.map((c) => c.name).find((c) => c === 'memory' || c === 'file_bytes')!;
    // user:*:profile: a hash of the same size per key every night, as the server measured it.
    const perKey = truth.nights.map((n) => n.live['user:*:profile']!.memoryUsage / n.live['user:*:profile']!.keys);
    expect(Math.max(...perKey) / Math.min(...perKey)).toBeLessThan(1.01);
    const ours = series.rows.filter((x) => x.pattern === 'user:*:profile').map((x) => (x[measure] as number) / (x.keys as number));
    expect(ours).toHaveLength(truth.nights.length);
    expect(Math.max(...ours) / Math.min(...ours)).toBeLessThan(1.01);
  });
});

describe('the forecast\'s wall when no measure of memory is left', () => {
  it('says which dumps lack used-mem and why the estimates are not used, not that there are none', async () => {
    const { db, dir } = freshStore();
    const keys = (n: number) => Array.from({ length: n }, (_, k) => rec(`k:${k}`, { valueBytes: 100, memory: { encoding: 'raw', bytes: 160, exact: true } }));
    // An upgrade: two dumps of Redis before 4.0 (no used-mem: the official build assumed), then
    // one whose used-mem told a distro build.
    await loadRecords(db, dir, 'd0.rdb', keys(100), { ctimeS: 1_700_000_000, usedMem: null, memoryProfile: 'redis-7.0' });
    await loadRecords(db, dir, 'd1.rdb', keys(200), { ctimeS: 1_700_000_000 + 86_400, usedMem: null, memoryProfile: 'redis-7.0' });
    await loadRecords(db, dir, 'd2.rdb', keys(300), { ctimeS: 1_700_000_000 + 2 * 86_400, usedMem: 9_000_000, memoryProfile: 'redis-7.0-q16' });
    const r = forecast(db, { top: 5, maxmemory: 100_000_000 });
    expect(r.tables.some((t) => t.name === 'wall')).toBe(false);
    expect(r.notes).toContain('no dates for the alarm and maxmemory: 2 of the 3 dumps record no used-mem and their memory estimates assume two allocator builds; the bytes of the values in the file are far below what a server holds');
  });
});
