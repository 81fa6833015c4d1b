import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyPattern } from '../../src/patterns/index.js';
import { listSnapshots, loadSnapshot, openStore, resolveSnapshot, SCHEMA_VERSION, ttlBucket } from '../../src/store/index.js';
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
  it('creates the schema at the current version in WAL mode', () => {
    const { db } = setup();
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
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
