/**
 * An export settles the allocator build at the end of the dump as a load does
 * (src/memory/build-choice.ts): when used-mem points to the other build than the first keys did, the
 * dump is exported again with it, so `export` and `load` write the same profile and estimates.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { cliBuilt, runCliAsync } from '../support/cli.js';
import { MISLEADING_BUILD_DUMP_KEYS, misleadingBuildDump } from '../support/misleading-build-dump.js';
import { requireRedis } from '../support/redis.js';
import { tempDir } from '../support/temp.js';
import { Duck } from './duck.js';

requireRedis()('export and the allocator build', () => {
  it.skipIf(!cliBuilt)('a dump whose first keys cannot tell the build is exported with the build used-mem points to, as load stores it', async () => {
    const dir = tempDir();
    const dump = await misleadingBuildDump(dir);
    const db = join(dir, 'x.sqlite');
    const load = await runCliAsync(['load', dump, '--db', db, '--quiet'], dir);
    expect(load.code, load.stderr).toBe(0);
    const sqlite = new Database(db, { readonly: true });
    const loaded = sqlite.prepare('SELECT memory_profile AS profile, memory_profile_reason AS reason, (SELECT sum(memory_bytes) FROM type_stats) AS memory FROM snapshots').get() as { profile: string; reason: string; memory: number };
    sqlite.close();
    // The case under test: the load settled on Debian's build from used-mem.
    expect(loaded.profile).toMatch(/-q16$/);
    expect(loaded.reason).toContain('build told by used-mem');

    const out = join(dir, 'out');
    const exported = await runCliAsync(['export', dump, '--out', out], dir);
    expect(exported.code, exported.stderr).toBe(0);
    // Its line says it read the dump twice, and how to read such dumps once.
    expect(exported.stdout).toContain(`(read twice: its first keys pointed to the other allocator build than the whole file; --server ${loaded.profile} reads such dumps once)`);
    const duck = await Duck.open();
    try {
      const [snapshot] = await duck.all(`SELECT memory_profile AS profile FROM '${out}/**/snapshot.parquet'`);
      const [keys] = await duck.all(`SELECT CAST(sum(memory_bytes) AS DOUBLE) AS memory, count(*) AS n FROM '${out}/**/keys.parquet'`);
      expect(snapshot).toEqual({ profile: loaded.profile });
      expect(keys).toMatchObject({ memory: loaded.memory });
      expect(Number(keys!['n'])).toBe(MISLEADING_BUILD_DUMP_KEYS);
    } finally {
      duck.close();
    }
  }, 120_000);
});
