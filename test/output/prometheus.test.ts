import { describe, expect, it } from 'vitest';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { cliBuilt, runCli } from '../support/cli.js';
import { nightlyFiles } from '../support/nightly.js';
import { tempDir } from '../support/temp.js';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

interface JsonResult {
  report: string;
  tables: Record<string, Record<string, string | number | null>[]>;
}

/** The samples of a family whose labels include all of `labels`. */
function samples(families: ParsedFamily[], name: string, labels: Record<string, string> = {}): number[] {
  const f = families.find((x) => x.name === name);
  if (!f) throw new Error(`no family ${name}; families: ${families.map((x) => x.name).join(', ')}`);
  return f.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)).map((m) => Number(m.value));
}

const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p)) ?? null;
if (!PROMTOOL) {
  if (process.env.CI === 'true') throw new Error('promtool not found (apt-get install prometheus): required when CI=true');
  console.warn('[skip] promtool not found (apt-get install prometheus): the metrics lint is skipped');
}

describe.skipIf(!cliBuilt)('--format prometheus (text exposition format, read back by a real parser)', () => {
  it('summary, eviction, capacity and forecast: every figure of their metric tables, labelled, equal to the JSON output', () => {
    const dir = tempDir();
    const db = join(dir, 'n.sqlite');
    expect(runCli(['load', ...nightlyFiles(), '--db', db, '--quiet', '--server', 'redis-7.0-q16'], dir).code).toBe(0);
    const lastTime = (JSON.parse(runCli(['sql', '--db', db, '--format', 'json', 'SELECT snapshot_time_ms FROM snapshots ORDER BY snapshot_time_ms DESC LIMIT 1'], dir).stdout) as JsonResult).tables['rows']![0]!['snapshot_time_ms'] as number;
    const runs: [string, string[], string[]][] = [
      ['summary', [], ['totals', 'by_db', 'by_type', 'reconciliation']],
      ['eviction', ['--top', '3'], ['by_policy', 'by_db', 'immortal_patterns']],
      ['capacity', ['--maxmemory', '4mb', '--ram', '16mb'], ['capacity', 'fork_headroom']],
      ['forecast', ['--maxmemory', '4mb', '--top', '4'], ['total', 'wall', 'patterns']],
    ];
    for (const [report, args, tables] of runs) {
      const text = runCli(['report', report, '--db', db, ...args, '--format', 'prometheus'], dir);
      expect(text.code, report).toBe(0);
      const families = parsePrometheusTextFormat(text.stdout);
      const json = JSON.parse(runCli(['report', report, '--db', db, ...args, '--format', 'json'], dir).stdout) as JsonResult;
      // Every family: a gauge with help text, a Prometheus name, the instance on every sample.
      for (const f of families) {
        expect(f.type, f.name).toBe('GAUGE');
        expect(f.help.length, f.name).toBeGreaterThan(0);
        expect(f.name).toMatch(new RegExp(`^rdbscope_${report === 'summary' ? 'keyspace' : report}_[a-z0-9_]+$`));
        for (const m of f.metrics) expect(m.labels?.['redis_instance'], f.name).toBe('nightly');
      }
      // One sample per non-null number in the metric tables: nothing invented, nothing dropped.
      let cells = 0;
      // (times are ISO strings in JSON, Unix seconds in metrics)
      const isTime = (v: unknown) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v);
      for (const t of tables) for (const row of json.tables[t] ?? []) for (const v of Object.values(row)) if (typeof v === 'number' || isTime(v)) cells++;
      const textColumns = (t: string) => new Set(Object.entries(json.tables[t]?.[0] ?? {}).filter(([, v]) => typeof v === 'string' && !isTime(v)).map(([k]) => k));
      const labelCells = tables.reduce((s, t) => s + (json.tables[t] ?? []).reduce((n, row) => n + Object.keys(row).filter((k) => k === 'db' && !textColumns(t).has(k)).length, 0), 0);
      // ... and the two figures of the snapshot they are as of (its time, and whether it is complete).
      expect(families.reduce((s, f) => s + f.metrics.length, 0), report).toBe(cells - labelCells + 2);
      const name = report === 'summary' ? 'keyspace' : report;
      expect(samples(families, `rdbscope_${name}_snapshot_timestamp_seconds`), report).toEqual([lastTime / 1000]);
      expect(samples(families, `rdbscope_${name}_snapshot_complete`), report).toEqual([1]);
      // Prometheus' own linter, where it is installed (Debian's prometheus package; CI installs it).
      if (PROMTOOL) {
        const lint = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text.stdout, encoding: 'utf8' });
        expect(`${lint.stdout}${lint.stderr}`, report).toBe('');
        expect(lint.status, report).toBe(0);
      }
    }
    const summary = JSON.parse(runCli(['report', 'summary', '--db', db, '--format', 'json'], dir).stdout) as JsonResult;
    const fam = parsePrometheusTextFormat(runCli(['report', 'summary', '--db', db, '--format', 'prometheus'], dir).stdout);
    expect(samples(fam, 'rdbscope_keyspace_totals_keys')).toEqual([summary.tables['totals']![0]!['keys']]);
    expect(samples(fam, 'rdbscope_keyspace_totals_memory_bytes')).toEqual([summary.tables['totals']![0]!['memory']]);
    expect(samples(fam, 'rdbscope_keyspace_totals_untimed_key_ratio')).toEqual([summary.tables['totals']![0]!['untimed_key_share']]);
    for (const row of summary.tables['by_type']!) {
      expect(samples(fam, 'rdbscope_keyspace_by_type_memory_bytes', { type: String(row['type']), encoding: String(row['encoding']) })).toEqual([row['memory']]);
      expect(samples(fam, 'rdbscope_keyspace_by_type_p99_memory_bytes', { type: String(row['type']), encoding: String(row['encoding']) })).toEqual([row['p99_memory']]);
    }
    expect(samples(fam, 'rdbscope_keyspace_by_db_keys', { db: '0' })).toEqual([summary.tables['by_db']![0]!['keys']]);

    const ev = parsePrometheusTextFormat(runCli(['report', 'eviction', '--db', db, '--format', 'prometheus'], dir).stdout);
    const evJson = JSON.parse(runCli(['report', 'eviction', '--db', db, '--format', 'json'], dir).stdout) as JsonResult;
    expect(samples(ev, 'rdbscope_eviction_by_policy_evictable_memory_bytes', { policy: 'volatile-*' })).toEqual([evJson.tables['by_policy']![1]!['evictable_memory']]);
    const cap = parsePrometheusTextFormat(runCli(['report', 'capacity', '--db', db, '--maxmemory', '4mb', '--format', 'prometheus'], dir).stdout);
    expect(samples(cap, 'rdbscope_capacity_maxmemory_bytes')).toEqual([4 * 1024 ** 2]);
    expect(samples(cap, 'rdbscope_capacity_alarm_crossed')).toEqual([0]);
    const fc = parsePrometheusTextFormat(runCli(['report', 'forecast', '--db', db, '--maxmemory', '4mb', '--format', 'prometheus'], dir).stdout);
    const fcJson = JSON.parse(runCli(['report', 'forecast', '--db', db, '--maxmemory', '4mb', '--format', 'json'], dir).stdout) as JsonResult;
    const wall = fcJson.tables['wall']!.find((r) => r['threshold'] === 'maxmemory')!;
    expect(samples(fc, 'rdbscope_forecast_wall_reached_timestamp_seconds', { threshold: 'maxmemory' })).toEqual([Date.parse(String(wall['reached_at'])) / 1000]);
    expect(samples(fc, 'rdbscope_forecast_patterns_memory_per_day_bytes', { pattern: 'feed:*' })).toHaveLength(1);

    // A summary of one type is labelled with it: its totals are not the whole keyspace's series.
    const listOnly = runCli(['report', 'summary', '--db', db, '--type', 'list', '--format', 'prometheus'], dir).stdout;
    const listFam = parsePrometheusTextFormat(listOnly);
    const listJson = JSON.parse(runCli(['report', 'summary', '--db', db, '--type', 'list', '--format', 'json'], dir).stdout) as JsonResult;
    const totals = listFam.find((f) => f.name === 'rdbscope_keyspace_totals_keys')!.metrics;
    expect(totals.map((m) => m.labels)).toEqual([{ redis_instance: 'nightly', type: 'list' }]);
    expect(Number(totals[0]!.value)).toBe(listJson.tables['totals']![0]!['keys']);
    expect(fam.find((f) => f.name === 'rdbscope_keyspace_totals_keys')!.metrics.map((m) => m.labels)).toEqual([{ redis_instance: 'nightly' }]);
    // by_type's own `type` column: one `type` label per sample, never two.
    expect(listOnly).toMatch(/^rdbscope_keyspace_by_type_keys\{redis_instance="nightly",type="list",encoding="[a-z]+"\} \d+$/m);
    if (PROMTOOL) expect(spawnSync(PROMTOOL, ['check', 'metrics'], { input: listOnly, encoding: 'utf8' }).status).toBe(0);

    // A PARTIAL snapshot (a dump cut short) says so: its figures are not last night's whole keyspace.
    const cut = join(dir, 'night-5.rdb');
    writeFileSync(cut, readFileSync(nightlyFiles().at(-1)!).subarray(0, 30_000));
    expect(runCli(['load', cut, '--db', db, '--quiet'], dir).code).toBe(1);
    for (const [report, name] of [['summary', 'keyspace'], ['eviction', 'eviction'], ['capacity', 'capacity'], ['forecast', 'forecast']] as const) {
      const fam = parsePrometheusTextFormat(runCli(['report', report, '--db', db, '--snapshot', 'night-5.rdb', '--format', 'prometheus'], dir).stdout);
      expect(samples(fam, `rdbscope_${name}_snapshot_complete`), report).toEqual([0]);
    }

    // Reports without metrics refuse the format: a usage error, not an empty file.
    const bad = runCli(['report', 'bigkeys', '--db', db, '--format', 'prometheus'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of table, csv, json');
  });
});
