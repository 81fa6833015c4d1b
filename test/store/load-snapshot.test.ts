import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultPieces } from '../../src/output/paged-writer.js';
import { keyPattern } from '../../src/patterns/index.js';
import { findReport } from '../../src/reports/index.js';
import { listSnapshots, loadSnapshot, openStore, resolveSnapshot, SCHEMA_VERSION, ttlBucket } from '../../src/store/index.js';
import { useWal } from '../../src/store/open-store.js';
import { fakeSource, rec, SNAPSHOT_CTIME_S, syntheticKeyspace } from '../support/records.js';
import { dummyFile, tempDir } from '../support/temp.js';

function setup() {
  const dir = tempDir();
  const db = openStore(join(dir, 't.sqlite'));
  return { dir, db };
}

const tableCounts = (db: ReturnType<typeof openStore>) =>
  Object.fromEntries(
    ['snapshots', 'keys', 'aux', 'type_stats', 'pattern_stats', 'ttl_stats'].map((t) => [t, (db.prepare(`SELECT count(*) n FROM ${t}`).get() as { n: number }).n]),
  );

describe('openStore', () => {
  it('creates the schema at the current version, with a rollback journal until its first load, then in WAL mode', () => {
    const { dir, db } = setup();
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    // A new database: its first load writes each page once (open-store.ts), durably (FULL = 2).
    expect(db.pragma('journal_mode', { simple: true })).toBe('truncate');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('page_size', { simple: true })).toBe(16384);
    db.close();
    // Opened again (a load that ended early left it so): WAL, NORMAL sync (1).
    const again = openStore(join(dir, 't.sqlite'));
    expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(again.pragma('synchronous', { simple: true })).toBe(1);
    expect(again.pragma('page_size', { simple: true })).toBe(16384);
    again.close();
  });
  it('a new database read by another connection when its first load ends keeps its journal (no error), and is WAL at the next open', () => {
    const { dir, db } = setup();
    const path = join(dir, 't.sqlite');
    db.pragma('busy_timeout = 50');
    const reader = new Database(path, { readonly: true });
    const rows = reader.prepare('SELECT name FROM sqlite_master').iterate();
    rows.next(); // a read transaction stays open
    expect(useWal(db)).toBe(false);
    expect(db.pragma('journal_mode', { simple: true })).toBe('truncate');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    rows.return!();
    reader.close();
    db.close();
    const again = openStore(path);
    expect(again.pragma('journal_mode', { simple: true })).toBe('wal');
    again.close();
  });
  it('refuses a database from a newer rdbscope', () => {
    const { dir, db } = setup();
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openStore(join(dir, 't.sqlite'))).toThrow(/newer/);
  });
  it('refuses to open a non-rdbscope database read-only', () => {
    const dir = tempDir();
    const p = join(dir, 'empty.sqlite');
    openStore(p).pragma('user_version = 0');
    expect(() => openStore(p, { readonly: true })).toThrow(/not an rdbscope database/);
  });
});

