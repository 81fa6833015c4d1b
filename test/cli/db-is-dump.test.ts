/**
 * A dump named as the database too (`load x.rdb --db x.rdb`): refused before anything is written.
 * An empty dump was made into a SQLite database, and a real one refused as "not a database" only
 * after the load had started.
 */
import { copyFileSync, linkSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

describe.skipIf(!cliBuilt)('--db naming one of the dumps', () => {
  it('is a usage error for load and analyze, by any spelling or hard link, and leaves the file as it was', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty.rdb'), '');
    copyFileSync(join(FIXTURES_DIR, 'growth-a.rdb'), join(dir, 'a.rdb'));
    linkSync(join(dir, 'a.rdb'), join(dir, 'link.sqlite'));
    const before = readFileSync(join(dir, 'a.rdb'));
    const cases: [string[], string][] = [
      [['load', 'empty.rdb', '--db', 'empty.rdb'], 'the dump empty.rdb is also the database (--db empty.rdb)'],
      [['load', 'growth.rdb', 'a.rdb', '--db', './a.rdb'], 'the dump a.rdb is also the database (--db ./a.rdb)'],
      [['load', 'a.rdb', '--db', 'link.sqlite'], 'the dump a.rdb is also the database (--db link.sqlite)'],
      [['analyze', 'empty.rdb', '--db', 'empty.rdb'], 'the dump empty.rdb is also the database (--db empty.rdb)'],
    ];
    copyFileSync(join(FIXTURES_DIR, 'growth-b.rdb'), join(dir, 'growth.rdb'));
    for (const [args, message] of cases) {
      const r = runCli(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(`rdbscope: ${message}: name another file for --db\n`);
    }
    expect(readFileSync(join(dir, 'empty.rdb'))).toHaveLength(0);
    expect(readFileSync(join(dir, 'a.rdb')).equals(before)).toBe(true);
    // A dump beside the database with another name still loads.
    expect(runCli(['load', 'a.rdb', '--db', 'fleet.sqlite', '--quiet'], dir).code).toBe(0);
  });
});
