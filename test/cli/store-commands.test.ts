import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { FIXTURES_DIR } from '../support/corpus.js';
import { CLI_MAIN, cliBuilt, runCli } from '../support/cli.js';
import { parseCsv } from '../support/csv-parse.js';
import { tempDir } from '../support/temp.js';

interface TruthKey { db: number; keyHex: string; type: string; encoding: string; expireAtMs: number | null; elements: number; memoryUsage: number }
interface Truth { keyCount: number; keys: TruthKey[] }
const truth = (name: string): Truth => JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.truth.json`), 'utf8'));
const fixture = (name: string) => join(FIXTURES_DIR, name);
const utf8 = (hex: string): string | null => {
  try { return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(hex, 'hex')); } catch { return null; }
};
const unneutralize = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);
const counts = (dbPath: string) => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return Object.fromEntries(['snapshots', 'keys', 'aux', 'pattern_stats', 'type_stats', 'ttl_stats'].map((t) => [t, (db.prepare(`SELECT count(*) n FROM ${t}`).get() as { n: number }).n]));
  } finally { db.close(); }
};
const query = <T>(dbPath: string, sql: string): T => {
  const db = new Database(dbPath, { readonly: true });
  try { return db.prepare(sql).get() as T; } finally { db.close(); }
};
const json = (stdout: string) => JSON.parse(stdout) as { notes: string[]; tables: Record<string, Record<string, unknown>[]> };

describe.skipIf(!cliBuilt || !existsSync(fixture('mixed-7.0.rdb')))('load / report / sql / analyze on real dumps', () => {
  it('load: keys and types match the server truth; re-load is a no-op; .gz/.lz4 copies are recognised as the same content', () => {
    const dir = tempDir();
    const db = join(dir, 'x.sqlite');
    const r = runCli(['load', fixture('mixed-7.0.rdb'), fixture('mixed-7.0.rdb.gz'), fixture('mixed-7.0.rdb.lz4'), '--db', db], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const t = truth('mixed-7.0');
    const sum = json(runCli(['report', 'summary', '--db', db, '--snapshot', '1', '--format', 'json'], dir).stdout);
    expect(sum.tables.totals![0]!.keys).toBe(t.keyCount);
    const byType = new Map<string, number>();
    for (const row of sum.tables.by_type!) byType.set(row.type as string, (byType.get(row.type as string) ?? 0) + (row.keys as number));
    const want = new Map<string, number>();
    for (const k of t.keys) want.set(k.type, (want.get(k.type) ?? 0) + 1);
    expect(byType).toEqual(want);
    expect(sum.tables.totals![0]!.untimed_keys).toBe(t.keys.filter((k) => k.expireAtMs === null).length);
    // The .gz and .lz4 copies hold the same RDB (same CRC64 trailer and length): parsed, then dropped.
    expect(r.stdout).toMatch(/mixed-7\.0\.rdb\.gz: same RDB content already loaded as snapshot 1/);
    expect(r.stdout).toMatch(/mixed-7\.0\.rdb\.lz4: same RDB content already loaded as snapshot 1/);
    expect(query<{ n: number }>(db, 'SELECT count(*) n FROM snapshots').n).toBe(1);
    expect(query<{ n: number }>(db, 'SELECT count(*) n FROM key_rows WHERE snapshot_id <> 1').n).toBe(0);
    // The new database was loaded with a rollback journal and left in WAL mode (open-store.ts).
    expect(query<{ journal_mode: string }>(db, 'PRAGMA journal_mode').journal_mode).toBe('wal');
    // Loaded first, a compressed copy is a snapshot of its own; the plain file is then the duplicate.
    const db2 = join(dir, 'y.sqlite');
    expect(runCli(['load', fixture('mixed-7.0.rdb.lz4'), '--db', db2, '--quiet'], dir).code).toBe(0);
    expect(runCli(['load', fixture('mixed-7.0.rdb'), '--db', db2], dir).stdout).toMatch(/same RDB content already loaded as snapshot 1 \(\d+ keys, complete\)/);
    expect(json(runCli(['report', 'summary', '--db', db2, '--format', 'json'], dir).stdout).tables.totals![0]!.keys).toBe(t.keyCount);

    const before = counts(db);
    const again = runCli(['load', fixture('mixed-7.0.rdb'), '--db', db], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already loaded as snapshot 1/);
    expect(counts(db)).toEqual(before);
  });

  it('bigkeys by element count matches the truth per type; CSV survives awkward keys', () => {
    const dir = tempDir();
    const db = join(dir, 'x.sqlite');
    expect(runCli(['load', fixture('mixed-7.0.rdb'), '--db', db, '--quiet'], dir).code).toBe(0);
    const t = truth('mixed-7.0');
    const top = 3;
    const big = json(runCli(['report', 'bigkeys', '--db', db, '--top', String(top), '--format', 'json'], dir).stdout);
    for (const type of new Set(t.keys.map((k) => k.type))) {
      if (type === 'string') continue;
      const want = t.keys.filter((k) => k.type === type).map((k) => k.elements).sort((a, b) => b - a).slice(0, top);
      expect(big.tables.by_elements!.filter((r) => r.type === type).map((r) => r.elements)).toEqual(want);
    }
    const csv = runCli(['report', 'bigkeys', '--db', db, '--top', '1000', '--format', 'csv'], dir);
    expect(csv.code).toBe(0);
    const sections = csv.stdout.split('\n\n');
    const rows = parseCsv(sections[0]!);
    const keyCol = rows[0]!.indexOf('key');
    const keys = rows.slice(1).map((r) => unneutralize(r[keyCol]!));
    expect(keys.length).toBe(t.keyCount);
    for (const k of t.keys) {
      const s = utf8(k.keyHex);
      // Readable text prints unchanged; control characters and backslashes print escaped.
      // eslint-disable-next-line no-control-regex
      if (s !== null && !/[\u0000-\u001f\u007f-\u009f\\]/.test(s)) expect(keys).toContain(s);
    }
    expect(keys).toContain('back\\\\slash'); // a backslash prints doubled, as redis-cli prints it
    expect(keys).toContain('=SUM(A1:A2)');
    expect(keys).toContain('comma,key');
    expect(keys).toContain('line\\nbreak'); // control characters print as redis-cli escapes
    expect(keys).toContain('tab\\tkey');
    expect(keys).toContain('\\x00');
    expect(keys).toContain('quote"d');
    expect(keys.some((k) => /\\x[89a-f][0-9a-f]/.test(k))).toBe(true); // non-UTF-8 bytes escaped
    // the table never lets a raw control character through
    const table = runCli(['report', 'bigkeys', '--db', db, '--top', '1000'], dir).stdout;
    // eslint-disable-next-line no-control-regex
    expect(table.replace(/\n/g, '')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(table).toContain('line\\nbreak');
  });

  it('ttl report buckets the truth expire times at the snapshot time', () => {
    const dir = tempDir();
    const db = join(dir, 'x.sqlite');
    runCli(['load', fixture('growth-b.rdb'), '--db', db, '--quiet'], dir);
    const t = truth('growth-b');
    const ctimeMs = Number((json(runCli(['sql', '--db', db, '--format', 'json', "select value from aux where name = 'ctime'"], dir).stdout).tables.rows![0]!.value)) * 1000;
    const bucket = (e: number | null) => {
      if (e === null) return 'none';
      const left = e - ctimeMs;
      return left <= 0 ? 'expired' : left < 60e3 ? '<1m' : left < 3600e3 ? '<1h' : left < 86400e3 ? '<1d' : left < 7 * 86400e3 ? '<7d' : left < 30 * 86400e3 ? '<30d' : '>30d';
    };
    const want: Record<string, number> = { expired: 0, '<1m': 0, '<1h': 0, '<1d': 0, '<7d': 0, '<30d': 0, '>30d': 0, none: 0 };
    for (const k of t.keys) want[bucket(k.expireAtMs)]!++;
    const got = json(runCli(['report', 'ttl', '--db', db, '--format', 'json'], dir).stdout).tables.ttl!;
    expect(Object.fromEntries(got.map((r) => [r.remaining_ttl, r.keys]))).toEqual(want);
  });

  it('growth between two real snapshots matches the server-side pattern counts', () => {
    const dir = tempDir();
    const db = join(dir, 'x.sqlite');
    expect(runCli(['load', fixture('growth-a.rdb'), fixture('growth-b.rdb'), '--db', db], dir).code).toBe(0);
    const expected = JSON.parse(readFileSync(fixture('growth-expected.json'), 'utf8')) as { patterns: Record<string, { a: { keys: number; withTtl: number }; b: { keys: number; withTtl: number } }> };
    const g = json(runCli(['report', 'growth', '--db', db, '--top', '100', '--format', 'json'], dir).stdout);
    const rows = [...g.tables.growth!, ...g.tables.shrinking!];
    for (const [pattern, e] of Object.entries(expected.patterns)) {
      const row = rows.find((r) => r.pattern === pattern);
      if (e.a.keys === e.b.keys && !row) continue; // unchanged patterns are in neither ranking
      expect(row, pattern).toBeDefined();
      expect(row).toMatchObject({ keys_before: e.a.keys, keys_after: e.b.keys });
      expect(row!.status).toBe(e.a.keys === 0 ? 'new' : e.b.keys === 0 ? 'vanished' : row!.status);
      if (e.a.keys) expect(row!.ttl_share_before).toBeCloseTo(e.a.withTtl / e.a.keys, 12);
      if (e.b.keys) expect(row!.ttl_share_after).toBeCloseTo(e.b.withTtl / e.b.keys, 12);
    }
    expect(g.notes[0]).toMatch(/from snapshot 1 \(growth-a.rdb.*to 2 \(growth-b.rdb/);
  });

  it('a truncated dump loads as a partial snapshot holding the keys before the cut; exit 1, one line', () => {
    const dir = tempDir();
    const db = join(dir, 'x.sqlite');
    const whole = readFileSync(fixture('mixed-7.0.rdb'));
    const cut = join(dir, 'cut.rdb');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const r = runCli(['load', cut, fixture('lru-7.0.rdb'), '--db', db], dir);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cut\.rdb.*byte \d+/);
    expect(r.stdout).toMatch(/PARTIAL snapshot 1/);
    expect(r.stdout).toMatch(/lru-7.0.rdb: loaded as snapshot 2/);
    const snaps = json(runCli(['sql', '--db', db, '--format', 'json', 'select id, status, key_count, error from snapshots order by id'], dir).stdout).tables.rows!;
    expect(snaps[0]).toMatchObject({ status: 'partial' });
    const n = snaps[0]!.key_count as number;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(truth('mixed-7.0').keyCount);
    // every key kept is a real key of the dump, once (the truth lists keys sorted, not in file order)
    const kept = json(runCli(['sql', '--db', db, '--format', 'json', 'select hex(key) h from keys where snapshot_id = 1'], dir).stdout).tables.rows!.map((r) => (r.h as string).toLowerCase());
    expect(kept.length).toBe(n);
    expect(new Set(kept).size).toBe(n);
    const all = new Set(truth('mixed-7.0').keys.map((k) => k.keyHex));
    for (const h of kept) expect(all.has(h)).toBe(true);
  });

  it('not an RDB / missing file: one line, exit 1, nothing kept', () => {
    const dir = tempDir();
    const db = join(dir, 'x.sqlite');
    writeFileSync(join(dir, 'notes.rdb'), 'hello, not a dump\n');
    const r = runCli(['load', join(dir, 'notes.rdb'), join(dir, 'missing.rdb'), '--db', db], dir);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // Nothing loaded into a database that did not exist: none is left behind (test/cli/load-nothing.test.ts).
    expect(existsSync(db)).toBe(false);
  });

  it('sql is read-only; usage errors exit 2', () => {
    const dir = tempDir();
    const db = join(dir, 'x.sqlite');
    runCli(['load', fixture('lru-7.0.rdb'), '--db', db, '--quiet'], dir);
    const del = runCli(['sql', '--db', db, 'DELETE FROM keys'], dir);
    expect(del.code).toBe(2);
    expect(runCli(['sql', '--db', db, 'SELEKT 1'], dir).code).toBe(2);
    expect(runCli(['report', 'nope', '--db', db], dir).code).toBe(2);
    expect(runCli(['report', 'ttl', '--db', join(dir, 'nowhere.sqlite')], dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/no database at/) });
    expect(existsSync(join(dir, 'nowhere.sqlite'))).toBe(false);
    expect(runCli(['report', 'ttl', '--db', db, '--match', 'x'], dir).code).toBe(2);
    expect(runCli(['report', 'growth', '--db', db], dir)).toMatchObject({ code: 2 });
    expect(counts(db).keys).toBe(truth('lru-7.0').keyCount);
    const q = runCli(['sql', '--db', db, '--format', 'csv', 'select count(*) n, sum(file_bytes) b from v_keys'], dir);
    expect(parseCsv(q.stdout)[1]![0]).toBe(String(truth('lru-7.0').keyCount));
  });

  it('a --db that is no database, or cannot be one, is one line naming it, exit 1', () => {
    const dir = tempDir();
    const junk = join(dir, 'junk.sqlite');
    writeFileSync(junk, 'not a database at all, just text that is long enough to fill a header');
    for (const args of [['load', fixture('lru-7.0.rdb'), '--db', junk, '--quiet'], ['report', 'summary', '--db', junk], ['sql', '--db', junk, 'select 1']]) {
      expect(runCli(args, dir), args[0]).toMatchObject({ code: 1, stderr: `rdbscope: ${junk}: file is not a database\n` });
    }
    for (const args of [['load', fixture('lru-7.0.rdb'), '--db', dir, '--quiet'], ['report', 'summary', '--db', dir], ['sql', 'SELECT 1', '--db', dir]]) {
      expect(runCli(args, dir), args[0]).toMatchObject({ code: 1, stderr: `rdbscope: ${dir}: a directory, not a database file: give --db a file (e.g. ${join(dir, 'rdbscope.sqlite')})\n` });
    }
    const deep = join(dir, 'no-such-dir', 'x.sqlite');
    expect(runCli(['load', fixture('lru-7.0.rdb'), '--db', deep, '--quiet'], dir)).toMatchObject({ code: 1, stderr: `rdbscope: ${deep}: Cannot open database because the directory does not exist\n` });
  });

  it('sql prints a column of any name, `__proto__` and `constructor` too, in every format', () => {
    const dir = tempDir();
    const db = join(dir, 'x.sqlite');
    runCli(['load', fixture('lru-7.0.rdb'), '--db', db, '--quiet'], dir);
    const q = "select 'x' as __proto__, 2 as b, 3 as constructor";
    const json = runCli(['sql', '--db', db, '--format', 'json', q], dir);
    expect(json.code).toBe(0);
    expect(json.stdout).toMatch(/"__proto__": "x",\n\s+"b": 2,\n\s+"constructor": 3\n/);
    expect(runCli(['sql', '--db', db, '--format', 'csv', q], dir)).toMatchObject({ code: 0, stdout: '__proto__,b,constructor\nx,2,3\n' });
    const table = runCli(['sql', '--db', db, q], dir);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[2]).toMatch(/^x\s+2\s+3$/);
  });

  it('sql prints 300 000 rows as a table, and stops quietly when its reader leaves (`| head`)', () => {
    const dir = tempDir();
    const db = join(dir, 'x.sqlite');
    runCli(['load', fixture('lru-7.0.rdb'), '--db', db, '--quiet'], dir);
    const rows = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT x, x * 1000 AS bytes FROM c';
    const all = spawnSync(process.execPath, [CLI_MAIN, 'sql', '--db', db, rows], { encoding: 'utf8', maxBuffer: 256 << 20 });
    expect(all.stderr).toBe('');
    expect(all.status).toBe(0);
    expect(all.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(300_000);
    for (const format of ['table', 'csv', 'json']) {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI_MAIN}" sql --db "${db}" --format ${format} '${rows}' | head -c 100 > /dev/null; exit \${PIPESTATUS[0]}`], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr, format).toBe('');
      expect(r.status, format).toBe(0);
    }
  });

  it('analyze creates <dump>.rdbscope.sqlite here and prints the diagnosis', () => {
    const dir = tempDir();
    copyFileSync(fixture('growth-a.rdb'), join(dir, 'growth-a.rdb'));
    const r = runCli(['analyze', 'growth-a.rdb'], dir);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'growth-a.rdbscope.sqlite'))).toBe(true);
    for (const s of ['Where the memory is', 'Big keys and what to type', 'What each maxmemory-policy family could evict', 'no earlier snapshot of instance']) expect(r.stdout).toContain(s);
    expect(r.stdout).toContain('user:*:profile');
    // report finds the database on its own
    expect(runCli(['report', 'patterns', '--top', '2'], dir).code).toBe(0);
    // a later dump into the same database shows growth against the earlier one
    copyFileSync(fixture('growth-b.rdb'), join(dir, 'growth-b.rdb'));
    const second = runCli(['analyze', 'growth-b.rdb', '--db', 'growth-a.rdbscope.sqlite'], dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Change since the previous snapshot of instance');
    expect(second.stdout).toMatch(/cache:page:\*\s+\d+\s+-\s+grown/);
    // --out writes the file, not stdout
    const out = runCli(['report', 'ttl', '--format', 'json', '--out', 'ttl.json'], dir);
    expect(out).toMatchObject({ code: 0, stdout: '' });
    expect(JSON.parse(readFileSync(join(dir, 'ttl.json'), 'utf8')).tables.ttl).toHaveLength(8);
    // a file that is no dump leaves no database behind
    writeFileSync(join(dir, 'junk.rdb'), 'junk');
    const junk = runCli(['analyze', 'junk.rdb'], dir);
    expect(junk.code).toBe(1);
    expect(junk.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'junk.rdbscope.sqlite'))).toBe(false);
  });
});
