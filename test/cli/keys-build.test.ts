/**
 * `keys` without --server estimates with the allocator build the dump's first keys point to, as
 * `load` first decides (src/cli/two-build-lines.ts, src/store/build-guess.ts): on dumps of this
 * machine's redis-server (Debian's, jemalloc quantum 16) its lines are those of `--server <the
 * profile load stores>`, and its memoryBytes those of the server's own MEMORY USAGE. Before, `keys`
 * took the official build (quantum 8), 8 bytes short on each of these keys.
 */
import { copyFileSync, createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedis } from '../../scripts/lib/redis-server.mjs';
import { KEY_LINE_FORMATS } from '../../src/output/key-lines.js';
import { cliBuilt, runCliAsync } from '../support/cli.js';
import { PROJECT_ROOT } from '../support/corpus.js';
import { requireRedis } from '../support/redis.js';

/** Far more keys than the first keys the build is decided on (PREFIX_KEYS: held lines, then streamed ones), and enough memory for used-mem to tell the builds apart. */
const STRINGS = 400_000;

interface Dumps {
  /** STRINGS strings of 50 bytes (an sds of 54 bytes: 56 with quantum 8, 64 with 16). */
  strings: string;
  /** Fewer keys than PREFIX_KEYS, most memory in one sorted set: decided at the end of the file. */
  few: string;
  /** MEMORY USAGE of a sample of `strings`' keys, by key name. */
  usage: Map<string, number>;
}

const keys = (dump: string, args: string[] = []) => runCliAsync(['keys', dump, ...args], PROJECT_ROOT);

/**
 * The first line where two outputs differ, or null: what the assertions compare (a diff of two
 * outputs of 400 000 lines takes the test runner minutes).
 */
function firstDifference(a: string, b: string): { line: number; a: string | undefined; b: string | undefined } | null {
  if (a === b) return null;
  const la = a.split('\n');
  const lb = b.split('\n');
  let i = 0;
  while (i < la.length && i < lb.length && la[i] === lb[i]) i++;
  return { line: i + 1, a: la[i], b: lb[i] };
}

async function storedProfile(dump: string, dir: string): Promise<string> {
  const db = join(dir, `${Math.random().toString(36).slice(2)}.sqlite`);
  const load = await runCliAsync(['load', dump, '--db', db, '--quiet'], PROJECT_ROOT);
  expect(load.stderr).toBe('');
  const store = new Database(db, { readonly: true });
  try {
    return (store.prepare('SELECT memory_profile FROM snapshots').pluck().get() as string);
  } finally {
    store.close();
  }
}

