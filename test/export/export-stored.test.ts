import { describe, expect, it } from 'vitest';
import { exportStoredSnapshot } from '../../src/export/export-stored.js';
import { partitionDate } from '../../src/export/partition.js';
import { resolveSnapshot } from '../../src/store/index.js';
import { rec } from '../support/records.js';
import { freshStore, loadRecords } from '../support/store.js';
import { tempDir } from '../support/temp.js';

describe('export of a stored snapshot', () => {
  it('a stored time no date can hold names no partition: the load time does, as for a snapshot without one', async () => {
    const { db, dir } = freshStore();
    await loadRecords(db, dir, 'a.rdb', [rec('k:1', { valueBytes: 10 })]);
    // What a load before the ctime rule stored for a dump whose ctime was 10^14 s.
    db.prepare('UPDATE snapshots SET snapshot_time_ms = 1e17').run();
    const snap = resolveSnapshot(db)!;
    const { snapshot, dir: written } = exportStoredSnapshot(db, snap, tempDir());
    expect(snapshot).toMatchObject({ snapshotTimeMs: snap.loaded_at_ms, timeSource: 'loaded_at' });
    expect(written.endsWith(`date=${partitionDate(snap.loaded_at_ms)}`)).toBe(true);
  });
});
