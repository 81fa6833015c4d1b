import { describe, expect, it } from 'vitest';
import { syntheticKeyspace } from '../support/records.js';
import { freshStore, loadRecords } from '../support/store.js';
import { reportRunner } from '../support/reports.js';

const run = reportRunner('bigkeys');

describe('bigkeys report', () => {
  it('top N per type by size and by elements equal a plain sort of the records', async () => {
    const { db, dir } = freshStore();
    const records = syntheticKeyspace(21, { scale: 2 });
    await loadRecords(db, dir, 'a.rdb', records);
    const top = 3;
    const r = run(db, { top });
    const bySize = r.tables.find((t) => t.name === 'by_file_bytes')!.rows;
    const byElements = r.tables.find((t) => t.name === 'by_elements')!.rows;
    for (const type of new Set(records.map((k) => k.type))) {
      const mine = records.filter((k) => k.type === type);
      const want = mine.map((k) => k.valueBytes).sort((a, b) => b - a).slice(0, top);
      expect(bySize.filter((x) => x.type === type).map((x) => x.file_bytes)).toEqual(want);
      if (type !== 'string') {
        expect(byElements.filter((x) => x.type === type).map((x) => x.elements)).toEqual(mine.map((k) => k.elements).sort((a, b) => b - a).slice(0, top));
      }
    }
    const list = bySize.find((x) => x.type === 'list')!;
    expect(list.remedy).toMatch(/LTRIM/);
    expect(bySize.find((x) => x.type === 'stream')!.remedy).toMatch(/XTRIM/);
    expect(bySize.find((x) => x.type === 'hash')!.remedy).toMatch(/split/);
    const untimedString = bySize.find((x) => x.type === 'string' && x.ttl_s === null);
    expect(untimedString?.remedy).toMatch(/TTL/);
  });

  it('--match and --type filter keys; ttl is measured at snapshot time', async () => {
    const { db, dir } = freshStore();
    const records = syntheticKeyspace(22);
    await loadRecords(db, dir, 'a.rdb', records);
    const r = run(db, { top: 100, match: 'session:*', type: 'string' });
    const rows = r.tables[0]!.rows;
    const sessions = records.filter((k) => k.keyPrintable.startsWith('session:'));
    expect(rows.length).toBe(sessions.length);
    for (const row of rows) {
      const k = sessions.find((s) => s.keyPrintable === row.key)!;
      expect(row.ttl_s).toBe(Math.trunc((k.expireAtMs! - 1_700_000_000_000) / 1000));
    }
  });
});
