import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../src/core/record.js';
import { insertStatementSql, ROWS_PER_STATEMENT } from '../../src/store/key-inserter.js';
import { rec, syntheticKeyspace } from '../support/records.js';
import { freshStore, loadRecords } from '../support/store.js';

describe('KeyInserter statements', () => {
  it('are shared by every snapshot of a connection, each row still landing in its own snapshot', async () => {
    const { db, dir } = freshStore();
    const keyspace = syntheticKeyspace(3, { withMemory: true });
    const counts: number[] = [];
    const ids: number[] = [];
    // Same shapes every time (the statement cache key), different row counts per snapshot.
    for (let i = 0; i < 6; i++) {
      const records = [...keyspace.slice(0, keyspace.length - i * 7), rec(`only-in-${i}`, { expireAtMs: 1_800_000_000_000 + i })];
      ids.push(await loadRecords(db, dir, `snap-${i}.rdb`, records));
      counts.push(insertStatementSql(db).length);
    }
    // Statements prepared per snapshot (the id as a literal) grew by every file of a long batch load.
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[5]).toBeLessThanOrEqual(counts[0]! + 8); // only new row-count lengths, not per snapshot
    for (let i = 0; i < 6; i++) {
      const rows = db.prepare('SELECT count(*) AS n, sum(CAST(key AS TEXT) = ?) AS mine FROM keys WHERE snapshot_id = ?').get(`only-in-${i}`, ids[i]) as { n: number; mine: number };
      expect(rows).toEqual({ n: keyspace.length - i * 7 + 1, mine: 1 });
      const theirs = db.prepare('SELECT count(*) AS n FROM keys WHERE CAST(key AS TEXT) = ?').get(`only-in-${i}`) as { n: number };
      expect(theirs.n).toBe(1);
    }
    db.close();
  });

  /** Parameters bound once for a statement (beyond the snapshot id), in its first row. */
  const sharedParams = (sql: string) => [...sql.slice(0, sql.indexOf(')', sql.indexOf('VALUES'))).matchAll(/@(\w+)/g)].map((m) => m[1]).filter((n) => n !== 's');
  const stored = (db: ReturnType<typeof freshStore>['db'], id: number) =>
    db.prepare('SELECT CAST(key AS TEXT) AS key, db, pattern, type, elements, value_bytes, memory_bytes, largest_element, expire_at_ms FROM keys WHERE snapshot_id = ? ORDER BY rowid').all(id);
  const expected = (records: KeyRecord[]) =>
    records.map((r) => ({ key: new TextDecoder().decode(r.key), db: r.db, type: r.type, elements: r.elements, value_bytes: r.valueBytes, memory_bytes: r.memory?.bytes ?? null, largest_element: r.largestElementBytes, expire_at_ms: r.expireAtMs }));

  it('bind a value every row of a full statement shares once, and each row still gets its own values', async () => {
    const { db, dir } = freshStore();
    // One family of tiny strings, a third with a TTL: kind, pattern, elements, sizes shared by the
    // rows; row 1 000 with a memory of its own, row 1 500 of another pattern.
    const records = Array.from({ length: 3 * 1024 }, (_, i) =>
      rec(i === 1500 ? 'other-family' : `session:${i}`, {
        valueBytes: 8,
        largestElementBytes: 8,
        memory: { encoding: 'embstr', bytes: i === 1000 ? 80 : 72, exact: true },
        expireAtMs: i % 3 === 0 ? 1_800_000_000_000 + i : null,
      }),
    );
    const id = await loadRecords(db, dir, 'family.rdb', records);
    const rows = stored(db, id) as Record<string, unknown>[];
    expect(rows.map(({ pattern: _, ...r }) => r)).toEqual(expected(records));
    expect(new Set(rows.map((r) => r.pattern)).size).toBe(2);
    const shared = insertStatementSql(db).map(sharedParams);
    // The full statements of the run: all five columns once; the one holding row 1 000 binds memory per row.
    expect(shared).toContainEqual(['pattern_id', 'kind_id', 'elements', 'value_bytes', 'memory_bytes', 'largest_element']);
    expect(shared).toContainEqual(['pattern_id', 'kind_id', 'elements', 'value_bytes', 'largest_element']);
    expect(shared).toContainEqual(['kind_id', 'elements', 'value_bytes', 'memory_bytes', 'largest_element']);
    db.close();
  });

  it('prepare a bounded number of shapes with shared columns however the rows vary', async () => {
    const { db, dir } = freshStore();
    // 64 runs of a full statement's length, run r varying the columns of r's bits: up to 63 shapes.
    const records: KeyRecord[] = [];
    for (let r = 0; r < 64; r++) {
      for (let j = 0; j < ROWS_PER_STATEMENT; j++) {
        const alt = (bit: number) => (r & bit && j % 2 ? 1 : 0);
        records.push(
          rec(`${alt(1) ? 'alpha' : 'beta'}:${r}:${j}`, {
            db: alt(2),
            elements: 1 + alt(4),
            valueBytes: 10 + alt(8),
            memory: { encoding: 'embstr', bytes: 72 + 8 * alt(16), exact: true },
            largestElementBytes: 10 + alt(32),
          }),
        );
      }
    }
    const id = await loadRecords(db, dir, 'shapes.rdb', records);
    const rows = stored(db, id) as Record<string, unknown>[];
    expect(rows.map(({ pattern: _, ...r }) => r)).toEqual(expected(records));
    const withShared = insertStatementSql(db).filter((sql) => sharedParams(sql).length > 0);
    expect(withShared.length).toBeGreaterThan(1);
    expect(withShared.length).toBeLessThanOrEqual(16);
    db.close();
  });
});
