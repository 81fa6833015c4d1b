import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
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
    [['export', dump, '--snapshot', '1', '--out', 'x'], /--snapshot goes with --db/],
    [['export', dump, '--keys-min-bytes', '-1', '--out', 'x'], /--keys-min-bytes must be an integer >= 0/],
    [['export', dump, '--instance', 'a\nb', '--out', 'x'], /--instance must be 1 to 200 printable characters/],
  ])('%j is a usage error (exit 2, one line)', (args, message) => {
    const r = runCli(args, tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
