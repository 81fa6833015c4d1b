import { describe, expect, it } from 'vitest';
import { storeWithDumps } from '../support/fixture-store.js';
import { nightlyFiles } from '../support/nightly.js';
import { reportRunner } from '../support/reports.js';

const diagnosis = reportRunner('diagnosis');

describe('the diagnosis of the first snapshot of an instance that has later ones', () => {
  it('does not tell the user to load the nightly dumps: they are loaded, and later', async () => {
    const files = nightlyFiles();
    // An old dump analyzed after the nightly ones: night-0 loaded last, first by time.
    const { db } = await storeWithDumps([...files.slice(1), files[0]!]);
    const r = diagnosis(db, { top: 5, snapshot: 'night-0.rdb' });
    const growth = r.tables.find((t) => t.name === 'remarks')!.rows.filter((x) => x.section === 'growth').map((x) => String(x.text));
    expect(growth).toHaveLength(1);
    expect(growth[0]).not.toMatch(/load the nightly dumps/);
    expect(growth[0]).toMatch(/not with the 4 later one\(s\)/);
    expect(r.tables.some((t) => t.name === 'growth')).toBe(false);
    // With no other snapshot of the instance, loading more is the advice.
    const { db: alone } = await storeWithDumps([files[0]!]);
    const only = diagnosis(alone, { top: 5 }).tables.find((t) => t.name === 'remarks')!.rows.find((x) => x.section === 'growth')!;
    expect(String(only.text)).toMatch(/load the nightly dumps of this server \(load --instance nightly\)/);
  });
});
