/**
 * Where `rdbscope html --out` cannot write a page: said before any report runs, as a usage error
 * (exit 2, one line), and nothing is written.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CLI_MAIN, cliBuilt, runCli } from '../support/cli.js';
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
