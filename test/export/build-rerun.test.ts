/**
 * An export settles the allocator build at the end of the dump as a load does
 * (src/memory/build-choice.ts): when used-mem points to the other build than the first keys did, the
 * dump is exported again with it, so `export` and `load` write the same profile and estimates.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { startRedis } from '../../scripts/lib/redis-server.mjs';
import { cliBuilt, runCliAsync } from '../support/cli.js';
import { requireRedis } from '../support/redis.js';
import { tempDir } from '../support/temp.js';
import { Duck } from './duck.js';

requireRedis()('export and the allocator build', () => {
  it.skipIf(!cliBuilt)('a dump whose first keys cannot tell the build is exported with the build used-mem points to, as load stores it', async () => {
    const dir = tempDir();
    const server = await startRedis({ dir });
    let dump: string;
    try {
      // db 0, read first: 2 KB strings, whose estimates no jemalloc quantum changes, so the first
      // keys leave the official build assumed. db 1: 400 000 strings of 50 bytes, each 8 bytes
      // larger with Debian's quantum 16 (an sds of 54 bytes: 56 or 64), which used-mem then shows.
      const c = server.client;
      await c.call('DEBUG', 'POPULATE', '20000', 'big', '2000');
      await c.call('SELECT', '1');
      await c.call('DEBUG', 'POPULATE', '400000', 'key', '50');
      dump = await server.save();
    } finally {
      await server.stop();
    }
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
    const exported = await runCliAsync(['export', dump, '--out', out, '--quiet'], dir);
    expect(exported.code, exported.stderr).toBe(0);
    const duck = await Duck.open();
    try {
      const [snapshot] = await duck.all(`SELECT memory_profile AS profile FROM '${out}/**/snapshot.parquet'`);
      const [keys] = await duck.all(`SELECT CAST(sum(memory_bytes) AS DOUBLE) AS memory, count(*) AS n FROM '${out}/**/keys.parquet'`);
      expect(snapshot).toEqual({ profile: loaded.profile });
      expect(keys).toMatchObject({ memory: loaded.memory });
      expect(Number(keys!['n'])).toBe(420_000);
    } finally {
      duck.close();
    }
  }, 120_000);
});
