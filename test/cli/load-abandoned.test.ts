import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

// A load killed or interrupted (SIGKILL, SIGTERM from `timeout`, Ctrl-C) leaves its snapshot
// `loading` with the rows it committed; the next load, of any file, removes it.

describe.skipIf(!cliBuilt)('load after an interrupted load of another file', () => {
  it('removes the unfinished snapshot and its rows, says so, and loads its own file', () => {
    const dir = tempDir();
    const db = join(dir, 'x.sqlite');
    expect(runCli(['load', join(FIXTURES_DIR, 'nightly', 'night-0.rdb'), join(FIXTURES_DIR, 'nightly', 'night-1.rdb'), '--db', db, '--quiet'], dir).code).toBe(0);
    // night-1's load as an interrupted process leaves it: loading, marked by a pid no process has
    const w = new Database(db);
    w.prepare("UPDATE snapshots SET status = 'loading', last_row = NULL, error = ? WHERE file_name = 'night-1.rdb'")
      .run(`loading: pid 99999999 on host ${hostname()}, process start -, load 0123456789abcdef`);
    w.close();

    const r = runCli(['load', join(FIXTURES_DIR, 'nightly', 'night-2.rdb'), '--db', db], dir);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('removed 1 unfinished snapshot(s) left by interrupted loads (night-1.rdb)');
    const ro = new Database(db, { readonly: true });
    expect(ro.prepare('SELECT file_name, status, key_count FROM snapshots ORDER BY id').all()).toEqual([
      { file_name: 'night-0.rdb', status: 'complete', key_count: 732 },
      { file_name: 'night-2.rdb', status: 'complete', key_count: 1062 },
    ]);
    expect(ro.prepare('SELECT count(*) FROM key_rows').pluck().get()).toBe(732 + 1062);
    ro.close();
  });
});
