import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CLI_MAIN, cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

// A loaded database is in WAL mode; reading it needs its -shm file beside it, which SQLite creates
// when missing. In a directory the reader cannot write (a read-only mount, another user's directory)
// that fails, and SQLite's own words ("attempt to write a readonly database" for a report that
// writes nothing) do not say why.

const root = process.getuid?.() === 0;
const setpriv = root && spawnSync('setpriv', ['--version']).status === 0;

/** The CLI as a user that cannot write `dir`: nobody when run as root (setpriv), else this user with `dir` made read-only. */
function runWithoutWriteAccess(args: string[]): { code: number; stderr: string } {
  const cmd = root ? 'setpriv' : process.execPath;
  const argv = root ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI_MAIN, ...args] : [CLI_MAIN, ...args];
  const r = spawnSync(cmd, argv, { cwd: '/', encoding: 'utf8', env: { ...process.env, RDBSCOPE_DEBUG: '' } });
  return { code: r.status ?? -1, stderr: r.stderr };
}

describe.skipIf(!cliBuilt || (root && !setpriv))('a database where the user cannot write', () => {
  it('report and sql of a WAL database in a directory they cannot write say why they cannot read it, in one line, exit 1', () => {
    const dir = tempDir();
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    const db = join(ro, 'fleet.sqlite');
    copyFileSync(join(FIXTURES_DIR, 'nightly', 'night-0.rdb'), join(dir, 'night-0.rdb'));
    expect(runCli(['load', join(dir, 'night-0.rdb'), '--db', db, '--quiet'], dir).code).toBe(0);
    chmodSync(dir, 0o755);
    chmodSync(db, 0o644);
    chmodSync(ro, 0o555);
    onTestFinished(() => chmodSync(ro, 0o755));

    for (const args of [['report', 'summary', '--db', db], ['sql', 'SELECT count(*) FROM snapshots', '--db', db]]) {
      const r = runWithoutWriteAccess(args);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr, args[0]).toMatch(
        new RegExp(`^rdbscope: ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot be read in place: it is in WAL mode, and SQLite must create or open \\S+-shm beside it to read it, which it cannot \\(.*\\): a read-only directory\\? copy the database to a writable one\\n$`),
      );
    }
  });

  it('a load into a database file it cannot write names the database; what it held is kept', () => {
    const dir = tempDir();
    const db = join(dir, 'fleet.sqlite');
    copyFileSync(join(FIXTURES_DIR, 'nightly', 'night-0.rdb'), join(dir, 'night-0.rdb'));
    copyFileSync(join(FIXTURES_DIR, 'nightly', 'night-1.rdb'), join(dir, 'night-1.rdb'));
    expect(runCli(['load', join(dir, 'night-0.rdb'), '--db', db, '--quiet'], dir).code).toBe(0);
    chmodSync(dir, 0o777);
    chmodSync(join(dir, 'night-1.rdb'), 0o644);
    chmodSync(db, root ? 0o644 : 0o444);
    onTestFinished(() => chmodSync(dir, 0o755));

    const r = runWithoutWriteAccess(['load', join(dir, 'night-1.rdb'), '--db', db, '--quiet']);
    expect(r).toEqual({ code: 1, stderr: `rdbscope: ${db}: attempt to write a readonly database\n` });
    const listed = runCli(['sql', 'SELECT file_name, status FROM snapshots', '--db', db, '--format', 'csv'], dir);
    expect(listed.stdout).toBe('file_name,status\nnight-0.rdb,complete\n');
  });
});