requireRedis()('keys: the allocator build of the first keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rdbscope-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let dumps: Dumps;

  beforeAll(async () => {
    const server = await startRedis();
    try {
      const c = server.client;
      await c.call('DEBUG', 'POPULATE', String(STRINGS), 'key', '50');
      const usage = new Map<string, number>();
      for (let i = 0; i < STRINGS; i += 3989) usage.set(`key:${i}`, Number(await c.call('MEMORY', 'USAGE', `key:${i}`, 'SAMPLES', '0')));
      const strings = join(dir, 'strings.rdb');
      copyFileSync(await server.save(), strings);
      await c.call('FLUSHALL');
      for (let i = 0; i < 400_000; i += 1000) {
        const args: string[] = [];
        for (let j = i; j < i + 1000; j++) args.push(String(j), `member:${j}`);
        await c.call('ZADD', 'big:zset', ...args);
      }
      await c.call('DEBUG', 'POPULATE', '3000', 'small', '50');
      const few = join(dir, 'few.rdb');
      copyFileSync(await server.save(), few);
      dumps = { strings, few, usage };
    } finally {
      await server.stop();
    }
  }, 120_000);

  it.skipIf(!cliBuilt)('prints what --server <the profile load stores> prints, held lines and streamed ones alike', async () => {
    for (const dump of [dumps.strings, dumps.few]) {
      const profile = await storedProfile(dump, dir);
      // This machine's server is a distro build: otherwise nothing here tells the builds apart.
      expect(profile).toMatch(/^redis-\d+\.\d+-q16$/);
      const official = profile.replace(/-q16$/, '');
      for (const format of KEY_LINE_FORMATS) {
        const [given, chosen, other] = await Promise.all([
          keys(dump, ['--format', format]),
          keys(dump, ['--format', format, '--server', profile]),
          keys(dump, ['--format', format, '--server', official]),
        ]);
        expect(given.code).toBe(0);
        // Decided on the first keys (or on the whole dump, read within them): nothing to note.
        expect(given.stderr).toBe('');
        expect(firstDifference(given.stdout, chosen.stdout)).toBeNull();
        // The builds differ on these keys: the comparison above can fail.
        expect(firstDifference(given.stdout, other.stdout)).not.toBeNull();
      }
    }
  }, 240_000);

  it.skipIf(!cliBuilt)("gives each string the server's own MEMORY USAGE", async () => {
    const run = await keys(dumps.strings, ['--format', 'jsonl']);
    const memory = new Map<string, number>();
    for (const line of run.stdout.split('\n').filter(Boolean)) {
      const row = JSON.parse(line) as { key: string; memoryBytes: number };
      memory.set(row.key, row.memoryBytes);
    }
    expect(memory.size).toBe(STRINGS);
    for (const [key, usage] of dumps.usage) expect({ key, bytes: memory.get(key) }).toEqual({ key, bytes: usage });
  }, 120_000);

  it.skipIf(!cliBuilt)('applies --min-bytes and the other filters to the decided estimates', async () => {
    const profile = await storedProfile(dumps.strings, dir);
    // The smallest string's MEMORY USAGE: every key passes with quantum 16, fewer with quantum 8.
    const threshold = Math.min(...dumps.usage.values());
    for (const filters of [['--min-bytes', String(threshold)], ['--min-bytes', String(threshold), '--match', 'key:1*']]) {
      const [given, chosen, other] = await Promise.all([
        keys(dumps.strings, ['--format', 'csv', ...filters]),
        keys(dumps.strings, ['--format', 'csv', '--server', profile, ...filters]),
        keys(dumps.strings, ['--format', 'csv', '--server', profile.replace(/-q16$/, ''), ...filters]),
      ]);
      expect(firstDifference(given.stdout, chosen.stdout)).toBeNull();
      expect(given.stdout.split('\n').length).toBeGreaterThan(other.stdout.split('\n').length);
    }
  }, 120_000);

  it.skipIf(!cliBuilt)("decides a gzip'd copy on its first keys too: the trailer gives the size they are scaled by", async () => {
    const gz = join(dir, 'strings.rdb.gz');
    await pipeline(createReadStream(dumps.strings), createGzip(), createWriteStream(gz));
    const [plain, copy] = await Promise.all([keys(dumps.strings, ['--format', 'csv']), keys(gz, ['--format', 'csv'])]);
    expect(copy.code).toBe(0);
    // No note: the first keys chose the build the whole dump points to.
    expect(copy.stderr).toBe('');
    expect(firstDifference(copy.stdout, plain.stdout)).toBeNull();
    // A load chooses it there too: it weighs one build per key and reads the dump once.
    const db = join(dir, 'gz.sqlite');
    const load = await runCliAsync(['load', gz, '--db', db], PROJECT_ROOT);
    expect(load.code).toBe(0);
    expect(load.stdout).not.toContain('read twice');
    const store = new Database(db, { readonly: true });
    try {
      expect(store.prepare('SELECT memory_profile FROM snapshots').pluck().get()).toMatch(/-q16$/);
      expect(store.prepare('SELECT count(*) FROM key_rows WHERE other_build_delta IS NOT NULL').pluck().get()).toBe(0);
    } finally {
      store.close();
    }
  }, 120_000);
});
