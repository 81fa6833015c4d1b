/**
 * `keys` keeps the allocator build its first keys chose (two-build-lines.ts). When they could not
 * tell it, it sums every later key as a load does and, when the whole dump points to the other build,
 * says so on stderr with the `--server` that gives the estimates `load` stores
 * (src/cli/dump-build-check.ts). The dump: db 0's 2 KB strings first, which no quantum changes, then
 * db 1's 400 000 small strings, which Debian's build (quantum 16) makes 8 bytes larger each.
 */
import { createReadStream, createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import Database from 'better-sqlite3';
import lz4 from 'lz4js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliBuilt, runCliAsync } from '../support/cli.js';
import { PROJECT_ROOT } from '../support/corpus.js';
import { misleadingBuildDump } from '../support/misleading-build-dump.js';
import { requireRedis } from '../support/redis.js';

const keys = (args: string[]) => runCliAsync(['keys', ...args], PROJECT_ROOT);

requireRedis()('keys: the build of the whole dump', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rdbscope-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let dump: string;
  /** The profile a load of the dump stores (it reads the dump again with it). */
  let stored: string;

  beforeAll(async () => {
    dump = await misleadingBuildDump(dir);
    if (!cliBuilt) return;
    const db = join(dir, 'x.sqlite');
    const load = await runCliAsync(['load', dump, '--db', db, '--quiet'], PROJECT_ROOT);
    expect(load.code).toBe(0);
    const store = new Database(db, { readonly: true });
    stored = store.prepare('SELECT memory_profile FROM snapshots').pluck().get() as string;
    store.close();
  }, 120_000);

  it.skipIf(!cliBuilt)("says when the whole dump points to another build than the first keys, and which --server gives load's estimates", async () => {
    // This machine's server is a distro build; the first keys (db 0) cannot tell it.
    expect(stored).toMatch(/^redis-\d+\.\d+-q16$/);
    const first = stored.replace(/-q16$/, '');
    const [given, asFirst, asStored] = await Promise.all([
      keys(['--format', 'csv', dump]),
      keys(['--format', 'csv', '--server', first, dump]),
      keys(['--format', 'csv', '--server', stored, dump]),
    ]);
    expect(given.code).toBe(0);
    const notes = given.stderr.split('\n').filter(Boolean);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(`rdbscope: ${dump}: note: the memory estimates are ${first}'s, the build the dump's first keys point to, but the whole dump points to ${stored}`);
    expect(notes[0]).toContain(`\`--server ${stored}\` gives the estimates \`load\` stores`);
    // The lines themselves are those of the first keys' build, as they were printed.
    expect(given.stdout).toBe(asFirst.stdout);
    expect(given.stdout).not.toBe(asStored.stdout);
    // A build given is not questioned.
    expect(asStored.stderr).toBe('');
    expect(asFirst.stderr).toBe('');
  }, 120_000);

  it.skipIf(!cliBuilt)('says it for compressed copies: gzip, whose trailer gives the size, and LZ4, whose size is unknown', async () => {
    const gz = join(dir, 'dump.rdb.gz');
    await pipeline(createReadStream(dump), createGzip(), createWriteStream(gz));
    const lz = join(dir, 'dump.rdb.lz4');
    writeFileSync(lz, lz4.compress(readFileSync(dump)));
    for (const copy of [gz, lz]) {
      const run = await keys(['--format', 'jsonl', copy]);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`rdbscope: ${copy}: note: the memory estimates are ${stored.replace(/-q16$/, '')}'s`);
      expect(run.stderr).toContain(`\`--server ${stored}\` gives the estimates \`load\` stores`);
    }
  }, 120_000);

  it.skipIf(!cliBuilt)('does not check when a filter leaves keys out before their estimate', async () => {
    // Those keys cost no estimate, so no sum covers the whole dump.
    const run = await keys(['--format', 'csv', '--db', '1', dump]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n').filter(Boolean).length).toBe(1 + 400_000);
  }, 120_000);
});
