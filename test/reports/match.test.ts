/**
 * `report … --match` is Redis's glob on the key bytes, as `keys --match` is: on a dump a real
 * redis-server wrote, bigkeys selects exactly the keys `keys --match` prints for the same glob, and
 * the pattern-level reports select the patterns whose names the same matcher selects.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedis } from '../../scripts/lib/redis-server.mjs';
import { redisGlob } from '../../src/patterns/redis-glob.js';
import type { Store } from '../../src/store/index.js';
import { cliBuilt, runCli } from '../support/cli.js';
import { storeWithDumps } from '../support/fixture-store.js';
import { requireRedis } from '../support/redis.js';
import { reportRunner } from '../support/reports.js';
import { tempDir } from '../support/temp.js';

const bigkeys = reportRunner('bigkeys');
const patterns = reportRunner('patterns');
const untimed = reportRunner('untimed');

/** Keys a glob written on their printable text would get wrong, and ordinary families around them. */
const AWKWARD: (string | Buffer)[] = [
  'queue:*', 'queue:1', 'queue:2', 'queue:10', 'a*b', 'a\\b', 'a\\*b', 'back\\slash', 'what?', 'x[1]', 'x1', ']', '^caret', '-dash',
  'user:1:profile', 'user:22:profile', 'user:333:profile', 'user:4:feed', 'clé:1', 'clé:2', 'ключ:1', '',
  Buffer.from([0xff, 0x61]), Buffer.from([0xff]), Buffer.from([0x00, 0x01, 0x2a]), Buffer.from([0xc3, 0x28, 0x61]), Buffer.from('tab\there'),
  Buffer.from([0x78, 0x66, 0x66, 0x31]), // "xff1": what '\xff*' selects (\x is the byte x)
];
for (let i = 0; i < 30; i++) AWKWARD.push(`session:${i}`, `cache:page:${i * 7}`);

/** What `keys --match` prints for a glob: (db, printable key) of each key it selects. */
function keysMatch(dump: string, glob: string, cwd: string): string[] {
  const r = runCli(['keys', dump, '--format', 'jsonl', '--match', glob], cwd);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => {
    const k = JSON.parse(l) as { db: number; key: string };
    return `${k.db} ${k.key}`;
  }).sort();
}

function bigkeysMatch(db: Store, glob: string): string[] {
  const r = bigkeys(db, { top: 10_000, match: glob });
  return r.tables.find((t) => t.name === 'by_memory')!.rows.map((x) => `${String(x.db)} ${String(x.key)}`).sort();
}

const GLOBS = [
  '*\\**', // keys holding a literal *
  'queue:\\*', // exactly the key queue:*
  'queue:*', 'queue:?', 'queue:[0-9]*', 'queue:[^1]*', '\\xff*', 'a\\\\b', 'a\\\\*', '*\\?', 'x\\[1]', 'x[1]', '[]]', '[\\^]*', '[-]*',
  '*:profile', 'user:*:profile', 'us?r:*:pro[f]ile', '*[0-9]', '*é*', 'cl?:*', 'cl??:*', 'ключ:*', '?', '??', '*', '**', '', '*zzz*', 'session:1*', '*e*e*',
  '[a-c]*', '[c-a]*', 'tab?here', '*[', '[^a-z]*',
];

const describeRedis = requireRedis();
describeRedis('--match on the key bytes, on a dump of a real redis-server', () => {
  let server: Awaited<ReturnType<typeof startRedis>>;
  let dump: string;
  beforeAll(async () => {
    server = await startRedis();
    await server.client.pipeline(AWKWARD.map((k, i) => ['SET', Buffer.from(k), 'v'.repeat(1 + (i % 9) * 10)]));
    await server.client.call('SELECT', '3');
    await server.client.call('SET', 'queue:*', 'in db 3');
    await server.save();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('bigkeys --match selects the keys `keys --match` selects, glob by glob', async () => {
    if (!cliBuilt) throw new Error('the CLI is not built (npm test builds it; npx tsc -p . by hand)');
    const dir = tempDir();
    dump = join(dir, 'dump.rdb');
    copyFileSync(join(server.dir, 'dump.rdb'), dump);
    const { db } = await storeWithDumps([dump]);
    for (const glob of GLOBS) expect(bigkeysMatch(db, glob), `--match ${JSON.stringify(glob)}`).toEqual(keysMatch(dump, glob, dir));
    // The cases that went wrong on the printable text: a literal * selects only the keys holding
    // one, an escaped * is that byte, and an escape sequence of the text is not a key's byte.
    expect(bigkeysMatch(db, '*\\**')).toEqual(['0 \\x00\\x01*', '0 a*b', '0 a\\\\*b', '0 queue:*', '3 queue:*']);
    expect(bigkeysMatch(db, 'queue:\\*')).toEqual(['0 queue:*', '3 queue:*']);
    expect(bigkeysMatch(db, '\\xff*')).toEqual(['0 xff1']);
  });

  it('patterns and untimed --match select the patterns whose names the glob matches', async () => {
    const dir = tempDir();
    const path = join(dir, 'dump.rdb');
    copyFileSync(join(server.dir, 'dump.rdb'), path);
    const { db } = await storeWithDumps([path]);
    const names = (rows: Record<string, unknown>[]) => rows.map((r) => `${String(r.pattern)} ${String(r.type)}`).sort();
    const every = names(patterns(db, { top: 10_000 }).tables[0]!.rows);
    expect(every).toContain('queue:* string');
    for (const glob of ['queue:\\*', 'queue:*', '*\\**', 'user:*', '*[0-9]*', '?', '*é*']) {
      const m = redisGlob(Buffer.from(glob));
      const want = every.filter((x) => {
        const name = Buffer.from(x.slice(0, x.lastIndexOf(' ')));
        return m(name, 0, name.length);
      });
      expect(names(patterns(db, { top: 10_000, match: glob }).tables[0]!.rows), glob).toEqual(want);
      expect(names(untimed(db, { top: 10_000, match: glob }).tables[0]!.rows), glob).toEqual(want);
    }
    // The name `queue:*` itself: its * is a character of the name, matched by an escaped one.
    expect(names(patterns(db, { top: 10_000, match: 'queue:\\*' }).tables[0]!.rows)).toEqual(['queue:* string']);
  });
});