describe('loadSnapshot', () => {
  it('stores every key with its fields, the snapshot row and AUX', async () => {
    const { dir, db } = setup();
    const records = syntheticKeyspace(3);
    const path = dummyFile(dir, 'dump.rdb');
    const res = await loadSnapshot(db, { path, open: fakeSource(records) });
    expect(res).toMatchObject({ outcome: 'loaded', status: 'complete', keys: records.length, error: null });
    const snap = resolveSnapshot(db)!;
    expect(snap).toMatchObject({ file_name: 'dump.rdb', status: 'complete', key_count: records.length, rdb_version: 11, redis_ver: '7.2.4', used_mem: 1048576, snapshot_time_ms: SNAPSHOT_CTIME_S * 1000, time_source: 'ctime', memory_profile: null });
    const rows = db.prepare('SELECT *, coalesce(key_printable, CAST(key AS TEXT)) AS key_printable FROM keys ORDER BY rowid').all() as Record<string, unknown>[];
    expect(rows.length).toBe(records.length);
    rows.forEach((row, i) => {
      const r = records[i]!;
      expect(Buffer.compare(row.key as Buffer, Buffer.from(r.key))).toBe(0);
      expect(row).toMatchObject({ db: r.db, key_printable: r.keyPrintable, type: r.type, rdb_type: r.rdbType, elements: r.elements, value_bytes: r.valueBytes, expire_at_ms: r.expireAtMs, memory_bytes: null, encoding: null, pattern: keyPattern(r.keyPrintable) });
    });
    expect(db.prepare('SELECT name, value FROM aux WHERE snapshot_id = ? ORDER BY seq').all(snap.id)).toEqual([
      { name: 'redis-ver', value: '7.2.4' }, { name: 'ctime', value: String(SNAPSHOT_CTIME_S) }, { name: 'used-mem', value: '1048576' },
    ]);
  });

  it('aggregates match plain sums over the records', async () => {
    const { dir, db } = setup();
    const records = syntheticKeyspace(5, { withMemory: true });
    await loadSnapshot(db, { path: dummyFile(dir, 'd.rdb'), open: fakeSource(records), memoryProfile: 'test' });
    const byType = new Map<string, { keys: number; mem: number; file: number; untimed: number }>();
    for (const r of records) {
      const k = `${r.db}/${r.type}`;
      const s = byType.get(k) ?? { keys: 0, mem: 0, file: 0, untimed: 0 };
      s.keys++; s.mem += r.memory!.bytes; s.file += r.valueBytes; if (r.expireAtMs === null) s.untimed++;
      byType.set(k, s);
    }
    const got = db.prepare(`SELECT db || '/' || type k, sum(keys) keys, sum(memory_bytes) mem, sum(file_bytes) file, sum(untimed_keys) untimed FROM type_stats GROUP BY 1`).all() as { k: string }[];
    expect(new Map(got.map(({ k, ...rest }) => [k, rest]))).toEqual(byType);

    const t0 = SNAPSHOT_CTIME_S * 1000;
    const buckets = new Map<string, number>();
    for (const r of records) buckets.set(ttlBucket(r.expireAtMs, t0), (buckets.get(ttlBucket(r.expireAtMs, t0)) ?? 0) + 1);
    const gotBuckets = db.prepare('SELECT bucket, sum(keys) n FROM ttl_stats GROUP BY bucket').all() as { bucket: string; n: number }[];
    expect(new Map(gotBuckets.map((b) => [b.bucket, b.n]))).toEqual(buckets);
    expect(buckets.get('expired')).toBeGreaterThan(0);

    const patterns = new Map<string, number>();
    for (const r of records) patterns.set(keyPattern(r.keyPrintable), (patterns.get(keyPattern(r.keyPrintable)) ?? 0) + r.valueBytes);
    const gotPatterns = db.prepare('SELECT pattern, sum(file_bytes) b FROM pattern_stats GROUP BY pattern').all() as { pattern: string; b: number }[];
    expect(new Map(gotPatterns.map((p) => [p.pattern, p.b]))).toEqual(patterns);
  });

  it('folds patterns beyond the cap into <other> and keeps totals exact', async () => {
    const { dir, db } = setup();
    const records = Array.from({ length: 50 }, (_, i) => rec(`family${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}:x`, { valueBytes: i + 1 }));
    await loadSnapshot(db, { path: dummyFile(dir, 'd.rdb'), open: fakeSource(records), maxPatterns: 10 });
    const rows = db.prepare('SELECT pattern, keys, file_bytes FROM pattern_stats').all() as { pattern: string; keys: number; file_bytes: number }[];
    expect(rows.length).toBe(11);
    expect(rows.find((r) => r.pattern === '<other>')!.keys).toBe(40);
    expect(rows.reduce((s, r) => s + r.file_bytes, 0)).toBe(records.reduce((s, r) => s + r.valueBytes, 0));
  });

  it('re-loading the same file is a no-op that leaves the database unchanged', async () => {
    const { dir, db } = setup();
    const path = dummyFile(dir, 'd.rdb', 'same bytes');
    await loadSnapshot(db, { path, open: fakeSource(syntheticKeyspace()) });
    const before = tableCounts(db);
    let opened = false;
    const again = await loadSnapshot(db, { path, open: async () => { opened = true; return fakeSource([])(); } });
    expect(again).toMatchObject({ outcome: 'already-loaded', status: 'complete' });
    expect(opened).toBe(false);
    expect(tableCounts(db)).toEqual(before);
    // same content under another name is the same dump
    const copy = dummyFile(dir, 'copy.rdb', 'same bytes');
    expect((await loadSnapshot(db, { path: copy, open: fakeSource([]) })).outcome).toBe('already-loaded');
  });

  it('a load failing halfway keeps a partial snapshot with every key read before the fault', async () => {
    const { dir, db } = setup();
    const records = syntheticKeyspace();
    const path = dummyFile(dir, 'broken.rdb');
    const res = await loadSnapshot(db, { path, open: fakeSource(records, { failAfter: 20, batchSize: 6 }) });
    expect(res.outcome).toBe('loaded');
    if (res.outcome !== 'loaded') return;
    expect(res.status).toBe('partial');
    expect(res.error?.code).toBe('UNEXPECTED_EOF');
    const snap = resolveSnapshot(db)!;
    expect(snap.status).toBe('partial');
    expect(snap.error).toContain('broken.rdb');
    expect(snap.error).toContain('12345');
    expect(snap.key_count).toBe(20);
    const keys = (db.prepare('SELECT coalesce(key_printable, CAST(key AS TEXT)) k FROM keys ORDER BY rowid').all() as { k: string }[]).map((r) => r.k);
    expect(keys).toEqual(records.slice(0, 20).map((r) => r.keyPrintable));
    expect((db.prepare('SELECT sum(keys) n FROM type_stats').get() as { n: number }).n).toBe(20);
    // the database stays usable: another file loads
    await loadSnapshot(db, { path: dummyFile(dir, 'good.rdb'), open: fakeSource(records) });
    expect(listSnapshots(db).map((s) => s.status)).toEqual(['partial', 'complete']);
  });

  it('a file that is not an RDB leaves nothing behind and throws', async () => {
    const { dir, db } = setup();
    await expect(loadSnapshot(db, { path: dummyFile(dir, 'x.txt'), open: fakeSource([], { notRdb: true }) })).rejects.toThrow(/NOT_RDB/);
    expect(tableCounts(db).snapshots).toBe(0);
  });

  it('replaces a snapshot left in status loading by a killed load', async () => {
    const { dir, db } = setup();
    const path = dummyFile(dir, 'd.rdb');
    const records = syntheticKeyspace();
    await loadSnapshot(db, { path, open: fakeSource(records) });
    db.prepare(`UPDATE snapshots SET status = 'loading'`).run();
    const res = await loadSnapshot(db, { path, open: fakeSource(records) });
    expect(res).toMatchObject({ outcome: 'loaded', status: 'complete' });
    expect(tableCounts(db)).toMatchObject({ snapshots: 1, keys: records.length });
  });

  it('a non-input failure rolls back and removes the snapshot', async () => {
    const { dir, db } = setup();
    const boom = async () => {
      const src = await fakeSource(syntheticKeyspace())();
      return { input: src.input, parse: { info: src.parse.info, async *batches() { yield [rec('a')]; throw new Error('disk full'); } } };
    };
    await expect(loadSnapshot(db, { path: dummyFile(dir, 'd.rdb'), open: boom })).rejects.toThrow('disk full');
    expect(tableCounts(db)).toMatchObject({ snapshots: 0, keys: 0 });
  });

  it('uses the file mtime when the dump has no ctime, and commits in slices', async () => {
    const { dir, db } = setup();
    const path = dummyFile(dir, 'd.rdb');
    const records = syntheticKeyspace(2, { scale: 3 });
    await loadSnapshot(db, { path, open: fakeSource(records, { aux: { 'redis-ver': '6.0.0' } }), commitEvery: 10 });
    const snap = resolveSnapshot(db)!;
    expect(snap.time_source).toBe('mtime');
    expect(Math.abs(snap.snapshot_time_ms! - Date.now())).toBeLessThan(60_000);
    expect(tableCounts(db).keys).toBe(records.length);
  });

  it('takes the file mtime for a ctime no date can hold, and reports print the snapshot', async () => {
    const { dir, db } = setup();
    const path = dummyFile(dir, 'd.rdb');
    // ctime 10^14 s = 10^17 ms, past the last time a JavaScript date holds (8.64e15 ms).
    await loadSnapshot(db, { path, open: fakeSource(syntheticKeyspace(2), { aux: { 'redis-ver': '7.2.4', ctime: '100000000000000' } }) });
    const snap = resolveSnapshot(db)!;
    expect(snap.time_source).toBe('mtime');
    expect(Math.abs(snap.snapshot_time_ms! - Date.now())).toBeLessThan(60_000);
    // A database written before this rule may hold such a time: it prints as its number.
    db.prepare('UPDATE snapshots SET snapshot_time_ms = 1e17, time_source = ? WHERE id = ?').run('ctime', snap.id);
    for (const format of ['table', 'csv', 'json'] as const) {
      const text = [...resultPieces(findReport('diagnosis')!.run(db, { top: 5 }), format, false)].join('');
      expect(text, format).toContain('100000000000000000');
    }
  });

  it('chooses the memory model from the AUX fields and stores its estimates', async () => {
    const { dir, db } = setup();
    const records = syntheticKeyspace(4);
    let seenVer: string | undefined;
    await loadSnapshot(db, {
      path: dummyFile(dir, 'd.rdb'),
      open: fakeSource(records),
      memoryModel: (info) => {
        seenVer = info.aux.find((a) => a.key === 'redis-ver')?.value;
        return { profile: `redis-${seenVer}`, estimate: (r) => ({ encoding: 'x', bytes: r.valueBytes + 1, exact: true }) };
      },
    });
    expect(seenVer).toBe('7.2.4');
    expect(resolveSnapshot(db)!.memory_profile).toBe('redis-7.2.4');
    const sum = db.prepare('SELECT sum(memory_bytes) m, count(encoding) e FROM keys').get() as { m: number; e: number };
    expect(sum).toEqual({ m: records.reduce((s, r) => s + r.valueBytes + 1, 0), e: records.length });
    expect((db.prepare('SELECT sum(memory_bytes) m FROM type_stats').get() as { m: number }).m).toBe(sum.m);
  });

  it('a memory model failure on one key leaves that key unestimated, not the load failed', async () => {
    const { dir, db } = setup();
    const records = syntheticKeyspace(6);
    await loadSnapshot(db, {
      path: dummyFile(dir, 'd.rdb'),
      open: fakeSource(records),
      memoryModel: () => ({ profile: 'p', estimate: (r) => { if (r.type === 'stream') throw new Error('model bug'); return { encoding: 'x', bytes: 1, exact: true }; } }),
    });
    const snap = resolveSnapshot(db)!;
    expect(snap).toMatchObject({ status: 'complete', unestimated_keys: records.filter((r) => r.type === 'stream').length, key_count: records.length });
    expect((db.prepare("SELECT count(*) n FROM keys WHERE memory_bytes IS NULL").get() as { n: number }).n).toBe(snap.unestimated_keys);
  });
});

