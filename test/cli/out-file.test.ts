import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_MAIN, cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

const fixture = (name: string) => join(FIXTURES_DIR, name);

describe.skipIf(!cliBuilt || !existsSync(fixture('growth-a.rdb')))('report / sql --out naming the database', () => {
  it('is a usage error that leaves the database whole (it was truncated and replaced by the output, exit 0)', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'x.sqlite');
    expect(runCli(['load', fixture('growth-a.rdb'), '--db', dbPath, '--quiet'], dir).code).toBe(0);
    linkSync(dbPath, join(dir, 'link.sqlite'));
    const before = readFileSync(dbPath);
    const runs = [
      ['report', 'summary', '--db', dbPath, '--out', dbPath],
      ['report', 'capacity', '--db', dbPath, '--out', 'x.sqlite', '--format', 'prometheus'],
      ['report', 'ttl', '--db', dbPath, '--out', 'link.sqlite'],
      ['report', 'ttl', '--db', dbPath, '--out', `${dbPath}-wal`],
      ['sql', '--db', dbPath, '--out', dbPath, 'SELECT 1'],
      ['sql', '--db', 'x.sqlite', '--out', join(dir, '.', 'x.sqlite'), '--format', 'csv', 'SELECT * FROM keys'],
    ];
    for (const args of runs) {
      const r = runCli(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^rdbscope: --out .* is .*database.*\n$/);
      expect(readFileSync(dbPath).equals(before), args.join(' ')).toBe(true);
    }
    expect(existsSync(`${dbPath}-wal`) ? readFileSync(`${dbPath}-wal`).length : 0).toBe(0);
    // The database still answers.
    expect(runCli(['report', 'summary', '--db', dbPath], dir).code).toBe(0);
    // Another file is written as before.
    const other = runCli(['sql', '--db', dbPath, '--out', join(dir, 'out.csv'), '--format', 'csv', 'SELECT 1 AS one'], dir);
    expect(other.code).toBe(0);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('one\n1\n');
  });
});

describe.skipIf(!cliBuilt || !existsSync(fixture('growth-a.rdb')))('analyze --html naming a place no page can go', () => {
  it('is a usage error before anything is loaded (it was found after the whole load, as "EBUSY … cannot write \'.\'", exit 1)', () => {
    const dir = tempDir();
    const dump = join(dir, 'a.rdb');
    writeFileSync(dump, readFileSync(fixture('growth-a.rdb')));
    const cases: [string, RegExp][] = [
      ['.', /^rdbscope: --html \. is a directory: give the page a file name\n$/],
      ['', /^rdbscope: --html is empty: give the page a file name\n$/],
      [dir, /is a directory/],
      [join(dir, 'no-such-dir', 'r.html'), /^rdbscope: --html .*: no directory .*no-such-dir.*\n$/],
      [dump, /^rdbscope: --html .* is the dump the page is made from/],
      ['a.rdbscope.sqlite', /^rdbscope: --html .* is the database the page is made from/],
    ];
    for (const [html, message] of cases) {
      const r = runCli(['analyze', dump, '--quiet', '--html', html], dir);
      expect(r.code, html).toBe(2);
      expect(r.stderr, html).toMatch(message);
      expect(r.stdout, html).toBe('');
      expect(existsSync(join(dir, 'a.rdbscope.sqlite')), html).toBe(false);
    }
    expect(readFileSync(dump).equals(readFileSync(fixture('growth-a.rdb')))).toBe(true);
    const ok = runCli(['analyze', dump, '--quiet', '--html', 'r.html'], dir);
    expect(ok.code).toBe(0);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
  });
});

describe.skipIf(!cliBuilt || !existsSync(fixture('growth-a.rdb')) || !existsSync('/dev/full'))('report / sql --out that cannot be written', () => {
  it('exits 1 with one line naming the file (a write that failed at the last flush exited 0, the output lost)', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'x.sqlite');
    expect(runCli(['load', fixture('growth-a.rdb'), '--db', dbPath, '--quiet'], dir).code).toBe(0);
    const runs: [string[], RegExp][] = [
      [['report', 'summary', '--db', dbPath, '--out', '/dev/full'], /^rdbscope: cannot write --out \/dev\/full: ENOSPC: no space left on device\n$/],
      [['sql', '--db', dbPath, '--out', '/dev/full', 'SELECT 1'], /^rdbscope: cannot write --out \/dev\/full: ENOSPC/],
      [['report', 'capacity', '--db', dbPath, '--format', 'prometheus', '--out', '/dev/full'], /^rdbscope: cannot write --out \/dev\/full: ENOSPC/],
    ];
    for (const [args, message] of runs) {
      const r = runCli(args, dir);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('refuses before any work, as a usage error in one line, an --out that is empty, a directory or in no directory', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'x.sqlite');
    expect(runCli(['load', fixture('growth-a.rdb'), '--db', dbPath, '--quiet'], dir).code).toBe(0);
    const missing = join(dir, 'no-such-dir', 'r.csv');
    for (const command of [['report', 'summary'], ['sql', 'SELECT 1']]) {
      for (const [out, message] of [
        ['', 'rdbscope: --out is empty: give the output a file name\n'],
        [dir, `rdbscope: --out ${dir} is a directory: give the output a file name\n`],
        [missing, `rdbscope: --out ${missing}: no directory ${join(dir, 'no-such-dir')}\n`],
      ] as const) {
        const r = runCli([...command, '--db', dbPath, '--out', out], dir);
        expect(r.code, `${command.join(' ')} --out ${out}`).toBe(2);
        expect(r.stderr).toBe(message);
        expect(r.stdout).toBe('');
      }
    }
  });
});

