import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/store/index.js';
import { fakeSource, syntheticKeyspace } from '../support/records.js';
import { freshStore, loadRecords } from '../support/store.js';
import { dummyFile } from '../support/temp.js';
import { reportRunner } from '../support/reports.js';

const run = reportRunner('patterns');

/** Hand-written families of the synthetic keyspace: independent of the inference code. */
const family = (key: string) =>
  key.startsWith('session:') ? 'session:*' : key.startsWith('cache:page:') ? 'cache:page:*' : /^user:\d+:events$/.test(key) ? 'user:*:events'
    : /^user:\d+:profile$/.test(key) ? 'user:*:profile' : key.startsWith('leaderboard:') ? 'leaderboard:*' : key;

describe('patterns report', () => {
  it('keys and bytes per inferred pattern match hand-grouped records', async () => {
    const { db, dir } = freshStore();
    const records = syntheticKeyspace(41);
    await loadRecords(db, dir, 'a.rdb', records);
    const rows = run(db, { top: 100 }).tables[0]!.rows;
    const want = new Map<string, { keys: number; bytes: number }>();
    for (const k of records) {
      const w = want.get(family(k.keyPrintable)) ?? { keys: 0, bytes: 0 };
      w.keys++; w.bytes += k.valueBytes;
      want.set(family(k.keyPrintable), w);
    }
    expect(new Map(rows.map((x) => [x.pattern, { keys: x.keys, bytes: x.file_bytes }]))).toEqual(want);
    const total = records.reduce((s, k) => s + k.valueBytes, 0);
    for (const x of rows) expect(x.file_bytes_share).toBeCloseTo((x.file_bytes as number) / total, 12);
  });
  it('fixed --depth mode groups by prefix', async () => {
    const { db, dir } = freshStore();
    const records = syntheticKeyspace(42);
    await loadRecords(db, dir, 'a.rdb', records);
    const rows = run(db, { top: 100, depth: 1, separators: ':' }).tables[0]!.rows;
    const user = rows.filter((x) => x.pattern === 'user:*');
    expect(user.map((x) => x.keys).sort()).toEqual([records.filter((k) => k.keyPrintable.startsWith('user:') && k.type === 'hash').length, records.filter((k) => k.keyPrintable.startsWith('user:') && k.type === 'list').length].sort());
    expect(rows.find((x) => x.pattern === 'events')!.keys).toBe(1);
  });

  it('fixed --depth shares are of the whole keyspace (of --type), also when per-key rows were limited', async () => {
    const { db, dir } = freshStore();
    const records = syntheticKeyspace(43);
    const min = 200;
    await loadSnapshot(db, { path: dummyFile(dir, 'limited.rdb'), open: fakeSource(records), keysMinBytes: min });
    for (const type of [undefined, 'hash']) {
      const rows = run(db, { top: 1000, depth: 1, separators: ':', type }).tables[0]!.rows;
      const mine = records.filter((k) => type === undefined || k.type === type);
      const total = mine.reduce((s, k) => s + k.valueBytes, 0);
      const kept = mine.filter((k) => k.valueBytes >= min);
      expect(rows.reduce((s, x) => s + (x.keys as number), 0)).toBe(kept.length);
      for (const x of rows) expect(x.file_bytes_share).toBeCloseTo((x.file_bytes as number) / total, 12);
    }
    // Said: a prefix whose keys all lack a row is not listed at all.
    const kept = records.filter((k) => k.valueBytes >= min).length;
    const notes = run(db, { top: 1000, depth: 1, separators: ':' }).notes;
    expect(notes).toContain(`--depth groups the keys that have a row: only ${kept} of ${records.length} keys have a row (loaded with --keys-min-bytes ${min}); the others are in no group (shares are of every key; the inferred patterns, without --depth, count every key)`);
    expect(run(db, { top: 1000 }).notes.join('\n')).not.toMatch(/--depth groups/);
    const bigNotes = reportRunner('bigkeys')(db, { top: 5 }).notes;
    expect(bigNotes).toContain(`the rankings are of the keys that have a row: only ${kept} of ${records.length} keys have a row (loaded with --keys-min-bytes ${min}); a smaller key is in neither ranking`);
  });
});