describe('scale knobs and schema version 2', () => {
  const sizeOf = (r: ReturnType<typeof syntheticKeyspace>[number]) => r.memory!.bytes;

  it('--keys-min-bytes keeps rows of big keys only; aggregates stay complete', async () => {
    const { dir, db } = setup();
    const records = syntheticKeyspace(7, { withMemory: true });
    const min = 2000;
    const res = await loadSnapshot(db, { path: dummyFile(dir, 'd.rdb'), open: fakeSource(records), memoryProfile: 'test', memoryModel: () => ({ profile: 'test', estimate: (r) => r.memory! }), keysMinBytes: min });
    const want = records.filter((r) => sizeOf(r) >= min);
    expect(res).toMatchObject({ outcome: 'loaded', keys: records.length, keyRows: want.length });
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(records.length);
    const rows = db.prepare('SELECT coalesce(key_printable, CAST(key AS TEXT)) k FROM keys ORDER BY rowid').all() as { k: string }[];
    expect(rows.map((r) => r.k)).toEqual(want.map((r) => r.keyPrintable));
    expect((db.prepare('SELECT sum(keys) n, sum(memory_bytes) m FROM type_stats').get())).toEqual({ n: records.length, m: records.reduce((s, r) => s + sizeOf(r), 0) });
    expect((db.prepare('SELECT sum(keys) n FROM size_stats').get() as { n: number }).n).toBe(records.length);
    expect(resolveSnapshot(db)).toMatchObject({ keys_min_bytes: min, top_per_pattern: null, key_rows: want.length, key_count: records.length });
  });

  it('--top-per-pattern keeps the N biggest keys of each pattern', async () => {
    const { dir, db } = setup();
    const records = syntheticKeyspace(8, { withMemory: true, scale: 2 });
    const n = 3;
    await loadSnapshot(db, { path: dummyFile(dir, 'd.rdb'), open: fakeSource(records), memoryModel: () => ({ profile: 'test', estimate: (r) => r.memory! }), topPerPattern: n });
    const byPattern = new Map<string, number[]>();
    for (const r of records) {
      const p = keyPattern(r.keyPrintable);
      byPattern.set(p, [...(byPattern.get(p) ?? []), sizeOf(r)]);
    }
    const got = db.prepare('SELECT pattern, memory_bytes m FROM keys').all() as { pattern: string; m: number }[];
    const gotBy = new Map<string, number[]>();
    for (const g of got) gotBy.set(g.pattern, [...(gotBy.get(g.pattern) ?? []), g.m]);
    expect([...gotBy.keys()].sort()).toEqual([...byPattern.keys()].sort());
    for (const [p, sizes] of byPattern) expect(gotBy.get(p)!.sort((a, b) => b - a), p).toEqual(sizes.sort((a, b) => b - a).slice(0, n));
    expect((db.prepare('SELECT sum(keys) n FROM pattern_stats').get() as { n: number }).n).toBe(records.length);
  });

  it('size_stats buckets every key with exact min/max', async () => {
    const { dir, db } = setup();
    const records = syntheticKeyspace(9);
    await loadSnapshot(db, { path: dummyFile(dir, 'd.rdb'), open: fakeSource(records) });
    const rows = db.prepare('SELECT type, sum(keys) n, min(min_bytes) lo, max(max_bytes) hi, sum(size_bytes) s FROM size_stats GROUP BY type').all() as { type: string; n: number; lo: number; hi: number; s: number }[];
    for (const row of rows) {
      const of = records.filter((r) => r.type === row.type).map((r) => r.valueBytes);
      expect(row).toEqual({ type: row.type, n: of.length, lo: Math.min(...of), hi: Math.max(...of), s: of.reduce((a, b) => a + b, 0) });
    }
  });

  it('migrates a version-1 database: key rows keep every column, seen through the keys view', async () => {
    const { MIGRATIONS } = await import('../../src/store/schema.js');
    const Database = (await import('better-sqlite3')).default;
    const dir = tempDir();
    const path = join(dir, 'v1.sqlite');
    const old = new Database(path);
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.exec(`INSERT INTO snapshots (id, file_name, path, file_bytes, fingerprint, compression, time_source, status, pattern_mode, loaded_at_ms, key_count)
              VALUES (1, 'a.rdb', '/a.rdb', 1, 'f', 'none', 'ctime', 'complete', 'inferred', 0, 2)`);
    old.exec(`INSERT INTO keys VALUES (1, 0, X'6b3a31', NULL, 'k:*', 'string', 'string', 'embstr', 3, 3, 56, 3, 99, 7, NULL, NULL, NULL, NULL),
                                     (1, 2, X'733a31', 's:é', 's:*', 'stream', 'stream-listpacks3', 'stream', 5, 500, 900, 40, NULL, NULL, 3, NULL, 2, 9)`);
    old.close();
    const db = openStore(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT db, hex(key) key, key_printable, pattern, type, rdb_type, encoding, elements, value_bytes, memory_bytes, largest_element, expire_at_ms, idle, freq, fields_with_ttl, stream_groups, stream_pending FROM keys ORDER BY rowid').all()).toEqual([
      { db: 0, key: '6B3A31', key_printable: null, pattern: 'k:*', type: 'string', rdb_type: 'string', encoding: 'embstr', elements: 3, value_bytes: 3, memory_bytes: 56, largest_element: 3, expire_at_ms: 99, idle: 7, freq: null, fields_with_ttl: null, stream_groups: null, stream_pending: null },
      { db: 2, key: '733A31', key_printable: 's:é', pattern: 's:*', type: 'stream', rdb_type: 'stream-listpacks3', encoding: 'stream', elements: 5, value_bytes: 500, memory_bytes: 900, largest_element: 40, expire_at_ms: null, idle: null, freq: 3, fields_with_ttl: null, stream_groups: 2, stream_pending: 9 },
    ]);
    expect(resolveSnapshot(db)).toMatchObject({ key_rows: 2, first_row: 1, last_row: 2 });
    expect((db.prepare('SELECT count(*) n FROM v_keys').get() as { n: number }).n).toBe(2);
  });
});
