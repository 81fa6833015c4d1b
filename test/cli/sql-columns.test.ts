import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { parseCsv } from '../support/csv-parse.js';
import { tempDir } from '../support/temp.js';

const fixture = (name: string) => join(FIXTURES_DIR, name);

describe.skipIf(!cliBuilt || !existsSync(fixture('growth-a.rdb')))('sql: columns of the same name', () => {
  it('each keeps its own value: a renamed duplicate never takes a name another column already has', () => {
    const dir = tempDir();
    const db = join(dir, 'x.sqlite');
    expect(runCli(['load', fixture('growth-a.rdb'), '--db', db, '--quiet'], dir).code).toBe(0);
    // `x` twice and a column really named `x_2`: the second `x` was renamed x_2 and the row's x_2
    // overwritten, so 2 was lost and 3 printed twice.
    const query = 'SELECT 1 AS x, 2 AS x, 3 AS x_2, 4 AS x';
    const json = runCli(['sql', '--db', db, '--format', 'json', query], dir);
    expect(json.code).toBe(0);
    const row = (JSON.parse(json.stdout) as { tables: { rows: Record<string, unknown>[] } }).tables.rows[0]!;
    expect(Object.keys(row)).toHaveLength(4);
    expect(Object.values(row).sort()).toEqual([1, 2, 3, 4]);
    expect(row['x']).toBe(1);
    expect(row['x_2']).toBe(3);
    const csv = parseCsv(runCli(['sql', '--db', db, '--format', 'csv', query], dir).stdout);
    expect(new Set(csv[0]).size).toBe(4);
    expect(csv[1]).toEqual(['1', '2', '3', '4']);
    const table = runCli(['sql', '--db', db, query], dir).stdout.split('\n');
    expect(new Set(table[0]!.trim().split(/\s+/)).size).toBe(4);
    expect(table[2]!.trim().split(/\s+/)).toEqual(['1', '2', '3', '4']);
  });
});