describe.skipIf(!cliBuilt || !existsSync(fixture('growth-a.rdb')))('report / sql --out replacing a file another program reads', () => {
  it('puts a whole new file in its place by rename, and a failed run leaves the old one (it was truncated and rewritten in place)', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'x.sqlite');
    expect(runCli(['load', fixture('growth-a.rdb'), '--db', dbPath, '--quiet'], dir).code).toBe(0);
    const prom = join(dir, 'rdbscope.prom');
    writeFileSync(prom, 'old_metric 1\n');
    // A second name for the old file: what a reader that opened it before the run goes on reading.
    linkSync(prom, join(dir, 'reader.prom'));
    const r = runCli(['report', 'capacity', '--db', dbPath, '--format', 'prometheus', '--out', prom], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(prom, 'utf8')).toMatch(/^# HELP rdbscope_/);
    expect(readFileSync(join(dir, 'reader.prom'), 'utf8')).toBe('old_metric 1\n');
    // A query that fails after many rows were written: the old file stays, no temporary file is left.
    const csv = join(dir, 'r.csv');
    writeFileSync(csv, 'old\n');
    const failing = runCli(['sql', '--db', dbPath, '--out', csv, '--format', 'csv',
      'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 200000) SELECT CASE WHEN n = 199999 THEN abs(-9223372036854775807 - 1) ELSE n END AS v FROM c'], dir);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toBe('rdbscope: integer overflow\n');
    expect(readFileSync(csv, 'utf8')).toBe('old\n');
    expect(readdirSync(dir).filter((n) => n.includes('.tmp'))).toEqual([]);
    // What cannot be renamed over is written in place: /dev/stdout (here a pipe; its link's target
    // has no name to rename over), and a symbolic link stays one, its file replaced.
    // (Through `| cat`: runCli's stdout is a socket, which /dev/stdout cannot open, ENXIO.)
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI_MAIN}" report capacity --db "${dbPath}" --format prometheus --out /dev/stdout | cat`], { cwd: dir, encoding: 'utf8' });
    expect(piped.stderr).toBe('');
    expect(piped.status).toBe(0);
    expect(piped.stdout).toMatch(/^# HELP rdbscope_/);
    symlinkSync('rdbscope.prom', join(dir, 'link.prom'));
    expect(runCli(['report', 'summary', '--db', dbPath, '--format', 'prometheus', '--out', 'link.prom'], dir).code).toBe(0);
    expect(lstatSync(join(dir, 'link.prom')).isSymbolicLink()).toBe(true);
    expect(readFileSync(prom, 'utf8')).toMatch(/^# HELP rdbscope_keyspace_/);
  });
});

describe.skipIf(!cliBuilt || !existsSync(fixture('growth-a.rdb')))('report --out replacing a file under a strict umask', () => {
  it('keeps the permission bits of the file it replaces (the new one was 0600 under umask 077: unreadable to node_exporter)', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'x.sqlite');
    expect(runCli(['load', fixture('growth-a.rdb'), '--db', dbPath, '--quiet'], dir).code).toBe(0);
    const prom = join(dir, 'rdbscope.prom');
    writeFileSync(prom, 'old_metric 1\n');
    chmodSync(prom, 0o644);
    const r = spawnSync('sh', ['-c', `umask 077; "${process.execPath}" "${CLI_MAIN}" report capacity --db "${dbPath}" --format prometheus --out "${prom}"`], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(prom, 'utf8')).toMatch(/^# HELP rdbscope_/);
    expect(statSync(prom).mode & 0o777).toBe(0o644);
  });
});

describe.skipIf(!cliBuilt || !existsSync(fixture('growth-a.rdb')))('report / sql --out interrupted (a cron timeout)', () => {
  it('exits 143 on SIGTERM leaving no temporary file and the old --out (the .tmp stayed beside it, one per run)', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'x.sqlite');
    expect(runCli(['load', fixture('growth-a.rdb'), '--db', dbPath, '--quiet'], dir).code).toBe(0);
    writeFileSync(join(dir, 'big.csv'), 'old\n');
    const child = spawn(process.execPath, [CLI_MAIN, 'sql', '--db', dbPath, '--out', 'big.csv', '--format', 'csv',
      'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 50000000) SELECT n, n * 2 AS m FROM c'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const temp = () => readdirSync(dir).filter((n) => n.endsWith('.tmp'));
    for (let i = 0; i < 200 && temp().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(temp()).toHaveLength(1);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(temp()).toEqual([]);
    expect(readFileSync(join(dir, 'big.csv'), 'utf8')).toBe('old\n');
  });
});
