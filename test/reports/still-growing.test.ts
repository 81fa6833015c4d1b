import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRedis } from '../../scripts/lib/redis-server.mjs';
import { auxInt, withCtime } from '../../scripts/lib/rdb-patch.mjs';
import { loadFiles } from '../../src/cli/load-files.js';
import { memorySpecFrom } from '../../src/cli/memory-options.js';
import { openStore } from '../../src/store/index.js';
import { requireRedis } from '../support/redis.js';
import { reportRunner } from '../support/reports.js';
import { tempDir } from '../support/temp.js';

const diagnosis = reportRunner('diagnosis');
const NIGHTS = 5;
const DAY_S = 86_400;

const describeRedis = requireRedis();
describeRedis('the diagnosis flag "each key grows, no cap" on five nightly dumps of a real server', () => {
  let server: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is set on lists longer every night, not on keys that changed type once and stayed the same since', async () => {
    const dir = tempDir();
    const files: string[] = [];
    const usage: Record<string, number[]> = { 'feed:': [], 'thing:': [] };
    const memoryOf = async (prefix: string, n: number) => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += Number(await server.client.call('MEMORY', 'USAGE', `${prefix}${i}`, 'SAMPLES', '0'));
      return sum;
    };
    let ctime = 0;
    for (let night = 0; night < NIGHTS; night++) {
      // thing:<n>: strings on the first two nights, then hashes of three fields, unchanged since.
      const things = Array.from({ length: 10 }, (_, i) => (night < 2 ? ['SET', `thing:${i}`, 'v'] : ['HSET', `thing:${i}`, 'name', 'thing', 'owner', 'ops', 'state', 'active']));
      if (night === 2) await server.client.pipeline(Array.from({ length: 10 }, (_, i) => ['DEL', `thing:${i}`]));
      await server.client.pipeline(things);
      // feed:<n>: five lists, 20 entries longer every night.
      await server.client.pipeline(Array.from({ length: 5 }, (_, i) => ['RPUSH', `feed:${i}`, ...Array.from({ length: 20 }, (_, j) => `entry-${night}-${j}`)]));
      usage['feed:']!.push(await memoryOf('feed:', 5));
      usage['thing:']!.push(await memoryOf('thing:', 10));
      const dump = readFileSync(await server.save());
      // Nightly dumps: a day apart, the last one at the server's own ctime.
      ctime ||= (auxInt(dump, 'ctime') as number) - (NIGHTS - 1) * DAY_S;
      const file = join(dir, `night-${night}.rdb`);
      writeFileSync(file, withCtime(dump, ctime + night * DAY_S));
      files.push(file);
    }
    // What the server says: feed:* grows every night; thing:* grew once (string to hash) and stayed.
    expect(usage['feed:']!.every((v, i) => i === 0 || v > usage['feed:']![i - 1]!)).toBe(true);
    expect(usage['thing:']!.slice(2).every((v) => v === usage['thing:']![2])).toBe(true);
    expect(usage['thing:']![2]).toBeGreaterThan(usage['thing:']![1]!);

    const db = openStore(join(dir, 'test.sqlite'));
    const { failures } = await loadFiles(db, files, { memory: memorySpecFrom({}), quiet: true, worker: false, keysMinBytes: null, topPerPattern: null, say: () => {} });
    expect(failures).toBe(0);
    const patterns = diagnosis(db, { top: 10 }).tables.find((t) => t.name === 'patterns')!.rows;
    const flag = (p: string) => String(patterns.find((x) => x.pattern === p)!.flag ?? '');
    expect(flag('feed:*')).toMatch(/each key grows, no cap/);
    expect(flag('thing:*')).not.toMatch(/each key grows/);
  });
});
