import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rowArray } from '../../src/output/result.js';
import { findReport } from '../../src/reports/index.js';
import { loadSnapshot, openStore } from '../../src/store/index.js';
import { useWal } from '../../src/store/open-store.js';
import { fakeSource, syntheticKeyspace } from '../support/records.js';
import { dummyFile, tempDir } from '../support/temp.js';

describe('reading while a load writes (WAL)', () => {
  it('a read-only connection sees finished snapshots, never the one being loaded', async () => {
    const dir = tempDir();
    const path = join(dir, 'w.sqlite');
    const writer = openStore(path);
    const first = syntheticKeyspace(1);
    await loadSnapshot(writer, { path: dummyFile(dir, 'a.rdb'), open: fakeSource(first) });
    // As loadFiles ends a new database's first load: WAL from then on.
    useWal(writer);
    expect(writer.pragma('journal_mode', { simple: true })).toBe('wal');

    let seenDuringLoad: unknown = null;
    const second = syntheticKeyspace(2, { scale: 4 });
    const open = async () => {
      const src = await fakeSource(second, { batchSize: 50 })();
      const inner = src.parse;
      return {
        input: src.input,
        parse: {
          get info() { return inner.info; },
          async *batches() {
            let n = 0;
            for await (const b of inner.batches()) {
              yield b;
              if (++n === 3) {
                const reader = openStore(path, { readonly: true });
                try {
                  seenDuringLoad = rowArray(findReport('summary')!.run(reader, { top: 5 }).tables[0]!.rows)[0]!.keys;
                } finally {
                  reader.close();
                }
              }
            }
          },
        },
      };
    };
    await loadSnapshot(writer, { path: dummyFile(dir, 'b.rdb'), open, commitEvery: 60 });
    expect(seenDuringLoad).toBe(first.length);
    writer.close();
    const reader = openStore(path, { readonly: true });
    expect(rowArray(findReport('summary')!.run(reader, { top: 5, snapshot: 'b.rdb' }).tables[0]!.rows)[0]!.keys).toBe(second.length);
    reader.close();
  });
});
