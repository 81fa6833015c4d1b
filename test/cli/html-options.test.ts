/**
 * html's options are checked as report's are: `--ram 0` (or `0gb`) is no host. report capacity
 * refuses it (exit 2); html took it and wrote a page saying "Infinity% of RAM".
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

it.skipIf(!cliBuilt || !existsSync(join(FIXTURES_DIR, 'growth-a.rdb')))('html --ram 0 is a usage error, as for report capacity, and writes no page', () => {
  const dir = tempDir();
  const db = join(dir, 'g.sqlite');
  expect(runCli(['load', join(FIXTURES_DIR, 'growth-a.rdb'), '--db', db, '--quiet'], dir).code).toBe(0);
  for (const zero of ['0', '0gb']) {
    const report = runCli(['report', 'capacity', '--db', db, '--ram', zero], dir);
    const html = runCli(['html', '--db', db, '--ram', zero, '--out', 'r.html'], dir);
    expect(html.code, zero).toBe(2);
    expect(html.stderr, zero).toBe(report.stderr);
    expect(html.stderr).toBe(`rdbscope: --ram must be the host's memory, more than 0 bytes, got "${zero}"\n`);
    expect(readdirSync(dir)).not.toContain('r.html');
  }
  const ok = runCli(['html', '--db', db, '--ram', '16gb', '--out', 'r.html'], dir);
  expect(ok.code, ok.stderr).toBe(0);
});
