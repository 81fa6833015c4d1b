import { describe, expect, it } from 'vitest';
import { formatResult } from '../../src/output/format-result.js';
import { findReport } from '../../src/reports/index.js';
import type { ReportOptions } from '../../src/reports/report.js';
import { cliBuilt, runCli } from '../support/cli.js';
import { parseCsv } from '../support/csv-parse.js';
import { storeWithDumps } from '../support/fixture-store.js';
import { nightlyFiles } from '../support/nightly.js';
import { tempDir } from '../support/temp.js';
import { join } from 'node:path';
import { copyFileSync, mkdirSync } from 'node:fs';

const RUNS: [string, ReportOptions][] = [
  ['diagnosis', { top: 5, maxmemory: 4 * 1024 * 1024 }],
  ['eviction', { top: 5 }],
  ['capacity', { top: 20, maxmemory: 3 * 1024 * 1024, ram: 8 * 1024 * 1024 }],
  ['forecast', { top: 5, maxmemory: 4 * 1024 * 1024 }],
  ['summary', { top: 20 }],
  ['patterns', { top: 5 }],
];

describe('the capacity-planning reports in table, CSV and JSON', () => {
  it('JSON follows {report, notes, tables}; CSV has the same tables, rows and cells', async () => {
    const { db } = await storeWithDumps(nightlyFiles(), { server: 'redis-7.0-q16' });
    for (const [name, options] of RUNS) {
      const result = findReport(name)!.run(db, options);
      const json = JSON.parse(formatResult(result, 'json', false)) as { report: string; notes: string[]; tables: Record<string, Record<string, unknown>[]> };
      expect(Object.keys(json)).toEqual(['report', 'notes', 'tables']);
      expect(json.report).toBe(name);
      expect(json.notes.every((n) => typeof n === 'string')).toBe(true);
      const csvTables = formatResult(findReport(name)!.run(db, options), 'csv', false).split('\n\n');
      const names = Object.keys(json.tables);
      expect(csvTables.length, name).toBe(names.length);
      names.forEach((t, i) => {
        const [header, ...rows] = parseCsv(csvTables[i]!.endsWith('\n') ? csvTables[i]! : `${csvTables[i]}\n`);
        const jsonRows = json.tables[t]!;
        expect(rows.length, `${name}.${t}`).toBe(jsonRows.length);
        if (jsonRows.length === 0) return;
        expect(header, `${name}.${t}`).toEqual(Object.keys(jsonRows[0]!));
        rows.forEach((cells, r) => cells.forEach((cell, c) => {
          const v = jsonRows[r]![header![c]!];
          expect(cell.replace(/^'(?=[=+\-@\t\r])/, ''), `${name}.${t}[${r}].${header![c]}`).toBe(v === null ? '' : String(v));
        }));
      });
      // The text table prints every table's title or rows.
      const table = formatResult(findReport(name)!.run(db, options), 'table', false);
      for (const t of result.tables) if (t.title) expect(table, `${name}.${t.name}`).toContain(t.title);
    }
  });

  it.skipIf(!cliBuilt)('analyze --format json is the diagnosis report of the snapshot it loaded', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'shard-9'));
    const files = nightlyFiles();
    for (const f of files) copyFileSync(f, join(dir, 'shard-9', f.split('/').pop()!));
    const db = join(dir, 'n.sqlite');
    expect(runCli(['load', ...files.slice(0, 4).map((f) => join('shard-9', f.split('/').pop()!)), '--db', db, '--quiet'], dir).code).toBe(0);
    const a = runCli(['analyze', join('shard-9', 'night-4.rdb'), '--db', db, '--format', 'json', '--maxmemory', '4mb', '--quiet'], dir);
    expect(a.code).toBe(0);
    const viaReport = runCli(['report', 'diagnosis', '--db', db, '--format', 'json', '--maxmemory', '4mb', '--top', '5'], dir);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(viaReport.stdout));
    const parsed = JSON.parse(a.stdout) as { tables: Record<string, Record<string, unknown>[]> };
    expect(parsed.tables['headline']![0]).toMatchObject({ instance: 'shard-9', file: 'night-4.rdb' });
    expect(parsed.tables['growth']![0]).toMatchObject({ scope: 'total used_mem', snapshots: 5 });
    const bad = runCli(['analyze', join('shard-9', 'night-4.rdb'), '--db', db, '--format', 'csv'], dir);
    expect(bad.code).toBe(2);
  });
});
