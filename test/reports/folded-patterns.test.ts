import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openInput } from '../../src/input/open-input.js';
import { parseRdb } from '../../src/rdb/index.js';
import { loadSnapshot, openStore, type Store } from '../../src/store/index.js';
import { nightlyExpected, nightlyFiles } from '../support/nightly.js';
import { reportRunner } from '../support/reports.js';
import { tempDir } from '../support/temp.js';

const growth = reportRunner('growth');
const forecast = reportRunner('forecast');

/**
 * The five nightly dumps of one real server, loaded with the pattern cap lowered to 5 (pattern,
 * type) pairs: a load tracks the first pairs it meets in the file and adds the others to `<other>`,
 * as it does past 20 000 on a pattern-rich keyspace. The file order changes night to night, so
 * each night tracks other families (night-1 tracks feed:*, night-2 folds it).
 */
async function nightsFolded(): Promise<Store> {
  const db = openStore(join(tempDir(), 'test.sqlite'));
  for (const path of nightlyFiles()) {
    await loadSnapshot(db, {
      path, maxPatterns: 5,
      open: async () => {
        const input = await openInput(path);
        return { input, parse: parseRdb(input.chunks, { fileName: path }) };
      },
    });
  }
  return db;
}

describe('patterns folded into <other> by the pattern cap, between snapshots', () => {
  it('growth calls no family new or vanished that the server held on both nights', async () => {
    const truth = nightlyExpected();
    const db = await nightsFolded();
    for (let n = 1; n < truth.nights.length; n++) {
      const r = growth(db, { from: String(n), to: String(n + 1), top: 100 });
      const rows = [...r.tables.find((t) => t.name === 'growth')!.rows, ...r.tables.find((t) => t.name === 'shrinking')!.rows];
      for (const row of rows.filter((x) => x.status === 'new' || x.status === 'vanished')) {
        const family = String(row.pattern);
        const onBoth = truth.nights[n - 1]!.live[family] !== undefined && truth.nights[n]!.live[family] !== undefined;
        expect(onBoth, `${family} called ${String(row.status)} from night-${n - 1} to night-${n}`).toBe(false);
      }
    }
    // night-1 tracks feed:* and night-2 does not: said, not ranked.
    const r = growth(db, { from: '2', to: '3', top: 100 });
    expect(r.notes.some((x) => /^\d+ pattern\(s\) in only one of the two snapshots left out: .*<other>/.test(x))).toBe(true);
  });

  it('the forecast lists no family born or vanished that the server held every night, and fits none with zeros where it was folded', async () => {
    const truth = nightlyExpected();
    const db = await nightsFolded();
    const r = forecast(db, { top: 100 });
    const always = (f: string) => truth.nights.every((n) => n.live[f] !== undefined);
    for (const row of r.tables.find((t) => t.name === 'born_vanished')!.rows) {
      expect(always(String(row.pattern)), `${String(row.pattern)} listed ${String(row.status)}`).toBe(false);
    }
    // A family fitted has its figure in every snapshot: none is a 0 standing for "in <other>".
    const series = r.tables.find((t) => t.name === 'pattern_series')!.rows;
    for (const row of series.filter((x) => x.pattern !== '<other>')) expect(row.memory, String(row.pattern)).not.toBe(0);
  });
});
