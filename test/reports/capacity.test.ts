import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/exit.js';
import { parseMemorySize } from '../../src/cli/memory-size.js';
import { readMemoryLimits } from '../../src/cli/redis-conf-limits.js';
import { requireRedis } from '../support/redis.js';
import { serverConfig } from '../support/redis-config.js';
import { cliBuilt, runCli } from '../support/cli.js';
import { storeWithDumps } from '../support/fixture-store.js';
import { NIGHTLY_DIR, nightlyExpected } from '../support/nightly.js';
import { reportRunner } from '../support/reports.js';
import { rec } from '../support/records.js';
import { freshStore, loadRecords } from '../support/store.js';
import { tempDir } from '../support/temp.js';
import { writeFileSync } from 'node:fs';

const capacity = reportRunner('capacity');

describe('memory sizes (Redis memtoull units)', () => {
  it('reads bytes, k/m/g (powers of 1000) and kb/mb/gb (powers of 1024), any case; refuses the rest', () => {
    expect(parseMemorySize('4gb')).toBe(4 * 1024 ** 3);
    expect(parseMemorySize('4GB')).toBe(4 * 1024 ** 3);
    expect(parseMemorySize('512mb')).toBe(512 * 1024 ** 2);
    expect(parseMemorySize('1k')).toBe(1000);
    expect(parseMemorySize('1Kb')).toBe(1024);
    expect(parseMemorySize('2m')).toBe(2_000_000);
    expect(parseMemorySize('3g')).toBe(3_000_000_000);
    expect(parseMemorySize('100')).toBe(100);
    expect(parseMemorySize('100b')).toBe(100);
    for (const bad of ['', '-1', '1.5gb', '4tb', 'gb', '4 gb x', '0x10']) expect(parseMemorySize(bad), bad).toBeNull();
  });
});

