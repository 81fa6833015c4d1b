import { describe, expect, it } from 'vitest';
import { syntheticKeyspace } from '../support/records.js';
import { freshStore, loadRecords } from '../support/store.js';
import { reportRunner } from '../support/reports.js';

const run = reportRunner('summary');

describe('summary report', () => {
  it('totals, by db and by type equal plain sums over the records (file bytes basis)', async () => {
    const { db, dir } = freshStore();
    const records = syntheticKeyspace(11);
    await loadRecords(db, dir, 'a.rdb', records, { usedMem: 123456 });
    const r = run(db, { top: 10 });
    expect(r.notes.join('\n')).toContain('memory model not available: ranking by bytes in the file');
    const total = r.tables.find((t) => t.name === 'totals')!.rows[0]!;
    const fileBytes = records.reduce((s, k) => s + k.valueBytes, 0);
    const untimed = records.filter((k) => k.expireAtMs === null);
    expect(total).toMatchObject({
      keys: records.length, file_bytes: fileBytes, used_mem: 123456, untimed_keys: untimed.length,
      untimed_file_bytes: untimed.reduce((s, k) => s + k.valueBytes, 0),
      expired_keys: records.filter((k) => k.expireAtMs !== null && k.expireAtMs <= 1_700_000_000_000).length,
    });
    expect(total.untimed_key_share).toBeCloseTo(untimed.length / records.length, 12);
    const byDb = r.tables.find((t) => t.name === 'by_db')!.rows;
    for (const d of new Set(records.map((k) => k.db))) {
      const mine = records.filter((k) => k.db === d);
      expect(byDb.find((x) => x.db === d)).toMatchObject({ keys: mine.length, file_bytes: mine.reduce((s, k) => s + k.valueBytes, 0) });
    }
    const byType = r.tables.find((t) => t.name === 'by_type')!.rows;
    expect(byType.length).toBe(new Set(records.map((k) => `${k.type}/${k.rdbType}`)).size);
    for (const row of byType) {
      const mine = records.filter((k) => k.type === row.type && k.rdbType === row.rdb_type);
      expect(row.keys).toBe(mine.length);
    }
    // ranked by size
    const sizes = byType.map((x) => x.file_bytes as number);
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
  });

  it('uses the memory estimate when the snapshot has one, and filters by type', async () => {
    const { db, dir } = freshStore();
    const records = syntheticKeyspace(12, { withMemory: true });
    await loadRecords(db, dir, 'a.rdb', records, { memoryProfile: 'redis-7.2' });
    const r = run(db, { top: 10, type: 'list' });
    const lists = records.filter((k) => k.type === 'list');
    expect(r.tables[0]!.rows[0]).toMatchObject({ keys: lists.length, memory: lists.reduce((s, k) => s + k.memory!.bytes, 0), file_bytes: lists.reduce((s, k) => s + k.valueBytes, 0) });
    expect(r.tables.find((t) => t.name === 'by_type')!.columns.map((c) => c.name)).toContain('encoding');
    expect(r.notes.join('\n')).toContain('redis-7.2');
  });

  it('names the unknown snapshot', async () => {
    const { db, dir } = freshStore();
    await loadRecords(db, dir, 'a.rdb', syntheticKeyspace());
    expect(() => run(db, { top: 1, snapshot: 'nope.rdb' })).toThrow(/no snapshot "nope.rdb"; known: 1 \(a.rdb\)/);
    expect(run(db, { top: 1, snapshot: 'a.rdb' }).tables[0]!.rows[0]!.keys).toBeGreaterThan(0);
    expect(run(db, { top: 1, snapshot: '1' }).tables[0]!.rows[0]!.keys).toBeGreaterThan(0);
  });
});
