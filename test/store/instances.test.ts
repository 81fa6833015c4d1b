import Database from 'better-sqlite3';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/schema.js';
import { listInstances, listSnapshots, openStore } from '../../src/store/index.js';
import { defaultInstanceFor } from '../../src/store/snapshots.js';
import { rec } from '../support/records.js';
import { freshStore, loadRecords } from '../support/store.js';
import { reportRunner } from '../support/reports.js';
import { tempDir } from '../support/temp.js';

const growth = reportRunner('growth');
const summary = reportRunner('summary');
const DAY = 86_400;
const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => rec(`${prefix}:${i}`, { valueBytes: 10 }));

describe('instances', () => {
  it('a dump with no --instance belongs to its directory', () => {
    expect(defaultInstanceFor('/backups/shard-3/dump-2026-12-01.rdb')).toBe('shard-3');
    expect(defaultInstanceFor('relative/dir/dump.rdb')).toBe('dir');
  });

  it('growth compares the snapshots of one instance, never two servers', async () => {
    const { db, dir } = freshStore();
    // Interleaved in time: a's nights and b's nights alternate.
    await loadRecords(db, dir, 'a1.rdb', keys('x', 2), { ctimeS: 1_000_000, instance: 'a' });
    await loadRecords(db, dir, 'b1.rdb', keys('x', 50), { ctimeS: 1_000_000 + DAY / 2, instance: 'b' });
    await loadRecords(db, dir, 'a2.rdb', keys('x', 3), { ctimeS: 1_000_000 + DAY, instance: 'a' });
    await loadRecords(db, dir, 'b2.rdb', keys('x', 70), { ctimeS: 1_000_000 + 1.5 * DAY, instance: 'b' });
    expect(listInstances(db)).toEqual(['a', 'b']);
    // Default: the latest snapshot (b2) and the one before it of its own instance (b1), not a2.
    const latest = growth(db, { top: 5 });
    expect(latest.notes[0]).toMatch(/^instance b: from snapshot 2 \(b1.rdb.* to 4 \(b2.rdb/);
    expect(latest.tables[0]!.rows[0]).toMatchObject({ keys_before: 50, keys_after: 70 });
    const a = growth(db, { top: 5, instance: 'a' });
    expect(a.tables[0]!.rows[0]).toMatchObject({ keys_before: 2, keys_after: 3 });
    // Only --from: --to is the latest of --from's instance.
    expect(growth(db, { top: 5, from: 'a1.rdb' }).tables[0]!.rows[0]).toMatchObject({ keys_before: 2, keys_after: 3 });
    expect(() => growth(db, { top: 5, from: 'a1.rdb', to: 'b2.rdb' })).toThrow(/instance "a" and --to of "b"/);
    // The series holds one instance's snapshots only.
    await loadRecords(db, dir, 'a3.rdb', keys('x', 4), { ctimeS: 1_000_000 + 2 * DAY, instance: 'a' });
    const series = growth(db, { top: 5, instance: 'a' }).tables.find((t) => t.name === 'series')!.rows;
    expect(series.map((r) => r.snapshot)).toEqual(['a1.rdb', 'a2.rdb', 'a3.rdb']);
    expect(() => summary(db, { top: 5, instance: 'c' })).toThrow(/no snapshot of instance "c"; instances: a, b/);
    expect(summary(db, { top: 5, instance: 'b' }).notes[0]).toMatch(/^snapshot 4 of instance b: b2.rdb/);
  });

  it('loads without --instance take the directory name', async () => {
    const { db, dir } = freshStore();
    mkdirSync(join(dir, 'shard-7'));
    await loadRecords(db, join(dir, 'shard-7'), 'dump.rdb', keys('x', 1));
    expect(listSnapshots(db)[0]!.instance).toBe('shard-7');
  });

  it('snapshots of a database made before instances existed form the default instance', async () => {
    const dir = tempDir();
    const path = join(dir, 'old.sqlite');
    // A version-4 database with two snapshots, as an older rdbscope left it.
    const old = new Database(path);
    old.exec(MIGRATIONS.slice(0, 4).join('\n'));
    old.pragma('user_version = 4');
    const insert = old.prepare(`INSERT INTO snapshots (file_name, path, file_bytes, fingerprint, compression, time_source, status, pattern_mode, loaded_at_ms, snapshot_time_ms)
      VALUES (?, ?, 1, ?, 'none', 'ctime', 'complete', 'inferred', 0, ?)`);
    insert.run('n1.rdb', '/x/n1.rdb', 'f1', 1000);
    insert.run('n2.rdb', '/x/n2.rdb', 'f2', 2000 + DAY * 1000);
    old.close();
    const db = openStore(path);
    expect(listInstances(db)).toEqual(['default']);
    expect(listSnapshots(db, 'default').map((s) => s.file_name)).toEqual(['n1.rdb', 'n2.rdb']);
    expect(growth(db, { top: 5 }).notes[0]).toMatch(/^instance default: from snapshot 1 \(n1.rdb/);
    expect(db.prepare('SELECT instance FROM v_snapshots ORDER BY id').pluck().all()).toEqual([null, null]);
    db.close();
  });
});
