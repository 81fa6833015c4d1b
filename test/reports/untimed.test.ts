import { describe, expect, it } from 'vitest';
import { keyPattern } from '../../src/patterns/index.js';
import { syntheticKeyspace } from '../support/records.js';
import { freshStore, loadRecords } from '../support/store.js';
import { reportRunner } from '../support/reports.js';

const run = reportRunner('untimed');

describe('untimed report', () => {
  it('groups keys without TTL by pattern, ranked by memory, with shares', async () => {
    const { db, dir } = freshStore();
    const records = syntheticKeyspace(31, { withMemory: true });
    await loadRecords(db, dir, 'a.rdb', records, { memoryProfile: 'p' });
    const r = run(db, { top: 100 });
    const want = new Map<string, { keys: number; mem: number }>();
    for (const k of records.filter((x) => x.expireAtMs === null)) {
      const id = `${keyPattern(k.keyPrintable)}|${k.type}`;
      const w = want.get(id) ?? { keys: 0, mem: 0 };
      w.keys++; w.mem += k.memory!.bytes;
      want.set(id, w);
    }
    const rows = r.tables[0]!.rows;
    expect(new Map(rows.map((x) => [`${x.pattern}|${x.type}`, { keys: x.untimed_keys, mem: x.untimed_memory }]))).toEqual(want);
    const mems = rows.map((x) => x.untimed_memory as number);
    expect([...mems].sort((a, b) => b - a)).toEqual(mems);
    const totalUntimed = [...want.values()].reduce((s, w) => s + w.mem, 0);
    const total = records.reduce((s, k) => s + k.memory!.bytes, 0);
    expect(rows[0]!.share_of_untimed).toBeCloseTo(mems[0]! / totalUntimed, 12);
    expect(rows[0]!.share_of_total).toBeCloseTo(mems[0]! / total, 12);
    // leaderboard:* mixes timed and untimed keys
    const lb = rows.find((x) => x.pattern === 'leaderboard:*')!;
    const lbAll = records.filter((k) => k.keyPrintable.startsWith('leaderboard:'));
    expect(lb.keys).toBe(lbAll.length);
    expect(lb.untimed_key_share).toBeCloseTo(lbAll.filter((k) => k.expireAtMs === null).length / lbAll.length, 12);
  });
  it('--top and --match limit the patterns', async () => {
    const { db, dir } = freshStore();
    await loadRecords(db, dir, 'a.rdb', syntheticKeyspace(32));
    expect(run(db, { top: 1 }).tables[0]!.rows.length).toBe(1);
    expect(run(db, { top: 50, match: 'user:*' }).tables[0]!.rows.map((x) => x.pattern).sort()).toEqual(['user:*:events', 'user:*:profile']);
  });
});
