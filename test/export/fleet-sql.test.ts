import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR, PROJECT_ROOT } from '../support/corpus.js';
import { Duck, type DuckRow } from './duck.js';
import { NIGHT_1, NIGHT_2, writeFleetDump } from './fleet-dumps.js';
import { sqlBlocks, withDir, type SqlBlock } from './sql-blocks.js';

/** An instance name that needs escaping in a Hive partition (`/`, `:`, `%`, `=`) and is not ASCII. */
const ODD_INSTANCE = 'eu/west:1 50%=ü';
const DOCS = join(PROJECT_ROOT, 'docs', 'fleet.md');
const README = join(PROJECT_ROOT, 'README.md');

let dir: string;
let out: string;
let dbPath: string;
let duck: Duck;

const ok = (args: string[]) => {
  const r = runCli(args, dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r;
};
const store = () => new Database(dbPath, { readonly: true });
const keysGlob = (d = out) => `read_parquet('${d}/**/keys.parquet', hive_partitioning = true)`;
const patternsGlob = (d = out) => `read_parquet('${d}/**/patterns.parquet', hive_partitioning = true)`;
const snapshotsGlob = (d = out) => `read_parquet('${d}/**/snapshot.parquet', hive_partitioning = true)`;
/** A snapshot's date as the export partitions it (UTC day of snapshot_time_ms). */
const DATE_SQL = `strftime('%Y-%m-%d', snapshot_time_ms / 1000, 'unixepoch')`;
const DATE_ISO = (d: unknown) => String(d).slice(0, 10);

interface Report { notes: string[]; tables: Record<string, Record<string, unknown>[]> }
const report = (...args: string[]): Report => JSON.parse(ok(['report', ...args, '--db', dbPath, '--format', 'json']).stdout) as Report;

describe.skipIf(!cliBuilt)('fleet export read by DuckDB equals load + report', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rdbscope-fleet-'));
    out = join(dir, 'exports');
    dbPath = join(dir, 'fleet.sqlite');
    mkdirSync(join(dir, 'shard-a'));
    mkdirSync(join(dir, 'shard-b'));
    // Two instances, two nights each: patterns grow, shrink, appear and vanish between the nights.
    writeFleetDump(join(dir, 'shard-a', 'dump-1101.rdb'), NIGHT_1, 11, { users: 120, pages: 80, sessions: 60, queues: 5, binary: 3 });
    writeFleetDump(join(dir, 'shard-a', 'dump-1102.rdb'), NIGHT_2, 12, { users: 150, pages: 40, sessions: 90, queues: 0, binary: 3 });
    writeFleetDump(join(dir, 'shard-b', 'dump-1101.rdb'), NIGHT_1, 21, { users: 30, pages: 200, sessions: 10, queues: 8, binary: 0, lfu: true });
    writeFleetDump(join(dir, 'shard-b', 'dump-1102.rdb'), NIGHT_2, 22, { users: 35, pages: 260, sessions: 12, queues: 8, binary: 2, lfu: true });
    // A dump of a real redis-server, under an instance name that needs escaping.
    copyFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb'), join(dir, 'mixed-7.0.rdb'));
    ok(['export', 'shard-a', 'shard-b', '--format', 'parquet', '--out', out]);
    ok(['export', 'mixed-7.0.rdb', '--format', 'parquet', '--out', out, '--instance', ODD_INSTANCE]);
    ok(['load', 'shard-a', 'shard-b', '--db', dbPath, '--quiet']);
    ok(['load', 'mixed-7.0.rdb', '--db', dbPath, '--quiet', '--instance', ODD_INSTANCE]);
    duck = await Duck.open();
  }, 120_000);

  afterAll(() => {
    duck?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one Hive partition per instance and night, the odd name escaped as Hive writes it', () => {
    expect(readdirSync(out).sort()).toEqual(['instance=eu%2Fwest%3A1 50%25%3Dü', 'instance=shard-a', 'instance=shard-b']);
    expect(readdirSync(join(out, 'instance=shard-a')).sort()).toEqual(['date=2026-11-01', 'date=2026-11-02']);
    expect(readdirSync(join(out, 'instance=shard-a', 'date=2026-11-01')).sort()).toEqual(['keys.parquet', 'patterns.parquet', 'snapshot.parquet']);
  });

  it('every key row equals the row load stored, field by field', async () => {
    const cols = `instance, date, db, hex(key) AS key_hex, key_text, pattern, type, rdb_type, encoding, elements, value_bytes, memory_bytes,
                  largest_element_bytes, expire_at_ms, idle_seconds, lfu_freq, fields_with_ttl, stream_groups, stream_pending`;
    const fromParquet = await duck.all(`SELECT ${cols} FROM ${keysGlob()} ORDER BY ALL`);
    const db = store();
    const fromStore = db.prepare(
      `SELECT coalesce(s.instance, 'default') AS instance, ${DATE_SQL.replace('snapshot_time_ms', 's.snapshot_time_ms')} AS date, k.db, hex(k.key) AS key_hex,
              coalesce(k.key_printable, CAST(k.key AS TEXT)) AS key_text, k.pattern, k.type, k.rdb_type, k.encoding, k.elements, k.value_bytes,
              k.memory_bytes, k.largest_element AS largest_element_bytes, k.expire_at_ms, k.idle AS idle_seconds, k.freq AS lfu_freq,
              k.fields_with_ttl, k.stream_groups, k.stream_pending
       FROM keys k JOIN snapshots s ON s.id = k.snapshot_id`,
    ).all() as DuckRow[];
    db.close();
    const norm = (rows: DuckRow[]) => rows.map((r) => JSON.stringify({ ...r, date: DATE_ISO(r.date), key_hex: String(r.key_hex).toLowerCase() })).sort();
    expect(fromParquet.length).toBe(fromStore.length);
    expect(fromParquet.length).toBeGreaterThan(1000);
    expect(norm(fromParquet)).toEqual(norm(fromStore));
    // Binary and non-ASCII keys keep their exact bytes and get the printable text.
    expect(fromParquet.some((r) => String(r.key_hex).toLowerCase().startsWith('62696e3aff000a'))).toBe(true);
    expect(fromParquet.some((r) => String(r.key_text).startsWith('ключ:'))).toBe(true);
    // LRU idle times and LFU counters, zero included.
    expect(fromParquet.some((r) => r.idle_seconds === 0) && fromParquet.some((r) => r.lfu_freq === 0)).toBe(true);
    expect(fromParquet.some((r) => (r.idle_seconds as number) > 0) && fromParquet.some((r) => (r.lfu_freq as number) > 0)).toBe(true);
  });

  it('patterns.parquet holds exactly the pattern_stats rows load stored', async () => {
    const fromParquet = await duck.all(`SELECT instance, date, pattern, type, keys, memory_bytes, file_bytes, untimed_keys, untimed_memory, untimed_file_bytes FROM ${patternsGlob()}`);
    const db = store();
    const fromStore = db.prepare(
      `SELECT coalesce(s.instance, 'default') AS instance, ${DATE_SQL} AS date, p.pattern, p.type, p.keys, p.memory_bytes, p.file_bytes, p.untimed_keys,
              p.untimed_memory, p.untimed_file_bytes FROM pattern_stats p JOIN snapshots s ON s.id = p.snapshot_id`,
    ).all() as DuckRow[];
    db.close();
    const norm = (rows: DuckRow[]) => rows.map((r) => JSON.stringify({ ...r, date: DATE_ISO(r.date) })).sort();
    expect(fromParquet.length).toBeGreaterThan(10);
    expect(norm(fromParquet)).toEqual(norm(fromStore));
  });

  it('snapshot.parquet describes each dump as the snapshots table does, with the fingerprint as id', async () => {
    const fromParquet = await duck.all(`SELECT instance, snapshot_id, file_name, file_bytes, compression, epoch_ms(snapshot_time) AS t, time_source, server_version,
      rdb_version, used_mem, key_count, key_rows, status, error, memory_profile, unestimated_keys, rdb_bytes, checksum FROM ${snapshotsGlob()}`);
    const db = store();
    const fromStore = db.prepare(`SELECT coalesce(instance, 'default') AS instance, fingerprint AS snapshot_id, file_name, file_bytes, compression, snapshot_time_ms AS t,
      time_source, redis_ver AS server_version, rdb_version, used_mem, key_count, key_rows, status, error, memory_profile, unestimated_keys, rdb_bytes, checksum FROM snapshots`).all() as DuckRow[];
    db.close();
    const norm = (rows: DuckRow[]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(fromParquet).toHaveLength(5);
    expect(norm(fromParquet)).toEqual(norm(fromStore));
  });

  const docBlocks = (): SqlBlock[] => sqlBlocks(DOCS);
  const readmeBlocks = (): SqlBlock[] => (existsSync(README) ? sqlBlocks(README).filter((b) => b.marked) : []);

  it('every SQL block of docs/fleet.md and of the README fleet section runs on the export', async () => {
    const blocks = [...docBlocks(), ...readmeBlocks()];
    expect(docBlocks().length).toBeGreaterThanOrEqual(4);
    for (const b of blocks) {
      const rows = await duck.all(withDir(b.sql, out));
      expect(rows.length, b.sql).toBeGreaterThan(0);
    }
  });

  /** Each named block of the docs (and of the README, when it has one of that name). */
  const named = (name: string): SqlBlock[] => {
    const found = [...docBlocks(), ...readmeBlocks()].filter((b) => b.name === name);
    expect(found.length, `a fleet-sql block named ${name}`).toBeGreaterThan(0);
    return found;
  };
  const instances = ['shard-a', 'shard-b', ODD_INSTANCE];

  it('"big keys across the fleet" equals the top of report bigkeys of each instance\'s latest snapshot', async () => {
    const expected = instances
      .flatMap((instance) => report('bigkeys', '--instance', instance, '--top', '20').tables.by_memory!.map((r) => ({ instance, key: r.key, memory: r.memory as number })))
      .sort((a, b) => b.memory - a.memory)
      .slice(0, 20);
    for (const b of named('bigkeys')) {
      const rows = await duck.all(withDir(b.sql, out));
      expect(rows.map((r) => r.memory_bytes)).toEqual(expected.map((e) => e.memory));
      // Keys are the same wherever the memory is not tied with the last one kept.
      const last = expected.at(-1)!.memory;
      const ids = (xs: { instance: unknown; key: unknown; memory: unknown }[]) => xs.filter((x) => x.memory !== last).map((x) => `${x.instance}\t${x.key}`).sort();
      expect(ids(rows.map((r) => ({ instance: r.instance, key: r.key, memory: r.memory_bytes })))).toEqual(ids(expected));
    }
  });

  it('"untimed memory per instance" equals report untimed\'s totals for every snapshot', async () => {
    const db = store();
    const snaps = db.prepare(`SELECT id, coalesce(instance, 'default') AS instance, ${DATE_SQL} AS date FROM snapshots`).all() as { id: number; instance: string; date: string }[];
    db.close();
    for (const b of named('untimed')) {
      const rows = await duck.all(withDir(b.sql, out));
      expect(rows).toHaveLength(snaps.length);
      for (const s of snaps) {
        // "N of M keys have no TTL, holding X of Y bytes"
        const line = report('untimed', '--snapshot', String(s.id)).notes.find((n) => / keys have no TTL, holding /.test(n))!;
        const [, untimedKeys, keys, untimedMemory, memory] = /^(\d+) of (\d+) keys have no TTL, holding (\d+) of (\d+) bytes$/.exec(line)!.map(Number);
        const row = rows.find((r) => r.instance === s.instance && DATE_ISO(r.date) === s.date)!;
        expect(row, `${s.instance} ${s.date}`).toMatchObject({ keys, untimed_keys: untimedKeys, untimed_memory: untimedMemory, memory_bytes: memory });
      }
    }
  });

  /** report growth of one instance between its two nights: pattern → [keys before, keys after, memory change]. */
  const growthOf = (instance: string): Map<string, [number, number, number]> => {
    const db = store();
    const ids = db.prepare(`SELECT id FROM snapshots WHERE instance = ? ORDER BY snapshot_time_ms`).pluck().all(instance) as number[];
    db.close();
    const r = report('growth', '--instance', instance, '--from', String(ids[0]), '--to', String(ids[1]), '--top', '100000');
    const m = new Map<string, [number, number, number]>();
    for (const row of [...r.tables.growth!, ...r.tables.shrinking!]) m.set(row.pattern as string, [row.keys_before as number, row.keys_after as number, row.memory_change as number]);
    return m;
  };

  it('"growth per pattern between two dates" equals report growth of each instance, summed over the fleet', async () => {
    const perInstance = new Map(['shard-a', 'shard-b'].map((i) => [i, growthOf(i)]));
    const fleet = new Map<string, [number, number, number]>();
    for (const g of perInstance.values())
      for (const [p, [kb, ka, dm]] of g) {
        const have = fleet.get(p) ?? [0, 0, 0];
        fleet.set(p, [have[0] + kb, have[1] + ka, have[2] + dm]);
      }
    expect([...fleet.values()].some(([kb]) => kb === 0)).toBe(true); // a new pattern
    expect([...fleet.values()].some(([, ka]) => ka === 0)).toBe(true); // a vanished one
    for (const b of named('growth')) {
      const rows = await duck.all(withDir(b.sql, out));
      // Patterns whose memory changed somewhere; the report lists those (and no unchanged ones).
      // Summed over instances, a pattern also counts the keys of instances where it did not change:
      // compare the changes (keys and memory), which the unchanged instances add nothing to.
      const changed = rows.filter((r) => fleet.has(r.pattern as string));
      expect(changed.map((r) => [r.pattern, (r.keys_after as number) - (r.keys_before as number), r.memory_change]).sort())
        .toEqual([...fleet.entries()].map(([p, [kb, ka, dm]]) => [p, ka - kb, dm]).sort());
      for (const r of rows) if (!fleet.has(r.pattern as string)) expect(r.memory_change).toBe(0);
    }
    for (const b of named('growth-per-instance')) {
      const rows = await duck.all(withDir(b.sql, out));
      for (const [instance, g] of perInstance) {
        const mine = rows.filter((r) => r.instance === instance && g.has(r.pattern as string));
        expect(mine.map((r) => [r.pattern, [r.keys_before, r.keys_after, r.memory_change]]).sort()).toEqual([...g.entries()].sort());
      }
    }
  });

  it('DuckDB reads the escaped partition back as the instance name', async () => {
    const rows = await duck.all(`SELECT DISTINCT instance FROM ${snapshotsGlob()} ORDER BY 1`);
    expect(rows.map((r) => r.instance)).toEqual(['eu/west:1 50%=ü', 'shard-a', 'shard-b']);
  });

  it('--db exports the same files: same ids, rows, patterns and snapshot rows as the export of the dumps', async () => {
    const out2 = join(dir, 'from-db');
    ok(['export', '--db', dbPath, '--format', 'parquet', '--out', out2, '--quiet']);
    for (const glob of [keysGlob, patternsGlob, snapshotsGlob]) {
      const a = await duck.all(`SELECT count(*) AS n FROM ${glob()}`);
      const diff = await duck.all(`(SELECT * FROM ${glob()} EXCEPT ALL SELECT * FROM ${glob(out2)}) UNION ALL (SELECT * FROM ${glob(out2)} EXCEPT ALL SELECT * FROM ${glob()})`);
      expect(a[0]!.n).toBeGreaterThan(0);
      expect(diff).toEqual([]);
    }
  });

  it('--keys-min-bytes keeps the key rows load keeps, every pattern still counted', async () => {
    const limited = join(dir, 'limited');
    const limitedDb = join(dir, 'limited.sqlite');
    ok(['export', 'shard-a/dump-1101.rdb', '--out', limited, '--keys-min-bytes', '300', '--quiet']);
    ok(['load', 'shard-a/dump-1101.rdb', '--db', limitedDb, '--keys-min-bytes', '300', '--quiet']);
    const rows = await duck.all(`SELECT hex(key) AS k, memory_bytes FROM ${keysGlob(limited)} ORDER BY 1`);
    const db = new Database(limitedDb, { readonly: true });
    const kept = db.prepare('SELECT hex(key) AS k, memory_bytes FROM keys ORDER BY 1').all();
    db.close();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(kept);
    expect(rows.every((r) => (r.memory_bytes as number) >= 300)).toBe(true);
    const [snap] = await duck.all(`SELECT key_count, key_rows, keys_min_bytes FROM ${snapshotsGlob(limited)}`);
    const [all] = await duck.all(`SELECT key_count FROM ${snapshotsGlob()} WHERE instance = 'shard-a' AND date = DATE '2026-11-01'`);
    expect(snap).toEqual({ key_count: all!.key_count, key_rows: rows.length, keys_min_bytes: 300 });
    expect(rows.length).toBeLessThan(all!.key_count as number);
    // Aggregates cover every key: the same patterns.parquet as the unlimited export of that dump.
    const diff = await duck.all(`SELECT pattern, type, keys, memory_bytes FROM ${patternsGlob(limited)} EXCEPT
      SELECT pattern, type, keys, memory_bytes FROM ${patternsGlob()} WHERE instance = 'shard-a' AND date = DATE '2026-11-01'`);
    expect(diff).toEqual([]);
    // From the database loaded that way: the same kept rows, and the limit said.
    const fromDb = join(dir, 'limited-db');
    ok(['export', '--db', limitedDb, '--out', fromDb, '--quiet']);
    expect(await duck.all(`SELECT hex(key) AS k, memory_bytes FROM ${keysGlob(fromDb)} ORDER BY 1`)).toEqual(kept);
    expect((await duck.all(`SELECT keys_min_bytes, key_rows FROM ${snapshotsGlob(fromDb)}`))[0]).toEqual({ keys_min_bytes: 300, key_rows: rows.length });
  });

  it('a cut dump exports the keys read before the fault as partial, exit 1, as load keeps it', async () => {
    const whole = readFileSync(join(dir, 'shard-b', 'dump-1102.rdb'));
    mkdirSync(join(dir, 'cut'));
    writeFileSync(join(dir, 'cut', 'dump.rdb'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    const partial = join(dir, 'partial');
    const r = runCli(['export', 'cut/dump.rdb', '--out', partial], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/exported as PARTIAL/);
    const cutDb = join(dir, 'cut.sqlite');
    expect(runCli(['load', 'cut/dump.rdb', '--db', cutDb, '--quiet'], dir).code).toBe(1);
    const db = new Database(cutDb, { readonly: true });
    const s = db.prepare('SELECT key_count, status, error FROM snapshots').get() as DuckRow;
    const keys = db.prepare('SELECT count(*) AS n FROM keys').pluck().get();
    db.close();
    expect(s.status).toBe('partial');
    expect(r.stderr).toContain(String(s.error));
    const [snap] = await duck.all(`SELECT key_count, status, error FROM ${snapshotsGlob(partial)}`);
    expect(snap).toEqual(s);
    expect((await duck.all(`SELECT count(*) AS n FROM ${keysGlob(partial)}`))[0]!.n).toBe(keys);
  });

  it('a file that is not a dump exits 1 and leaves nothing', () => {
    writeFileSync(join(dir, 'notes.rdb'), 'not a dump at all\n');
    const empty = join(dir, 'nothing');
    const r = runCli(['export', 'notes.rdb', '--out', empty], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/notes\.rdb/);
    expect(readdirSync(empty)).toEqual([]);
  });
});
