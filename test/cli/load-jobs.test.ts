import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../support/corpus.js';
import { cliBuilt, runCli } from '../support/cli.js';
import { snapshotStats, type Row } from '../support/snapshot-stats.js';
import { tempDir } from '../support/temp.js';

const fixture = (name: string) => join(FIXTURES_DIR, name);
const FILES = ['growth-a.rdb', 'growth-b.rdb', 'mixed-7.0.rdb', 'lru-7.0.rdb', 'lfu-7.0.rdb', 'nocompress-7.0.rdb'].map(fixture);

const SNAPSHOT_COLUMNS = `file_name, path, file_bytes, fingerprint, compression, magic, rdb_version, redis_ver, snapshot_time_ms,
  time_source, used_mem, key_count, rdb_bytes, checksum, status, error, memory_profile, unestimated_keys, pattern_mode, key_rows`;

/** Database content keyed by file, without ids and load timestamps. */
function content(dbPath: string): Map<string, { snapshot: Row; keys: Row[]; stats: Row[] }> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const out = new Map<string, { snapshot: Row; keys: Row[]; stats: Row[] }>();
    for (const s of db.prepare(`SELECT id, ${SNAPSHOT_COLUMNS} FROM snapshots`).all() as Row[]) {
      const { id, ...snapshot } = s;
      const keys = db.prepare(`SELECT db, hex(key) key, key_printable, pattern, type, rdb_type, encoding, elements, value_bytes, memory_bytes,
          largest_element, expire_at_ms, idle, freq, fields_with_ttl, stream_groups, stream_pending FROM keys WHERE snapshot_id = ? ORDER BY rowid`).all(id) as Row[];
      const stats = snapshotStats(db, id);
      out.set(String(snapshot.path), { snapshot, keys, stats });
    }
    return out;
  } finally {
    db.close();
  }
}

describe.skipIf(!cliBuilt || !FILES.every((f) => existsSync(f)))('load --jobs', () => {
  it('a parallel load gives the same database content as a serial one', () => {
    const dir = tempDir();
    const serial = join(dir, 'serial.sqlite');
    const parallel = join(dir, 'parallel.sqlite');
    const s = runCli(['load', ...FILES, '--db', serial, '--no-worker'], dir);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const p = runCli(['load', ...FILES, '--db', parallel, '--jobs', '3'], dir);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    expect(p.stdout.trim().split('\n').length).toBe(FILES.length);
    const a = content(serial);
    const b = content(parallel);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    expect(a.size).toBe(FILES.length);
    for (const [path, want] of a) {
      const got = b.get(path)!;
      expect(got.snapshot, path).toEqual(want.snapshot);
      expect(got.keys.length, path).toBe(want.snapshot.key_count);
      expect(got.keys, path).toEqual(want.keys);
      expect(got.stats, path).toEqual(want.stats);
    }
    const db = new Database(parallel, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      // Reports find a snapshot's rows by its row-id range: interleaved parallel writes must stay inside it.
      const outside = db.prepare('SELECT count(*) n FROM key_rows r JOIN snapshots s ON s.id = r.snapshot_id WHERE NOT (r.row_id BETWEEN s.first_row AND s.last_row)').get() as { n: number };
      expect(outside.n).toBe(0);
      for (const s of db.prepare('SELECT id, key_rows, first_row, last_row FROM snapshots').all() as { id: number; key_rows: number; first_row: number; last_row: number }[]) {
        expect(s.first_row, `snapshot ${s.id}`).not.toBeNull();
        expect((db.prepare('SELECT count(*) n FROM key_rows WHERE row_id BETWEEN ? AND ? AND snapshot_id = ?').get(s.first_row, s.last_row, s.id) as { n: number }).n).toBe(s.key_rows);
      }
    } finally {
      db.close();
    }
  });

  it('one worker thread loads a lane of files in turn, and a file it fails on does not spoil the next', () => {
    const dir = tempDir();
    // not an RDB (refused on the worker: that thread is dropped), then a cut file (kept as partial)
    const notRdb = join(dir, 'not-an-rdb.rdb');
    writeFileSync(notRdb, 'this is not a dump\n'.repeat(100));
    const cut = join(dir, 'cut.rdb');
    const whole = readFileSync(fixture('mixed-7.0.rdb'));
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const files = [FILES[0]!, notRdb, FILES[1]!, cut, FILES[2]!, FILES[3]!];
    const serial = join(dir, 'serial.sqlite');
    const threaded = join(dir, 'threaded.sqlite');
    const s = runCli(['load', ...files, '--db', serial, '--no-worker'], dir);
    const t = runCli(['load', ...files, '--db', threaded], dir);
    expect(t.code).toBe(s.code);
    expect(t.code).toBe(1);
    expect(t.stderr).toBe(s.stderr);
    const a = content(serial);
    const b = content(threaded);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    expect(a.size).toBe(5);
    for (const [path, want] of a) {
      const got = b.get(path)!;
      expect(got.snapshot, path).toEqual(want.snapshot);
      expect(got.keys, path).toEqual(want.keys);
      expect(got.stats, path).toEqual(want.stats);
    }
  });

  it('--jobs must be a positive integer', () => {
    const dir = tempDir();
    const r = runCli(['load', FILES[0]!, '--db', join(dir, 'x.sqlite'), '--jobs', '0'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--jobs/);
  });
});
