import { describe, expect, it } from 'vitest';
import { insertStatementCount } from '../../src/store/key-inserter.js';
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
      counts.push(insertStatementCount(db));
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
});
