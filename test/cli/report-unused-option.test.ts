import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';

const fixture = join(FIXTURES_DIR, 'growth-a.rdb');

/**
 * reports.md: "A report given an option it does not use is a usage error (exit 2), not silence."
 * `--top 20` is --top's default value: typed on the command line to a report without rankings
 * (summary, ttl, capacity) it was taken for the default and ignored without a word, while
 * `--top 21` was refused.
 */
describe.skipIf(!cliBuilt || !existsSync(fixture))('report: an option the report does not take', () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rdbscope-test-'));
    db = join(dir, 'x.sqlite');
    expect(runCli(['load', fixture, '--db', db, '--quiet'], dir).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused whatever its value, the default value included', () => {
    for (const report of ['summary', 'ttl', 'capacity']) {
      for (const top of ['20', '21']) {
        const r = runCli(['report', report, '--db', db, '--top', top], dir);
        expect(r.code, `${report} --top ${top}`).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.trim()).toBe(`rdbscope: report ${report} does not take --top`);
      }
    }
  });

  it('a report that takes --top still runs with or without it', () => {
    for (const args of [[], ['--top', '20'], ['--top', '3']]) {
      const r = runCli(['report', 'patterns', '--db', db, ...args], dir);
      expect(r.code, args.join(' ')).toBe(0);
    }
    expect(runCli(['report', 'summary', '--db', db], dir).code).toBe(0);
  });
});
