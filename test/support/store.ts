import { join } from 'node:path';
import type { KeyRecord } from '../../src/core/record.js';
import { loadSnapshot, openStore, type Store } from '../../src/store/index.js';
import { fakeSource, SNAPSHOT_CTIME_S } from './records.js';
import { dummyFile, tempDir } from './temp.js';

/** A fresh store in a temp dir (call inside a test). */
export function freshStore(): { db: Store; dir: string; path: string } {
  const dir = tempDir();
  const path = join(dir, 'test.sqlite');
  return { db: openStore(path), dir, path };
}

/** Loads synthetic records as one snapshot named `name` taken at `ctimeS` (`usedMem: null`: a dump without that AUX field). */
export async function loadRecords(db: Store, dir: string, name: string, records: KeyRecord[], options: { ctimeS?: number; memoryProfile?: string; usedMem?: number | null; instance?: string } = {}): Promise<number> {
  const aux: Record<string, string> = { 'redis-ver': '7.2.4', ctime: String(options.ctimeS ?? SNAPSHOT_CTIME_S) };
  if (options.usedMem !== null) aux['used-mem'] = String(options.usedMem ?? 4_000_000);
  const res = await loadSnapshot(db, { path: dummyFile(dir, name, `${name}:${Math.random()}`), open: fakeSource(records, { aux }), memoryProfile: options.memoryProfile ?? null, instance: options.instance });
  return res.snapshotId;
}