describe('capacity on a real dump', () => {
  it('used-mem against maxmemory, the 85% alarm, and the fork headroom rules', async () => {
    const last = nightlyExpected().nights.at(-1)!;
    const used = last.usedMem;
    const { db } = await storeWithDumps([join(NIGHTLY_DIR, 'night-4.rdb')], { server: 'redis-7.0-q16' });
    // maxmemory a little above the alarm line: crossed.
    const maxmemory = Math.ceil(used / 0.9);
    const r = capacity(db, { top: 20, maxmemory, ram: 3 * used });
    const c = r.tables.find((t) => t.name === 'capacity')!.rows[0]!;
    expect(c).toMatchObject({ used_mem: used, maxmemory, alarm_at: Math.floor(maxmemory * 0.85), alarm_crossed: 1, bytes_to_maxmemory: maxmemory - used, bytes_to_alarm: Math.floor(maxmemory * 0.85) - used });
    expect(c.used_share as number).toBeCloseTo(used / maxmemory, 12);
    expect(r.notes.some((n) => n.startsWith('ALARM: used memory is 90.0% of maxmemory'))).toBe(true);
    const f = r.tables.find((t) => t.name === 'fork_headroom')!.rows[0]!;
    // RAM = 3 × used: headroom 200% (ok); growth allowed to 80% of RAM, comfortable to RAM / 1.5.
    expect(f).toMatchObject({ ram: 3 * used, headroom_share: 2, rules_met: 1, growth_allowed: Math.floor(3 * used * 0.8 - used), growth_comfortable: Math.floor((3 * used) / 1.5 - used), fork_worst_case: 2 * used });
    expect(r.notes.some((n) => n.startsWith('fork headroom ok'))).toBe(true);
    // RAM barely above used memory: the 80% rule is broken; maxmemory above 80% of RAM is called out.
    const tight = capacity(db, { top: 20, maxmemory: used * 2, ram: Math.floor(used * 1.1) });
    expect(tight.tables.find((t) => t.name === 'fork_headroom')!.rows[0]).toMatchObject({ rules_met: 0 });
    expect(tight.notes.some((n) => n.startsWith('fork headroom INSUFFICIENT'))).toBe(true);
    expect(tight.notes.some((n) => /^maxmemory is \d+(\.\d)?% of RAM/.test(n))).toBe(true);
    // Without maxmemory the report says what it needs and still gives the rest.
    const none = capacity(db, { top: 20 });
    expect(none.notes.some((n) => n.startsWith('no maxmemory given: add --maxmemory'))).toBe(true);
    expect(none.tables.find((t) => t.name === 'capacity')!.rows[0]).toMatchObject({ used_mem: used, maxmemory: null, alarm_at: null, used_share: null });
    expect(none.tables.some((t) => t.name === 'fork_headroom')).toBe(false);
    const unlimited = capacity(db, { top: 20, maxmemory: 0 });
    expect(unlimited.notes.some((n) => n.startsWith('maxmemory 0: Redis has no memory limit'))).toBe(true);
  });

  it.skipIf(!cliBuilt)('CLI: sizes in Redis units, --redis-conf\'s maxmemory line, bad sizes are usage errors', () => {
    const dir = tempDir();
    const db = join(dir, 'c.sqlite');
    expect(runCli(['load', join(NIGHTLY_DIR, 'night-4.rdb'), '--db', db, '--quiet'], dir).code).toBe(0);
    const json = (args: string[]) => JSON.parse(runCli(['report', 'capacity', '--db', db, '--format', 'json', ...args], dir).stdout) as { tables: Record<string, Record<string, unknown>[]> };
    expect(json(['--maxmemory', '4gb']).tables['capacity']![0]!['maxmemory']).toBe(4 * 1024 ** 3);
    writeFileSync(join(dir, 'redis.conf'), '# a comment\nmaxmemory 100mb\nmaxmemory-policy allkeys-lru\nmaxmemory 3mb\n');
    const conf = runCli(['report', 'capacity', '--db', db, '--redis-conf', join(dir, 'redis.conf')], dir);
    expect(conf.code).toBe(0);
    expect(conf.stdout).toContain('maxmemory-policy allkeys-lru (from redis.conf)');
    expect(json(['--redis-conf', join(dir, 'redis.conf')]).tables['capacity']![0]!['maxmemory']).toBe(3 * 1024 ** 2);
    expect(json(['--redis-conf', join(dir, 'redis.conf'), '--maxmemory', '1gb']).tables['capacity']![0]!['maxmemory']).toBe(1024 ** 3);
    for (const [flag, value] of [['--maxmemory', '4 gigabytes'], ['--ram', '-5'], ['--maxmemory', '1.5gb']]) {
      const bad = runCli(['report', 'capacity', '--db', db, flag!, value!], dir);
      expect(bad.code, value).toBe(2);
      expect(bad.stderr.trim().split('\n'), value).toHaveLength(1);
      expect(bad.stderr).toContain(`${flag} must be a size such as 4gb`);
    }
    // A host of 0 bytes is no host (it printed "Infinity% of RAM"); maxmemory 0 is Redis's "no limit".
    for (const zero of ['0', '0gb']) {
      const noRam = runCli(['report', 'capacity', '--db', db, '--ram', zero], dir);
      expect(noRam.code, zero).toBe(2);
      expect(noRam.stderr.trim().split('\n')).toHaveLength(1);
      expect(noRam.stderr).toContain('--ram must be the host\'s memory, more than 0 bytes');
    }
    expect(json(['--maxmemory', '0']).tables['capacity']![0]!['maxmemory']).toBe(0);
    const wrongReport = runCli(['report', 'ttl', '--db', db, '--maxmemory', '4gb'], dir);
    expect(wrongReport).toMatchObject({ code: 2 });
    expect(wrongReport.stderr).toContain('report ttl does not take --maxmemory');
  });
});

/** maxmemory and maxmemory-policy of a redis-server started with `conf`, or 'refused'. */
async function serverLimits(conf: string, dir: string): Promise<{ maxmemory: number; policy: string } | 'refused'> {
  const got = await serverConfig(conf, dir, ['maxmemory', 'maxmemory-policy']);
  return got === 'refused' ? got : { maxmemory: Number(got['maxmemory']), policy: got['maxmemory-policy']! };
}

