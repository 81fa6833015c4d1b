/**
 * What a load records about the keyspace itself (issue 15): empty collections (a server drops them
 * on load) are kept as rows but left out of every aggregate; keys repeated in their db (a server
 * refuses the file) are counted, in memory for small dumps and by SQLite over complete key rows for
 * larger ones, and not claimed otherwise.
 */
import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../src/core/record.js';
import { MAX_KEYS } from '../../src/rdb/duplicate-keys.js';
import { findReport } from '../../src/reports/registry.js';
import { loadSnapshot, type Store } from '../../src/store/index.js';
import { fakeSource, rec, syntheticKeyspace } from '../support/records.js';
import { freshStore, loadRecords } from '../support/store.js';
import { dummyFile } from '../support/temp.js';

const STATS = ['type_stats', 'pattern_stats', 'ttl_stats', 'size_stats'] as const;

function statsOf(db: Store, id: number): Record<string, unknown[]> {
  return Object.fromEntries(
    STATS.map((t) => [t, (db.prepare(`SELECT * FROM ${t} WHERE snapshot_id = ?`).all(id) as Record<string, unknown>[]).map(({ snapshot_id: _, ...row }) => JSON.stringify(row)).sort()]),
  );
}

const snapshot = (db: Store, id: number) =>
  db.prepare('SELECT key_count, empty_keys, duplicate_keys, key_rows FROM snapshots WHERE id = ?').get(id) as { key_count: number; empty_keys: number; duplicate_keys: number | null; key_rows: number };

/** Empty lists, sets, zsets and hashes in two dbs, some with a TTL, carrying a memory figure the load must drop. */
function empties(): KeyRecord[] {
  const memory = { encoding: 'listpack', bytes: 96, exact: true };
  return [
    rec('user:1:events', { type: 'list', rdbType: 'quicklist2', rdbTypeId: 18, elements: 0, valueBytes: 1, memory }),
    rec('tags:empty', { type: 'set', rdbType: 'set', rdbTypeId: 2, elements: 0, valueBytes: 1, memory, expireAtMs: 1_700_000_000_000 + 60_000 }),
    rec('leaderboard:9', { type: 'zset', rdbType: 'zset-listpack', rdbTypeId: 17, elements: 0, valueBytes: 7, memory, db: 1 }),
    rec('user:9:profile', { type: 'hash', rdbType: 'hash-ziplist', rdbTypeId: 13, elements: 0, valueBytes: 11, memory, db: 1 }),
  ];
}

describe('empty collections in a load', () => {
  it('leave every aggregate as it is without them, and are counted and kept as rows without memory', async () => {
    const { db, dir } = freshStore();
    const base = syntheticKeyspace(3, { withMemory: true });
    const without = await loadRecords(db, dir, 'without.rdb', base, { memoryProfile: 'redis-7.2' });
    const withEmpty = await loadRecords(db, dir, 'with.rdb', [...base.slice(0, 20), ...empties(), ...base.slice(20)], { memoryProfile: 'redis-7.2' });
    expect(statsOf(db, withEmpty)).toEqual(statsOf(db, without));
    expect(snapshot(db, withEmpty)).toMatchObject({ key_count: base.length + 4, empty_keys: 4, key_rows: base.length + 4 });
    expect(snapshot(db, without).empty_keys).toBe(0);
    const rows = db.prepare(`SELECT key, memory_bytes, encoding FROM keys WHERE snapshot_id = ? AND elements = 0 AND type <> 'string' ORDER BY key`).all(withEmpty);
    expect(rows).toEqual(empties().map((e) => ({ key: Buffer.from(e.key), memory_bytes: null, encoding: null })).sort((a, b) => Buffer.compare(a.key, b.key)));

    const summary = findReport('summary')!;
    const a = summary.run(db, { snapshot: String(without), top: 10 });
    const b = summary.run(db, { snapshot: String(withEmpty), top: 10 });
    expect(b.tables.map((t) => [t.name, [...t.rows]])).toEqual(a.tables.map((t) => [t.name, [...t.rows]]));
    expect(b.notes).toContain('4 empty key(s) a server drops on load (lists, sets, zsets or hashes without elements): not counted below');
    expect(a.notes.some((n) => n.includes('empty key'))).toBe(false);
  });
});

describe('duplicate keys in a load', () => {
  const withRepeats = (): KeyRecord[] => [
    ...syntheticKeyspace(4),
    rec('session:1000', { db: 0 }), // repeats a key of syntheticKeyspace
    rec('session:1000', { db: 0 }), // third time: still one key
    rec('user:0:events', { db: 5 }), // the same name in another db is no repeat
    rec('cache:page:3', { type: 'hash', rdbType: 'hash', rdbTypeId: 4, elements: 2 }), // repeated under another type
  ];

  it('are counted for a small dump whatever rows are kept, and the summary warns', async () => {
    const { db, dir } = freshStore();
    const all = await loadRecords(db, dir, 'a.rdb', withRepeats());
    expect(snapshot(db, all).duplicate_keys).toBe(2);
    const limited = await loadSnapshot(db, { path: dummyFile(dir, 'b.rdb'), open: fakeSource(withRepeats()), topPerPattern: 1 });
    expect(limited).toMatchObject({ outcome: 'loaded', duplicateKeys: 2 });
    const clean = await loadRecords(db, dir, 'c.rdb', syntheticKeyspace(4));
    expect(snapshot(db, clean).duplicate_keys).toBe(0);
    const notes = findReport('summary')!.run(db, { snapshot: String(all), top: 10 }).notes;
    expect(notes).toContain('WARNING: 2 key(s) occur more than once in their db (a server refuses this file); every occurrence is counted below');
    expect(findReport('summary')!.run(db, { snapshot: String(clean), top: 10 }).notes.some((n) => n.includes('duplicate'))).toBe(false);
  });

  it('past the in-memory check: counted by SQLite when asked and every key has a row, else not claimed', async () => {
    const { db, dir } = freshStore();
    const many: KeyRecord[] = [];
    for (let i = 0; i < MAX_KEYS + 10; i++) many.push(rec(`k:${i}`, { db: i % 2 }));
    many.push(rec('k:8', { db: 0 }), rec('k:9', { db: 0 }), rec('k:9', { db: 1 }));
    const full = await loadSnapshot(db, { path: dummyFile(dir, 'full.rdb'), open: fakeSource(many, { batchSize: 4096 }), checkDuplicates: true });
    // k:8 is in db 0 twice; k:9 was in db 1, now also in db 0 (no repeat) and again in db 1.
    expect(full).toMatchObject({ outcome: 'loaded', duplicateKeys: 2 });
    expect(snapshot(db, full.snapshotId).duplicate_keys).toBe(2);
    const unasked = await loadSnapshot(db, { path: dummyFile(dir, 'unasked.rdb'), open: fakeSource(many, { batchSize: 4096 }) });
    expect(unasked).toMatchObject({ outcome: 'loaded', duplicateKeys: null });
    const limited = await loadSnapshot(db, { path: dummyFile(dir, 'limited.rdb'), open: fakeSource(many, { batchSize: 4096 }), keysMinBytes: 1000, checkDuplicates: true });
    expect(limited).toMatchObject({ outcome: 'loaded', duplicateKeys: null });
    expect(snapshot(db, limited.snapshotId).duplicate_keys).toBeNull();
    expect(findReport('summary')!.run(db, { snapshot: String(limited.snapshotId), top: 10 }).notes.some((n) => n.startsWith('duplicate keys: not checked'))).toBe(true);
  }, 60_000);
});
