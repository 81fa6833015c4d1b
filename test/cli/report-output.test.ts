import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatResult } from '../../src/output/format-result.js';
import { resultPieces } from '../../src/output/paged-writer.js';
import type { OutputFormat } from '../../src/output/result.js';
import { REPORTS, findReport } from '../../src/reports/index.js';
import type { ReportOptions } from '../../src/reports/report.js';
import { openStore } from '../../src/store/index.js';
import { CLI_MAIN, cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { tempDir } from '../support/temp.js';

const fixture = (name: string) => join(FIXTURES_DIR, name);

/** Report runs covering every report and the options that shape their tables. */
const RUNS: { report: string; options: ReportOptions; args: string[] }[] = [
  { report: 'summary', options: { top: 20 }, args: [] },
  { report: 'summary', options: { top: 20, type: 'list', snapshot: 'mixed-7.0.rdb' }, args: ['--type', 'list', '--snapshot', 'mixed-7.0.rdb'] },
  { report: 'bigkeys', options: { top: 1000, snapshot: 'mixed-7.0.rdb' }, args: ['--top', '1000', '--snapshot', 'mixed-7.0.rdb'] },
  { report: 'bigkeys', options: { top: 2, type: 'list' }, args: ['--top', '2', '--type', 'list'] },
  { report: 'bigkeys', options: { top: 5, match: 'nothing-matches-*' }, args: ['--top', '5', '--match', 'nothing-matches-*'] },
  { report: 'untimed', options: { top: 1000, snapshot: 'mixed-7.0.rdb' }, args: ['--top', '1000', '--snapshot', 'mixed-7.0.rdb'] },
  { report: 'patterns', options: { top: 1000 }, args: ['--top', '1000'] },
  { report: 'patterns', options: { top: 1000, depth: 1, separators: ':', snapshot: 'mixed-7.0.rdb' }, args: ['--top', '1000', '--depth', '1', '--sep', ':', '--snapshot', 'mixed-7.0.rdb'] },
  { report: 'growth', options: { top: 100 }, args: ['--top', '100'] },
  { report: 'growth', options: { top: 100, from: 'growth-a.rdb', to: 'growth-b.rdb' }, args: ['--top', '100', '--from', 'growth-a.rdb', '--to', 'growth-b.rdb'] },
  { report: 'ttl', options: { top: 20, snapshot: 'growth-b.rdb' }, args: ['--snapshot', 'growth-b.rdb'] },
  { report: 'diagnosis', options: { top: 5 }, args: ['--top', '5'] },
  { report: 'diagnosis', options: { top: 3, snapshot: 'lru-7.0.rdb', maxmemory: 4 * 1024 ** 3 }, args: ['--top', '3', '--snapshot', 'lru-7.0.rdb', '--maxmemory', '4gb'] },
  { report: 'eviction', options: { top: 10, snapshot: 'lru-7.0.rdb' }, args: ['--top', '10', '--snapshot', 'lru-7.0.rdb'] },
  { report: 'eviction', options: { top: 20 }, args: [] },
  { report: 'capacity', options: { top: 20, maxmemory: 2_000_000, ram: 8 * 1024 ** 3 }, args: ['--maxmemory', '2000000', '--ram', '8GB'] },
  { report: 'capacity', options: { top: 20, snapshot: 'mixed-7.0.rdb' }, args: ['--snapshot', 'mixed-7.0.rdb'] },
  { report: 'forecast', options: { top: 10, maxmemory: 1_000_000_000 }, args: ['--top', '10', '--maxmemory', '1g'] },
];

describe.skipIf(!cliBuilt || !existsSync(fixture('mixed-7.0.rdb')))('report output, page by page, on real dumps', () => {
  it('every report: paged output equals the one-piece formatResult output (csv, json; table within a page), in-process and through the CLI', () => {
    expect(new Set(RUNS.map((r) => r.report))).toEqual(new Set(REPORTS.map((r) => r.name)));
    const dir = tempDir();
    const dbPath = join(dir, 'x.sqlite');
    // Four snapshots: growth compares the last two and prints a series.
    const load = runCli(['load', fixture('mixed-7.0.rdb'), fixture('growth-a.rdb'), fixture('lru-7.0.rdb'), fixture('growth-b.rdb'), '--db', dbPath, '--quiet'], dir);
    expect(load.code).toBe(0);
    const db = openStore(dbPath, { readonly: true });
    try {
      for (const run of RUNS) {
        const report = findReport(run.report)!;
        if (run.report === 'growth') expect(report.run(db, run.options).tables.map((t) => t.name)).toEqual(['growth', 'shrinking', 'series']);
        for (const format of ['csv', 'json', 'table'] as OutputFormat[]) {
          const label = `${run.report} ${run.args.join(' ')} --format ${format}`;
          const whole = formatResult(report.run(db, run.options), format, false);
          for (const pageRows of format === 'table' ? [1_000_000] : [1, 3, 10_000]) {
            expect([...resultPieces(report.run(db, run.options), format, false, pageRows)].join(''), `${label}, pages of ${pageRows}`).toBe(whole);
          }
          const cli = runCli(['report', run.report, '--db', dbPath, ...run.args, '--format', format], dir);
          expect(cli.stderr, label).toBe('');
          expect(cli.code, label).toBe(0);
          expect(cli.stdout, label).toBe(whole);
        }
      }
    } finally {
      db.close();
    }
  });
});

/** Keys of the big database: strings (one size ranking) and every fifth a set (also ranked by elements). */
const KEYS = 300_000;
const SETS = KEYS / 5;

function bigDump(path: string): void {
  const w = new RdbWriter({ version: 10 });
  w.aux('redis-ver', '7.0.15').aux('ctime', '1700000000').selectDb(0).resizeDb(KEYS, 0);
  for (let i = 0; i < KEYS; i++) {
    if (i % 5 === 0) w.key(TYPE.SET, `set:${i}`).len(2).string(`m${i}`).string(`n${i}`);
    else w.key(TYPE.STRING, `user:${i}:name`).string('v'.repeat(1 + (i % 40)));
  }
  writeFileSync(path, w.finish());
}

describe.skipIf(!cliBuilt)(`report on a ${KEYS}-key database`, () => {
  let dir = '';
  let dbPath = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rdbscope-test-'));
    dbPath = join(dir, 'big.sqlite');
    bigDump(join(dir, 'big.rdb'));
    const load = runCli(['load', join(dir, 'big.rdb'), '--db', dbPath, '--quiet'], dir);
    if (load.code !== 0) throw new Error(`load failed: ${load.stderr}`);
  }, 60_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('bigkeys of every key as CSV runs in a 40 MB heap (rows are read a page at a time, never all at once)', () => {
    // Measured: holding every row (the former whole-result output) ran out of heap at 400 MB and ran at
    // 600 MB; page by page it runs at 24 MB.
    const out = join(dir, 'bigkeys.csv');
    const r = spawnSync(process.execPath, [CLI_MAIN, 'report', 'bigkeys', '--db', dbPath, '--top', String(KEYS), '--format', 'csv', '--out', out], {
      encoding: 'utf8',
      env: { ...process.env, RDBSCOPE_DEBUG: '', NODE_OPTIONS: '--max-old-space-size=40' },
      timeout: 120_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [bySize, byElements] = readFileSync(out, 'utf8').split('\n\n');
    const sizeRows = bySize!.trimEnd().split('\n');
    expect(sizeRows[0]).toBe('type,rank,db,key,memory,elements,largest_element,encoding,ttl_s,remedy');
    expect(sizeRows).toHaveLength(1 + KEYS);
    expect(sizeRows.filter((l) => l.startsWith('set,'))).toHaveLength(SETS);
    expect(byElements!.trimEnd().split('\n')).toHaveLength(1 + SETS);
  }, 120_000);

  it('stops quietly when its reader leaves (`report ... | head`), in every format', () => {
    for (const format of ['table', 'csv', 'json']) {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI_MAIN}" report bigkeys --db "${dbPath}" --top ${KEYS} --format ${format} | head -c 100 > /dev/null; exit \${PIPESTATUS[0]}`], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.stderr, format).toBe('');
      expect(r.status, format).toBe(0);
    }
  }, 120_000);
});

describe.skipIf(!cliBuilt)('--top beyond any number of rows', () => {
  it('--top 1e30 means every row, as --top 2^53-1 does, in every report that ranks (it failed as "datatype mismatch")', () => {
    const dir = tempDir();
    const db = join(dir, 'n.sqlite');
    expect(runCli(['load', ...['night-0', 'night-1', 'night-2', 'night-3', 'night-4'].map((n) => join(FIXTURES_DIR, 'nightly', `${n}.rdb`)), '--db', db, '--quiet'], dir).code).toBe(0);
    for (const report of REPORTS.filter((r) => r.accepts.includes('top'))) {
      const run = (top: string) => runCli(['report', report.name, '--db', db, '--format', 'json', '--top', top], dir);
      const huge = run('1e30');
      expect(huge.stderr, report.name).toBe('');
      expect(huge.code, report.name).toBe(0);
      expect(huge.stdout, report.name).toBe(run(String(Number.MAX_SAFE_INTEGER)).stdout);
      // Every row: the same rows as a --top larger than the keyspace (titles name the --top).
      const rows = (out: string) => (JSON.parse(out) as { tables: Record<string, unknown[]> }).tables;
      expect(rows(huge.stdout), report.name).toEqual(rows(run('100000').stdout));
    }
    // The commands that rank outside `report`: the same rule (parseIntOption).
    const analyze = (top: string) => runCli(['analyze', join(FIXTURES_DIR, 'nightly', 'night-4.rdb'), '--db', join(dir, 'a.sqlite'), '--format', 'json', '--top', top], dir);
    const analyzed = analyze('1e30');
    expect(analyzed.stderr).not.toContain('rdbscope:'); // its stderr says what it loaded; errors start so
    expect(analyzed.code).toBe(0);
    const html = runCli(['html', '--db', db, '--top', '1e30', '--out', join(dir, 'p.html')], dir);
    expect(html.stderr).not.toContain('rdbscope:');
    expect(html.code).toBe(0);
  });
});

describe.skipIf(!cliBuilt)('--type of a report', () => {
  it('takes the type names `keys --type` takes; a misspelt one is a usage error, not empty tables', () => {
    const dir = tempDir();
    const db = join(dir, 'm.sqlite');
    expect(runCli(['load', fixture('mixed-7.0.rdb'), '--db', db, '--quiet'], dir).code).toBe(0);
    for (const report of REPORTS.filter((r) => r.accepts.includes('type'))) {
      for (const bad of ['LIST', 'lists', '']) {
        const run = runCli(['report', report.name, '--db', db, '--type', bad], dir);
        expect(run.code, `${report.name} --type ${bad}`).toBe(2);
        expect(run.stderr.trim().split('\n'), report.name).toHaveLength(1);
        expect(run.stderr).toContain(`--type must be one of string, list,`);
        // What `keys --type` says of the same name.
        expect(runCli(['keys', fixture('mixed-7.0.rdb'), '--type', bad], dir).code, `keys --type ${bad}`).toBe(2);
      }
      if (report.name === 'growth') continue; // one snapshot: growth needs two
      expect(runCli(['report', report.name, '--db', db, '--type', 'list'], dir).code, report.name).toBe(0);
    }
  });
});

describe.skipIf(!cliBuilt)('a dump file name that several instances share', () => {
  it('--snapshot dump.rdb across instances is a usage error naming them; --instance or an id picks one', () => {
    const dir = tempDir();
    const db = join(dir, 'fleet.sqlite');
    // Every Redis writes dump.rdb: two servers' dumps, each in its own directory (the instance).
    for (const [server, night] of [['shard-a', 'night-3'], ['shard-b', 'night-4']] as const) {
      mkdirSync(join(dir, server));
      copyFileSync(join(FIXTURES_DIR, 'nightly', `${night}.rdb`), join(dir, server, 'dump.rdb'));
      expect(runCli(['load', join(dir, server, 'dump.rdb'), '--db', db, '--quiet'], dir).code).toBe(0);
    }
    for (const args of [['report', 'summary', '--db', db], ['html', '--db', db, '--out', join(dir, 'p.html')], ['export', '--db', db, '--out', join(dir, 'out')]]) {
      const r = runCli([...args, '--snapshot', 'dump.rdb'], dir);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr.trim().split('\n'), args[0]).toHaveLength(1);
      expect(r.stderr, args[0]).toContain('"dump.rdb" names snapshots of 2 instances (shard-a, shard-b): add --instance');
    }
    const a = runCli(['report', 'summary', '--db', db, '--snapshot', 'dump.rdb', '--instance', 'shard-a'], dir);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('of instance shard-a: dump.rdb');
    expect(runCli(['report', 'summary', '--db', db, '--snapshot', '2'], dir).stdout).toContain('snapshot 2 of instance shard-b: dump.rdb');
  });
});