requireRedis()('--redis-conf read as redis-server reads it', () => {
  it('absent directives are Redis\'s defaults; include (globs, nesting), quotes, escapes, case, CRLF; later lines win; lines Redis refuses are usage errors', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'conf.d', 'a.conf'), 'maxmemory 5mb\nmaxmemory-policy volatile-ttl\n');
    writeFileSync(join(dir, 'conf.d', 'b.conf'), 'maxmemory 6mb\n');
    writeFileSync(join(dir, 'conf.d', 'skip.txt'), 'maxmemory 9mb\n');
    writeFileSync(join(dir, 'nested.conf'), 'include conf.d/b.conf\nmaxmemory-policy allkeys-lfu\n');
    const confs: Record<string, string> = {
      'no-maxmemory': 'port 6379\nmaxmemory-policy allkeys-lru\n',
      'empty': '# nothing about memory\n',
      'glob-include': `maxmemory 1mb\ninclude ${join(dir, 'conf.d', '*.conf')}\n`,
      'include-then-override': `include ${join(dir, 'conf.d', 'a.conf')}\nmaxmemory 2gb\n`,
      'relative-include': 'maxmemory 1mb\ninclude nested.conf\n',
      'quoted-crlf-case': '  MAXMEMORY "2mb"  \r\nmaxmemory-policy \'AllKeys-LRU\'\r\n',
      'hex-escape': 'maxmemory "\\x31mb"\n',
      'trailing-comment': 'maxmemory 1mb # the limit\n',
      'quoted-space': 'maxmemory "1 gb"\n',
      'bad-policy': 'maxmemory-policy allkeys-lfru\n',
      'unbalanced': 'maxmemory "1gb\n',
    };
    for (const [name, text] of Object.entries(confs)) {
      const conf = join(dir, `${name}.conf`);
      writeFileSync(conf, text);
      const server = await serverLimits(conf, dir);
      if (server === 'refused') {
        expect(() => readMemoryLimits(conf), name).toThrow(UsageError);
      } else {
        expect(readMemoryLimits(conf), name).toEqual(server);
      }
    }
    // The cases above are not all accepted or all refused.
    expect(await serverLimits(join(dir, 'glob-include.conf'), dir)).toEqual({ maxmemory: 6 * 1024 ** 2, policy: 'volatile-ttl' });
    expect(await serverLimits(join(dir, 'trailing-comment.conf'), dir)).toBe('refused');
  });
});

describe('capacity of a dump without used-mem (Redis before 4.0 writes none)', () => {
  it('compares the memory model\'s estimate of the loaded server with maxmemory and RAM, instead of saying there are no estimates', async () => {
    const { db, dir } = freshStore();
    const records = Array.from({ length: 2000 }, (_, i) => rec(`k:${i}`, { valueBytes: 100, elements: 100, largestElementBytes: 100, memory: { encoding: 'raw', bytes: 168, exact: true } }));
    await loadRecords(db, dir, 'old.rdb', records, { usedMem: null, memoryProfile: 'redis-7.0' });
    const maxmemory = 1024 * 1024;
    const r = capacity(db, { top: 20, maxmemory, ram: 4 * maxmemory });
    const c = r.tables.find((t) => t.name === 'capacity')!.rows[0]!;
    const keys = c['key_estimates'] as number;
    expect(keys).toBeGreaterThan(0);
    // Keys, dict buckets and an empty server's ~940 KB: past 1 MB.
    const est = c['estimated_used'] as number;
    expect(est).toBeGreaterThan(keys + 900_000);
    expect(c).toMatchObject({ used_mem: null, estimated_share: est / maxmemory, used_share: est / maxmemory, alarm_crossed: 1, bytes_to_maxmemory: maxmemory - est });
    expect(r.notes.join('\n')).not.toMatch(/no memory estimates/);
    expect(r.notes).toContain('used memory: the memory model\'s estimate (the dump has no used-mem)');
    expect(r.notes.join('\n')).toMatch(/at or past maxmemory/);
    const fork = r.tables.find((t) => t.name === 'fork_headroom')!.rows[0]!;
    expect(fork).toMatchObject({ used_mem: est, fork_worst_case: 2 * est });
    // The summary's reconciliation stays a reconciliation with used-mem: none without it.
    expect(reportRunner('summary')(db, { top: 20 }).tables.map((t) => t.name)).not.toContain('reconciliation');
  });
});
