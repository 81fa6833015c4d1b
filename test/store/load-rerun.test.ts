/**
 * A load whose first keys chose the wrong allocator build reads the dump a second time
 * (loadSnapshot, memory-spec.ts settleBuild). Between the two passes its snapshot must stay
 * `loading` under its live mark: another process waiting for the same file (settledByFingerprint)
 * that found no row would start a load of its own, print its waiting line a second time, and read
 * the whole dump for nothing.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openInput } from '../../src/input/open-input.js';
import { parseRdb } from '../../src/rdb/index.js';
import { compactLimitsForSpec } from '../../src/store/memory-spec.js';
import { DEFAULT_MEMORY_SPEC, fileFingerprint, listSnapshots, loadSnapshot, modelFromSpec, openStore } from '../../src/store/index.js';
import { findByFingerprint, loaderState, type SnapshotRow } from '../../src/store/snapshots.js';
import { misleadingBuildDump } from '../support/misleading-build-dump.js';
import { requireRedis } from '../support/redis.js';
import { tempDir } from '../support/temp.js';
import { cliBuilt, runCliAsync } from '../support/cli.js';
import { PROJECT_ROOT } from '../support/corpus.js';

requireRedis()('a load read a second time for its build', () => {
  it('keeps its snapshot row loading and alive between the passes, ends in that same row, and says how to read it once', async () => {
    const dir = tempDir();
    const dump = await misleadingBuildDump(dir);
    const { fingerprint } = await fileFingerprint(dump);
    const db = openStore(join(dir, 'x.sqlite'));
    const spec = DEFAULT_MEMORY_SPEC;
    let opens = 0;
    let between: SnapshotRow | undefined;
    let loaderThen: string | null = null;
    const result = await loadSnapshot(db, {
      path: dump,
      memoryModel: modelFromSpec(spec),
      memorySpec: spec,
      open: async () => {
        // The second open starts the second pass: what another process would find now.
        if (++opens === 2) {
          between = findByFingerprint(db, fingerprint);
          loaderThen = between === undefined ? null : loaderState(between.error);
        }
        const input = await openInput(dump);
        return { input, parse: parseRdb(input.chunks, { fileName: dump, compactLimits: compactLimitsForSpec(spec) }) };
      },
    });
    expect(opens).toBe(2);
    expect(between?.status).toBe('loading');
    expect(loaderThen).toBe('alive');
    expect(result).toMatchObject({ outcome: 'loaded', snapshotId: between!.id, status: 'complete' });
    const snapshots = listSnapshots(db);
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]!.memory_profile).toMatch(/-q16$/);
    // The result names the profile of the second pass: `load` prints it as the way to read such dumps once.
    expect(result).toMatchObject({ rereadWith: snapshots[0]!.memory_profile });
    // The mark is gone with the load: a later load of the file does not wait for it.
    expect(loaderState(between!.error)).toBe('gone');
    db.close();
    if (cliBuilt) {
      const twice = await runCliAsync(['load', dump, '--db', join(dir, 'cli.sqlite')], PROJECT_ROOT);
      expect(twice.code).toBe(0);
      expect(twice.stdout).toContain(`(read twice: its first keys pointed to the other allocator build than the whole file; --server ${snapshots[0]!.memory_profile} reads such dumps once)`);
      const once = await runCliAsync(['load', dump, '--db', join(dir, 'cli-once.sqlite'), '--server', snapshots[0]!.memory_profile!], PROJECT_ROOT);
      expect(once.code).toBe(0);
      expect(once.stdout).not.toContain('read twice');
    }
  }, 120_000);
});
