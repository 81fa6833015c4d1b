import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

// A load or analyze that could read no input leaves no database it created behind; one that existed
// before is kept as it was.

describe.skipIf(!cliBuilt)('load of inputs none of which can be loaded', () => {
  it('a missing file or a file that is no dump: exit 1, one line, no new database', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'junk.rdb'), 'not a dump\n');
    for (const input of ['nothere.rdb', 'junk.rdb']) {
      const r = runCli(['load', input, '--db', 'x.sqlite'], dir);
      expect(r.code, input).toBe(1);
      expect(r.stdout, input).toBe('');
      expect(r.stderr.trim().split('\n'), input).toHaveLength(1);
      expect(r.stderr, input).toContain(input);
      expect(r.stderr, input).not.toMatch(/ENOENT.*ENOENT/);
      expect(readdirSync(dir).filter((f) => f.startsWith('x.sqlite')), input).toEqual([]);
      const a = runCli(['analyze', input, '--db', 'x.sqlite'], dir);
      expect(a.code, input).toBe(1);
      expect(readdirSync(dir).filter((f) => f.startsWith('x.sqlite')), input).toEqual([]);
    }
    expect(runCli(['load', 'nothere.rdb', '--db', 'x.sqlite'], dir).stderr).toMatch(/nothere\.rdb: no such file/);
  });

  it('a database that existed before is kept, empty or not; one input loaded keeps a new one', () => {
    const dir = tempDir();
    const fixture = join(FIXTURES_DIR, 'growth-a.rdb');
    // loaded with one unreadable input beside it: kept
    const r = runCli(['load', 'nothere.rdb', fixture, '--db', 'x.sqlite'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/loaded as snapshot 1/);
    expect(existsSync(join(dir, 'x.sqlite'))).toBe(true);
    // nothing loaded into it now: still there with its snapshot
    expect(runCli(['load', 'nothere.rdb', '--db', 'x.sqlite'], dir).code).toBe(1);
    expect(runCli(['sql', '--db', 'x.sqlite', 'SELECT count(*) n FROM snapshots', '--format', 'csv'], dir).stdout).toBe('n\n1\n');
    // an empty file given as the database (SQLite makes it one): it existed, so it stays
    writeFileSync(join(dir, 'empty.sqlite'), '');
    expect(runCli(['load', 'nothere.rdb', '--db', 'empty.sqlite'], dir).code).toBe(1);
    expect(existsSync(join(dir, 'empty.sqlite'))).toBe(true);
  });
});
