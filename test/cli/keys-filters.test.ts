/**
 * `keys` filters, end to end on a real dump: each filtered output must be the header plus exactly
 * the lines of the unfiltered output that the same selection, done here on its JSONL rows, keeps —
 * in every format, in the same order.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { auxValue } from '../../src/rdb/index.js';
import { KEY_LINE_FORMATS } from '../../src/output/key-lines.js';
import { cliBuilt, runCliAsync } from '../support/cli.js';
import { CORPUS_DIR, corpusPresent, FIXTURES_DIR, parseDump, PROJECT_ROOT } from '../support/corpus.js';

interface Row {
  db: number;
  key: string;
  keyHex: string;
  type: string;
  memoryBytes: number | null;
  valueBytes: number;
  expireAtMs: number | null;
}

const DUMP = path.join(FIXTURES_DIR, 'mixed-7.0.rdb');
const keyBytes = (r: Row) => Buffer.from(r.keyHex, 'hex');

function keys(args: string[]) {
  return runCliAsync(['keys', DUMP, ...args], PROJECT_ROOT);
}

/** Output lines after the header (csv formats have one). */
function body(format: string, stdout: string): { header: string[]; lines: string[] } {
  const all = stdout.split('\n').slice(0, -1);
  return format === 'jsonl' ? { header: [], lines: all } : { header: all.slice(0, 1), lines: all.slice(1) };
}

