/**
 * Where `rdbscope html --out` cannot write a page: said before any report runs, as a usage error
 * (exit 2, one line), and nothing is written.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, lstatSync, openSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CLI_MAIN, cliBuilt, runCli, runCliAsync } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

it.skipIf(!cliBuilt)('an --out no page can be written to is refused before the reports run', () => {
  const dir = tempDir();
  const db = join(dir, 'g.sqlite');
  mkdirSync(join(dir, 'pages'));
  writeFileSync(join(dir, 'file'), 'x');
  expect(runCli(['load', join(FIXTURES_DIR, 'growth-a.rdb'), '--db', db, '--quiet'], dir).code).toBe(0);
  const cases: [string, string][] = [
    // `--out "$PAGE"` with PAGE unset.
    ['', 'rdbscope: --out is empty: give the page a file name'],
    ['pages', 'rdbscope: --out pages is a directory: give the page a file name'],
    ['missing/r.html', 'rdbscope: --out missing/r.html: no directory missing'],
    ['file/r.html', 'rdbscope: --out file/r.html: no directory file'],
  ];
  const before = readdirSync(dir).sort();
  for (const [out, message] of cases) {
    const r = runCli(['html', '--db', db, '--out', out], dir);
    expect(r.stderr, out).toBe(`${message}\n`);
    expect(r.code, out).toBe(2);
  }
  expect(readdirSync(dir).sort()).toEqual(before);
  expect(readdirSync(join(dir, 'pages'))).toEqual([]);
});

it.skipIf(!cliBuilt)('a page replacing another keeps its permission bits (under umask 077 it became 0600, unreadable to the web server)', () => {
  const dir = tempDir();
  const db = join(dir, 'g.sqlite');
  expect(runCli(['load', join(FIXTURES_DIR, 'growth-a.rdb'), '--db', db, '--quiet'], dir).code).toBe(0);
  const page = join(dir, 'r.html');
  writeFileSync(page, 'old');
  chmodSync(page, 0o644);
  const r = spawnSync('sh', ['-c', `umask 077; "${process.execPath}" "${CLI_MAIN}" html --db "${db}" --out "${page}"`], { cwd: dir, encoding: 'utf8' });
  expect(r.stderr).toMatch(/^wrote /);
  expect(r.status).toBe(0);
  expect(readFileSync(page, 'utf8')).toMatch(/^<!DOCTYPE html>/i);
  expect(statSync(page).mode & 0o777).toBe(0o644);
});

/**
 * commands.md: a regular --out file is replaced through a temporary name; anything else is written
 * in place. html --out renamed its temporary page over whatever the path named: a symbolic link
 * (`report.html -> /srv/www/report.html`) became a plain file and the served page was never
 * updated, a named pipe was replaced (its reader left waiting), and run as root `--out /dev/full`
 * or `--out /dev/stdout` replaced the device node or the link in /dev with a file.
 */
it.skipIf(!cliBuilt)('a symbolic link stays a link, the page it points to is replaced', () => {
  const dir = tempDir();
  const db = join(dir, 'g.sqlite');
  expect(runCli(['load', join(FIXTURES_DIR, 'growth-a.rdb'), '--db', db, '--quiet'], dir).code).toBe(0);
  mkdirSync(join(dir, 'www'));
  const served = join(dir, 'www', 'report.html');
  writeFileSync(served, 'old');
  chmodSync(served, 0o644);
  symlinkSync(served, join(dir, 'report.html'));
  const r = runCli(['html', '--db', db, '--out', 'report.html'], dir);
  expect(r.stderr).toBe('wrote report.html\n');
  expect(r.code).toBe(0);
  expect(lstatSync(join(dir, 'report.html')).isSymbolicLink()).toBe(true);
  expect(readFileSync(served, 'utf8')).toMatch(/^<!DOCTYPE html>/i);
  expect(statSync(served).mode & 0o777).toBe(0o644);
  expect(readdirSync(join(dir, 'www'))).toEqual(['report.html']);
  expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
});

it.skipIf(!cliBuilt || process.platform === 'win32')('a named pipe is written in place, and stays a pipe', async () => {
  const dir = tempDir();
  const db = join(dir, 'g.sqlite');
  expect(runCli(['load', join(FIXTURES_DIR, 'growth-a.rdb'), '--db', db, '--quiet'], dir).code).toBe(0);
  const fifo = join(dir, 'page.fifo');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  // The reader opens the pipe and copies what comes through it.
  const copy = openSync(join(dir, 'read.html'), 'w');
  const reader = spawn('cat', [fifo], { stdio: ['ignore', copy, 'ignore'] });
  closeSync(copy);
  const readerDone = new Promise<number | null>((resolve) => reader.on('exit', resolve));
  try {
    const r = await runCliAsync(['html', '--db', db, '--out', fifo], dir);
    expect(r.stderr).toBe(`wrote ${fifo}\n`);
    expect(r.code).toBe(0);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    const code = await Promise.race([readerDone, new Promise<string>((resolve) => setTimeout(() => resolve('reader still waiting'), 5000))]);
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'read.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
  } finally {
    reader.kill();
  }
});
