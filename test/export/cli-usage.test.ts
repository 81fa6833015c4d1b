import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_MAIN, cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

describe.skipIf(!cliBuilt)('export usage', () => {
  const dump = join(FIXTURES_DIR, 'growth-a.rdb');
  it.each([
    [['export', dump, '--format', 'csv', '--out', 'x'], /--format must be parquet/],
    [['export', dump], /export needs --out/],
    [['export', '--out', 'x'], /needs dump files or --db/],
    [['export', dump, '--db', 'x.sqlite', '--out', 'x'], /dump files or --db, not both/],
    [['export', '--db', 'missing.sqlite', '--out', 'x'], /no database at missing.sqlite/],
    [['export', '--db', 'missing.sqlite', '--server', 'redis-7.2', '--out', 'x'], /^rdbscope: --server applies to dumps; a snapshot exports the memory estimates of its load/],
    [['export', '--db', 'missing.sqlite', '--redis-conf', 'redis.conf', '--out', 'x'], /^rdbscope: --redis-conf applies to dumps/],
    [['export', dump, '--snapshot', '1', '--out', 'x'], /--snapshot goes with --db/],
    [['export', dump, '--keys-min-bytes', '-1', '--out', 'x'], /--keys-min-bytes must be an integer >= 0/],
    [['export', dump, '--instance', 'a\nb', '--out', 'x'], /--instance must be 1 to 200 printable characters/],
    [['export', dump, '--out', dump], /^rdbscope: --out \S+growth-a\.rdb is not a directory\n$/],
  ])('%j is a usage error (exit 2, one line)', (args, message) => {
    const r = runCli(args, tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--db with an --instance no snapshot has names the instances there are', () => {
    const cwd = tempDir();
    expect(runCli(['load', dump, '--db', 'x.sqlite', '--instance', 'shard-1', '--quiet'], cwd).code).toBe(0);
    const r = runCli(['export', '--db', 'x.sqlite', '--instance', 'shard-l', '--out', 'out'], cwd);
    expect(r.stderr).toBe('rdbscope: no finished snapshot of instance "shard-l" in x.sqlite; instances: shard-1\n');
    expect(r.code).toBe(2);
  });

  // `--out "$DIR"` with DIR unset: the partitions went to the current directory, then the run
  // failed reading '' back (ENOENT scandir '', exit 1).
  it('an empty --out is a usage error and writes nothing', () => {
    const cwd = tempDir();
    const r = runCli(['export', dump, '--out', ''], cwd);
    expect(r.stderr).toBe('rdbscope: --out is empty: give the export directory\n');
    expect(r.code).toBe(2);
    expect(readdirSync(cwd)).toEqual([]);
  });

  // Under /proc mkdir of a missing child fails with ENOENT though its parent exists: Node's recursive
  // mkdir retried that for ever at 100% CPU. A timeout, not a hung test run, if it ever comes back.
  it.skipIf(!existsSync('/proc/self'))('an --out it cannot create is one line and exit 1, not a hang', () => {
    const r = spawnSync(process.execPath, [CLI_MAIN, 'export', dump, '--out', '/proc/rdbscope-no-such/out'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^rdbscope: ENOENT: [^\n]*mkdir '\/proc\/rdbscope-no-such'\n$/);
  });
});