describe.skipIf(!cliBuilt)('keys filters', async () => {
  const full = await keys([]);
  const rows: Row[] = full.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
  const ctimeMs = Number(auxValue((await parseDump(DUMP)).info, 'ctime')) * 1000;
  const unfiltered: Record<string, { header: string[]; lines: string[] }> = {};
  for (const f of KEY_LINE_FORMATS) unfiltered[f] = body(f, f === 'jsonl' ? full.stdout : (await keys(['--format', f])).stdout);

  const cases: [string, string[], (r: Row) => boolean][] = [
    ['one db', ['--db', '1'], (r) => r.db === 1],
    ['two dbs', ['--db', '5', '--db', '15'], (r) => r.db === 5 || r.db === 15],
    ['one type', ['--type', 'hash'], (r) => r.type === 'hash'],
    ['two types', ['--type', 'set', '--type', 'zset'], (r) => r.type === 'set' || r.type === 'zset'],
    ['a prefix', ['--match', 'str:many:1*'], (r) => keyBytes(r).toString('latin1').startsWith('str:many:1')],
    ['a set at the end', ['--match', '*[0-9]'], (r) => /[0-9]$/.test(keyBytes(r).toString('latin1'))],
    ['one byte', ['--match', '?'], (r) => keyBytes(r).length === 1],
    ['an escaped character', ['--match', 'str\\:*'], (r) => keyBytes(r).toString('latin1').startsWith('str:')],
    ['negated set', ['--match', '[^s]*'], (r) => keyBytes(r).length > 0 && keyBytes(r)[0] !== 0x73],
    ['memory at least', ['--min-bytes', '1000'], (r) => (r.memoryBytes ?? r.valueBytes) >= 1000],
    ['with a TTL', ['--ttl'], (r) => r.expireAtMs !== null],
    ['without a TTL', ['--no-ttl'], (r) => r.expireAtMs === null],
    ['expiring within 2 h of ctime', ['--expires-before', '2h'], (r) => r.expireAtMs !== null && r.expireAtMs < ctimeMs + 7_200_000],
    ['expiring within 1d12h', ['--expires-before', '1d12h'], (r) => r.expireAtMs !== null && r.expireAtMs < ctimeMs + 36 * 3_600_000],
    ['expiring before an ISO time', ['--expires-before', '2096-01-01T00:00:00Z'], (r) => r.expireAtMs !== null && r.expireAtMs < Date.UTC(2096, 0, 1)],
    ['expiring before a date (UTC)', ['--expires-before', '2026-11-28'], (r) => r.expireAtMs !== null && r.expireAtMs < Date.UTC(2026, 10, 28)],
    ['expiring before a local-looking time (UTC)', ['--expires-before', '2026-11-25 18:00'], (r) => r.expireAtMs !== null && r.expireAtMs < Date.UTC(2026, 10, 25, 18)],
    // ISO forms `date` and Python write: a +hhmm or ±hh zone, microseconds, a comma decimal sign, lowercase.
    ['expiring before a time with a +hhmm zone', ['--expires-before', '2026-11-25T20:00:00+0200'], (r) => r.expireAtMs !== null && r.expireAtMs < Date.UTC(2026, 10, 25, 18)],
    ['expiring before a time with a -hh zone', ['--expires-before', '2026-11-25T13:00:00-05'], (r) => r.expireAtMs !== null && r.expireAtMs < Date.UTC(2026, 10, 25, 18)],
    ['expiring before a time in microseconds', ['--expires-before', '2026-11-27T00:56:47.082000+00:00'], (r) => r.expireAtMs !== null && r.expireAtMs < 1795741007082],
    ['expiring before a time a microsecond later (rounded up)', ['--expires-before', '2026-11-27T00:56:47.082001Z'], (r) => r.expireAtMs !== null && r.expireAtMs <= 1795741007082],
    ['expiring before a time with a comma and nanoseconds', ['--expires-before', '2026-11-27T00:56:47,082000001+00:00'], (r) => r.expireAtMs !== null && r.expireAtMs <= 1795741007082],
    ['expiring before a lowercase RFC 3339 time', ['--expires-before', '2026-11-25t18:00:00z'], (r) => r.expireAtMs !== null && r.expireAtMs < Date.UTC(2026, 10, 25, 18)],
    ['all together', ['--db', '0', '--type', 'string', '--ttl', '--match', 'ttl:*', '--min-bytes', '50'],
      (r) => r.db === 0 && r.type === 'string' && r.expireAtMs !== null && keyBytes(r).toString('latin1').startsWith('ttl:') && (r.memoryBytes ?? 0) >= 50],
  ];

  it('the dump has what the cases need', () => {
    expect(full.code).toBe(0);
    for (const [name, , keep] of cases) {
      const n = rows.filter(keep).length;
      expect(n > 0 && n < rows.length, `${name}: selects ${n} of ${rows.length}`).toBe(true);
    }
  });

  // Every case in JSONL; the filter runs before any formatting, so two cases suffice for the CSV formats.
  const csvCases = new Set(['a prefix', 'all together']);
  it.each(cases)('%s: the lines of the unfiltered output that the selection keeps', async (name, args, keep) => {
    for (const format of KEY_LINE_FORMATS) {
      if (format !== 'jsonl' && !csvCases.has(name)) continue;
      const got = await keys(['--format', format, ...args]);
      expect(got.code, got.stderr).toBe(0);
      const want = unfiltered[format]!;
      const out = body(format, got.stdout);
      expect(out.header).toEqual(want.header);
      expect(out.lines).toEqual(want.lines.filter((_, i) => keep(rows[i]!)));
    }
  });

  it.each([
    [['--expires-before', 'soon'], /--expires-before must be an ISO time/],
    [['--expires-before', '7x'], /--expires-before/],
    [['--expires-before', '2026-13-45'], /--expires-before/],
    // Days the month does not have: Date.parse would roll 2026-02-30 over to March 2.
    [['--expires-before', '2026-02-30'], /--expires-before/],
    [['--expires-before', '2026-04-31T00:00:00Z'], /--expires-before/],
    [['--expires-before', '2027-02-29'], /--expires-before/],
    [['--expires-before', '2026-11-25T18:60'], /--expires-before/],
    [['--expires-before', '2026-11-25T24:00:01Z'], /--expires-before/],
    [['--expires-before', '2026-11-25T18:00:00+24:00'], /--expires-before/],
    [['--no-ttl', '--expires-before', '7d'], /^rdbscope: --no-ttl selects keys without an expiry and --expires-before keys with one: give one of them\n$/],
    // One value for both flags: the last given won, silently.
    [['--ttl', '--no-ttl'], /^rdbscope: --ttl selects keys with an expiry and --no-ttl keys without one: give one of them\n$/],
    [['--no-ttl', '--ttl'], /^rdbscope: --ttl selects keys with an expiry and --no-ttl keys without one: give one of them\n$/],
    [['--type', 'strings'], /--type must be one of/],
    // GCRA (type 29) is refused when read: a filter on it would match nothing, always.
    [['--type', 'gcra'], /--type must be one of/],
    [['--db', 'x'], /--db must be a database number/],
    [['--min-bytes', '-1'], /--min-bytes must be a whole number/],
    // An empty value is a value: it was taken for "not given", and the dump's own profile and defaults used.
    [['--server', ''], /bad server profile ""/],
    [['--redis-conf', ''], /--redis-conf: cannot read/],
  ])('%j: a usage error, one line, exit 2', async (args, message) => {
    const r = await keys(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.skipIf(!corpusPresent('hdt3213-rdb'))('a duration needs the dump ctime: a dump without one says so (exit 2); an ISO time works', async () => {
    const file = path.join(CORPUS_DIR, 'hdt3213-rdb', 'keys_with_expiry.rdb');
    const r = await runCliAsync(['keys', file, '--expires-before', '7d'], PROJECT_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no creation time \(AUX ctime\)/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // No header-only CSV either: a usage error leaves stdout empty in every format.
    for (const format of ['csv', 'rdbtools-csv']) {
      const csv = await runCliAsync(['keys', file, '--format', format, '--expires-before', '7d'], PROJECT_ROOT);
      expect(csv.code).toBe(2);
      expect(csv.stdout).toBe('');
    }
    const iso = await runCliAsync(['keys', file, '--expires-before', '9999-12-31'], PROJECT_ROOT);
    expect(iso.code).toBe(0);
    const all = (await runCliAsync(['keys', file], PROJECT_ROOT)).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
    expect(iso.stdout.split('\n').filter(Boolean)).toHaveLength(all.filter((x) => x.expireAtMs !== null).length);
  });
});
