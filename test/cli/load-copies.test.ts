import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { snapshotStats, type Row } from '../support/snapshot-stats.js';
import { tempDir } from '../support/temp.js';

// `load --jobs` given copies of one dump (the same file under other names, .gz/.lz4 copies of its
// RDB): the database must hold each distinct dump once, as a serial load of the same list does.

const fixture = (name: string) => join(FIXTURES_DIR, name);
const KEYS = 150_000;

/** A dump big enough that a sibling lane picks up a copy of it while it is still being written. */
function bigDump(path: string): void {
  const w = new RdbWriter({ version: 10 });
  w.aux('redis-ver', '7.0.15').aux('ctime', '1700000000').aux('used-mem', '40000000').selectDb(0).resizeDb(KEYS, 0);
  for (let i = 0; i < KEYS; i++) w.key(TYPE.STRING, `user:${i}:name`).string(`value-${i}`);
  writeFileSync(path, w.finish());
}


interface Stored {
  /** Per distinct RDB content (checksum and length), what was stored, without ids, names and times. */
  dumps: Map<string, { snapshot: Row; keys: number; stats: Row[] }>;
  snapshots: { id: number; path: string; status: string; key_rows: number; first_row: number; last_row: number }[];
  keyRows: { n: number; hi: number | null; orphans: number };
}

function stored(dbPath: string): Stored {
  const db = new Database(dbPath, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const dumps = new Map<string, { snapshot: Row; keys: number; stats: Row[] }>();
    const all = db.prepare('SELECT * FROM snapshots ORDER BY id').all() as Row[];
    for (const s of all) {
      const { id, file_name, path, file_bytes, fingerprint, compression, loaded_at_ms, first_row, last_row, snapshot_time_ms, time_source, ...snapshot } = s;
      const keys = (db.prepare('SELECT count(*) n FROM key_rows WHERE row_id BETWEEN ? AND ? AND snapshot_id = ?').get(first_row, last_row, id) as { n: number }).n;
      const stats = snapshotStats(db, id);
      const key = `${String(snapshot.checksum)} ${String(snapshot.rdb_bytes)}`;
      expect(dumps.has(key), `${String(path)}: its RDB content is stored twice`).toBe(false);
      dumps.set(key, { snapshot, keys, stats });
    }
    const keyRows = db.prepare('SELECT count(*) n, max(row_id) hi, (SELECT count(*) FROM key_rows WHERE snapshot_id NOT IN (SELECT id FROM snapshots)) orphans FROM key_rows').get() as Stored['keyRows'];
    return { dumps, snapshots: all.map((s) => ({ id: s.id, path: s.path, status: s.status, key_rows: s.key_rows, first_row: s.first_row, last_row: s.last_row }) as Stored['snapshots'][number]), keyRows };
  } finally {
    db.close();
  }
}

/** Every outcome line names a snapshot the database holds: loaded ones as that file's, skipped ones as any. */
function checkLines(stdout: string, s: Stored, inputs: string[]): void {
  const lines = stdout.trim().split('\n');
  expect(lines.length).toBe(inputs.length);
  for (const line of lines) {
    const m = /^(.+): (loaded|already loaded|same RDB content already loaded) as snapshot (\d+)/.exec(line);
    expect(m, line).not.toBeNull();
    const snap = s.snapshots.find((x) => x.id === Number(m![3]));
    expect(snap, `${line}: no such snapshot`).toBeDefined();
    expect(snap!.status, line).toBe('complete');
    if (m![2] === 'loaded') expect(snap!.path, line).toBe(m![1]);
  }
  expect(lines.map((l) => l.split(': ')[0]).sort()).toEqual([...inputs].sort());
}

function checkSame(parallel: Stored, serial: Stored): void {
  expect([...parallel.dumps.keys()].sort()).toEqual([...serial.dumps.keys()].sort());
  for (const [key, want] of serial.dumps) {
    const got = parallel.dumps.get(key)!;
    expect(got.snapshot, key).toEqual(want.snapshot);
    expect(got.keys, key).toBe(want.snapshot.key_rows);
    expect(got.stats, key).toEqual(want.stats);
  }
  expect(parallel.keyRows.orphans).toBe(0);
  expect(parallel.keyRows.n).toBe(serial.keyRows.n);
}

describe.skipIf(!cliBuilt || !existsSync(fixture('mixed-7.0.rdb.lz4')))('load --jobs with copies of one dump', () => {
  it('stores each distinct dump once, every printed snapshot exists, like a serial load', () => {
    const dir = tempDir();
    const big = join(dir, 'a.rdb');
    bigDump(big);
    copyFileSync(big, join(dir, 'b.rdb'));
    copyFileSync(big, join(dir, 'c.rdb'));
    const small = fixture('growth-a.rdb');
    // The small file ends first: its lane then takes a copy of a.rdb while a.rdb is still written.
    const inputs = [big, small, join(dir, 'b.rdb'), join(dir, 'c.rdb')];
    const serialDb = join(dir, 'serial.sqlite');
    const s = runCli(['load', ...inputs, '--db', serialDb, '--no-worker'], dir);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const serial = stored(serialDb);
    expect(serial.dumps.size).toBe(2);
    for (let run = 0; run < 3; run++) {
      const dbPath = join(dir, `parallel-${run}.sqlite`);
      const p = runCli(['load', ...inputs, '--db', dbPath, '--jobs', '2'], dir);
      expect(p.stderr).toBe('');
      expect(p.code).toBe(0);
      const parallel = stored(dbPath);
      checkLines(p.stdout, parallel, inputs);
      checkSame(parallel, serial);
      // Copies of a file are never written: ids 1..n and row ids 1..rows, none freed by a deletion.
      expect(parallel.snapshots.map((x) => x.id)).toEqual([1, 2]);
      expect(parallel.keyRows.hi).toBe(parallel.keyRows.n);
    }
  });

  it('a directory of a dump, its .gz and .lz4 copies and an exact copy, with --jobs 4', () => {
    const dir = tempDir();
    const dumps = join(dir, 'dumps');
    mkdirSync(dumps);
    bigDump(join(dumps, 'a.rdb'));
    copyFileSync(join(dumps, 'a.rdb'), join(dumps, 'b.rdb'));
    writeFileSync(join(dumps, 'a.rdb.gz'), gzipSync(readFileSync(join(dumps, 'a.rdb')), { level: 1 }));
    for (const f of ['mixed-7.0.rdb', 'mixed-7.0.rdb.gz', 'mixed-7.0.rdb.lz4']) copyFileSync(fixture(f), join(dumps, f));
    const inputs = ['a.rdb', 'a.rdb.gz', 'b.rdb', 'mixed-7.0.rdb', 'mixed-7.0.rdb.gz', 'mixed-7.0.rdb.lz4'].map((f) => join(dumps, f));
    const serialDb = join(dir, 'serial.sqlite');
    const s = runCli(['load', dumps, '--db', serialDb, '--no-worker'], dir);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const serial = stored(serialDb);
    expect(serial.dumps.size).toBe(2);
    for (let run = 0; run < 2; run++) {
      const dbPath = join(dir, `parallel-${run}.sqlite`);
      const p = runCli(['load', dumps, '--db', dbPath, '--jobs', '4'], dir);
      expect(p.stderr).toBe('');
      expect(p.code).toBe(0);
      const parallel = stored(dbPath);
      checkLines(p.stdout, parallel, inputs);
      checkSame(parallel, serial);
      for (const x of parallel.snapshots) {
        expect(parallel.keyRows.n >= x.key_rows && x.first_row <= x.last_row, `snapshot ${x.id}`).toBe(true);
      }
    }
  });
});
