import { existsSync, linkSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
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
