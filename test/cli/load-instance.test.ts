import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

// A dump is stored once, under the instance and with the row limits of its first load: a later load
// asking otherwise says so instead of reporting "nothing to do" as if its options had applied.

describe.skipIf(!cliBuilt)('load of a dump already stored, with options that would have stored it otherwise', () => {
  it('--instance naming another instance warns on stderr, even with --quiet, for the same file and for a copy of its content', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'shard-1'));
    const dump = join(dir, 'shard-1', 'dump.rdb');
    copyFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb'), dump);
    const gz = join(dir, 'dump.rdb.gz');
    copyFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb.gz'), gz);
    const db = join(dir, 'x.sqlite');
    expect(runCli(['load', dump, '--db', db, '--quiet'], dir)).toMatchObject({ code: 0, stderr: '' });

    const again = runCli(['load', dump, gz, '--db', db, '--instance', 'shard-9', '--quiet'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr.trim().split('\n')).toEqual([
      `rdbscope: ${dump}: WARNING: already loaded as a snapshot of instance shard-1, not shard-9: reports of shard-9 leave it out`,
      `rdbscope: ${gz}: WARNING: already loaded as a snapshot of instance shard-1, not shard-9: reports of shard-9 leave it out`,
    ]);
    // the same instance, given or from the dump's directory: nothing to warn about
    expect(runCli(['load', dump, '--db', db, '--instance', 'shard-1', '--quiet'], dir)).toMatchObject({ code: 0, stderr: '' });
    expect(runCli(['load', dump, '--db', db, '--quiet'], dir)).toMatchObject({ code: 0, stderr: '' });
    expect(runCli(['load', gz, '--db', db, '--instance', 'shard-1', '--quiet'], dir)).toMatchObject({ code: 0, stderr: '' });
  });

  it('the same content in another instance\'s directory warns too: two shards\' identical dumps, a copy filed elsewhere', () => {
    const dir = tempDir();
    for (const shard of ['shard-x', 'shard-y']) {
      mkdirSync(join(dir, shard));
      copyFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb'), join(dir, shard, 'dump.rdb'));
    }
    mkdirSync(join(dir, 'archive'));
    const archived = join(dir, 'archive', 'shard-x.rdb.gz');
    copyFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb.gz'), archived);
    const db = join(dir, 'x.sqlite');
    const r = runCli(['load', join(dir, 'shard-x', 'dump.rdb'), join(dir, 'shard-y', 'dump.rdb'), archived, '--db', db, '--quiet'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      `rdbscope: ${join(dir, 'shard-y', 'dump.rdb')}: WARNING: already loaded as a snapshot of instance shard-x, not shard-y: reports of shard-y leave it out`,
      `rdbscope: ${archived}: WARNING: already loaded as a snapshot of instance shard-x, not archive: reports of archive leave it out`,
    ]);
  });

  it('a load asking for more than the stored snapshot holds (every key row, a duplicate check) says its options change nothing', () => {
    const dir = tempDir();
    const dump = join(FIXTURES_DIR, 'nightly', 'night-0.rdb');
    const db = join(dir, 'x.sqlite');
    expect(runCli(['load', dump, '--db', db, '--keys-min-bytes', '1000', '--quiet'], dir)).toMatchObject({ code: 0, stderr: '' });
    const rows = `snapshot 1 was loaded with per-key rows limited (--keys-min-bytes 1000: 32 key rows kept)`;
    expect(runCli(['load', dump, '--db', db, '--quiet'], dir)).toEqual({
      code: 0, stdout: '', stderr: `rdbscope: ${dump}: note: ${rows}; this load's options change nothing (a dump is stored once)\n`,
    });
    expect(runCli(['load', dump, '--db', db, '--keys-min-bytes', '500', '--quiet'], dir).stderr).toContain(rows);
    // as limited or more: nothing missing
    expect(runCli(['load', dump, '--db', db, '--keys-min-bytes', '1000', '--quiet'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(runCli(['load', dump, '--db', db, '--top-per-pattern', '3', '--quiet'], dir).stderr).toContain(rows);

    // night-0 has 732 keys: the parse's own duplicate check answered, so asking again is no news
    expect(runCli(['load', dump, '--db', db, '--check-duplicates', '--quiet'], dir).stderr).not.toContain('duplicate');
    const db2 = join(dir, 'y.sqlite');
    const w = runCli(['load', dump, '--db', db2, '--quiet'], dir);
    expect(w.code).toBe(0);
    const rw = new Database(db2);
    rw.prepare('UPDATE snapshots SET duplicate_keys = NULL').run(); // as a dump too large for the parse's check
    rw.close();
    expect(runCli(['load', dump, '--db', db2, '--check-duplicates', '--quiet'], dir)).toEqual({
      code: 0, stdout: '', stderr: `rdbscope: ${dump}: note: snapshot 1 was loaded without a duplicate-key check; this load's options change nothing (a dump is stored once)\n`,
    });
  });
});
