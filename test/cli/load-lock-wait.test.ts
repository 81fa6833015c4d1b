/**
 * Loads of a fleet's dumps run side by side into one database: a load waits for another process's
 * write lock as long as that process holds it (up to WRITE_LOCK_WAIT_MS), instead of failing with
 * "database is locked" after better-sqlite3's default 5 s, and says it is waiting.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli, runCliAsync } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

const fixture = (name: string) => join(FIXTURES_DIR, name);

describe.skipIf(!cliBuilt || !existsSync(fixture('growth-b.rdb')))('a load while another process holds the write lock', () => {
  it('waits past 5 s for the lock and loads once it is free (it failed with "database is locked")', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'fleet.sqlite');
    expect(runCli(['load', fixture('growth-a.rdb'), '--db', dbPath, '--quiet'], dir).code).toBe(0);
    const holder = new Database(dbPath);
    holder.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    const load = runCliAsync(['load', fixture('growth-b.rdb'), '--db', dbPath], dir);
    await new Promise((r) => setTimeout(r, 6500));
    holder.exec('COMMIT');
    holder.close();
    const r = await load;
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeGreaterThan(6000);
    // The wait is told once it passes LOCK_NOTICE_MS, not left silent for up to 10 minutes.
    expect(r.stdout.split('\n').filter((l) => l.includes('waiting for another process\'s write lock'))).toEqual([
      `${dbPath}: waiting for another process's write lock on this database (up to 10 minutes)`,
    ]);
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare("SELECT file_name, status FROM snapshots ORDER BY id").all()).toEqual([
      { file_name: 'growth-a.rdb', status: 'complete' }, { file_name: 'growth-b.rdb', status: 'complete' },
    ]);
    db.close();
  }, 60_000);
});
