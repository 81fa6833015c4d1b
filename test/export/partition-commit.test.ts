/**
 * The order of the file-system calls that move a snapshot's three files into its partition: every
 * file synced before the first rename, the renames back to back, then the directories synced.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { exportDump } from '../../src/export/index.js';
import { DEFAULT_MEMORY_SPEC } from '../../src/store/memory-spec.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, fsyncSync: vi.fn(real.fsyncSync), renameSync: vi.fn(real.renameSync) };
});

describe('moving a partition into place', () => {
  it('syncs the three files, renames them with nothing in between (snapshot.parquet last), then syncs the directories', async () => {
    const out = tempDir();
    const calls: string[] = [];
    const fsync = vi.mocked(fs.fsyncSync);
    const rename = vi.mocked(fs.renameSync);
    fsync.mockClear();
    rename.mockClear();
    const res = await exportDump({ path: join(FIXTURES_DIR, 'lru-7.0.rdb'), outDir: out, memory: DEFAULT_MEMORY_SPEC, instance: 'x' });
    // Interleave the two mocks' calls by their global invocation order.
    const events = [
      ...fsync.mock.invocationCallOrder.map((order) => ({ order, what: 'fsync' })),
      ...rename.mock.invocationCallOrder.map((order, i) => ({ order, what: `rename ${String(rename.mock.calls[i]![1]).slice(res.dir.length + 1)}` })),
    ].sort((a, b) => a.order - b.order);
    for (const e of events) calls.push(e.what);
    // 3 file syncs, 3 renames, then the partition, instance and export directories.
    expect(calls).toEqual(['fsync', 'fsync', 'fsync', 'rename keys.parquet', 'rename patterns.parquet', 'rename snapshot.parquet', 'fsync', 'fsync', 'fsync']);
  });
});
