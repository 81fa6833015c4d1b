/**
 * Values at the edges of keys.parquet's integer columns: an expiry a real server accepts up to
 * 2^63-1 ms (PEXPIREAT takes any long long), and a db number past INT32, which no server writes.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startRedis } from '../../scripts/lib/redis-server.mjs';
import { cliBuilt, runCliAsync } from '../support/cli.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { requireRedis } from '../support/redis.js';
import { tempDir } from '../support/temp.js';
import { Duck } from './duck.js';

/** The one keys.parquet under `out`. */
function keysFile(out: string): string {
  const found = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('keys.parquet'));
  expect(found).toHaveLength(1);
  return join(out, found[0]!);
}

requireRedis()('keys.parquet integer ranges', () => {
  it.skipIf(!cliBuilt)('an expiry of 2^63-1 ms from a real server exports, from the dump and from --db', async () => {
    const dir = tempDir();
    const server = await startRedis({ dir });
    let dump: string;
    try {
      const c = server.client;
      await c.call('SET', 'far', 'v');
      await c.call('PEXPIREAT', 'far', '9223372036854775807');
      await c.call('SET', 'near', 'v');
      await c.call('PEXPIREAT', 'near', '4102444800123');
      expect(Number(await c.call('PTTL', 'far'))).toBeGreaterThan(0);
      dump = await server.save();
    } finally {
      await server.stop();
    }
    const fromDump = join(dir, 'out-dump');
    const d = await runCliAsync(['export', dump, '--out', fromDump], dir);
    expect(d.stderr).toBe('');
    expect(d.code).toBe(0);
    const db = join(dir, 'x.sqlite');
    expect((await runCliAsync(['load', dump, '--db', db, '--quiet'], dir)).code).toBe(0);
    const fromDb = join(dir, 'out-db');
    const s = await runCliAsync(['export', '--db', db, '--out', fromDb], dir);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    const duck = await Duck.open();
    try {
      for (const out of [fromDump, fromDb]) {
        const rows = await duck.all(`SELECT decode(key) AS k, CAST(expire_at_ms AS VARCHAR) AS e FROM '${keysFile(out)}' ORDER BY k`);
        // 2^63-1 read as a double is 2^63; it is written as the largest double below 2^63.
        expect(rows).toEqual([
          { k: 'far', e: '9223372036854774784' },
          { k: 'near', e: '4102444800123' },
        ]);
      }
    } finally {
      duck.close();
    }
  }, 60_000);
});

it.skipIf(!cliBuilt)('a db number past INT32 is one line naming the dump, not a Parquet writer error', async () => {
  const dir = tempDir();
  const w = new RdbWriter({ version: 10 });
  w.selectDb(2 ** 31);
  w.key(TYPE.STRING, 'a').string('1');
  const file = join(dir, 'bigdb.rdb');
  writeFileSync(file, w.finish());
  const r = await runCliAsync(['export', file, '--out', join(dir, 'out')], dir);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(`rdbscope: ${file}: db 2147483648 does not fit keys.parquet's INT32 db column (a server numbers its databases below 2^31)\n`);
});

it.skipIf(!cliBuilt)('an AUX used-mem no INT64 holds is a null used_mem, not a failed export, from the dump and from --db', async () => {
  const dir = tempDir();
  const file = join(dir, 'dump.rdb');
  const w = new RdbWriter({ version: 10 });
  w.aux('redis-ver', '7.0.0');
  w.aux('ctime', '1700000000');
  w.aux('used-mem', '99999999999999999999');
  w.selectDb(0);
  w.key(TYPE.STRING, 'k').string('v');
  writeFileSync(file, w.finish());
  const fromDump = join(dir, 'out-dump');
  const d = await runCliAsync(['export', file, '--out', fromDump, '--quiet'], dir);
  expect(d.stderr).toBe('');
  expect(d.code).toBe(0);
  const db = join(dir, 'x.sqlite');
  expect((await runCliAsync(['load', file, '--db', db, '--quiet'], dir)).code).toBe(0);
  const fromDb = join(dir, 'out-db');
  const s = await runCliAsync(['export', '--db', db, '--out', fromDb, '--quiet'], dir);
  expect(s.stderr).toBe('');
  expect(s.code).toBe(0);
  const duck = await Duck.open();
  try {
    for (const out of [fromDump, fromDb]) {
      const snapshot = keysFile(out).replace(/keys\.parquet$/, 'snapshot.parquet');
      expect(await duck.all(`SELECT used_mem, key_count FROM '${snapshot}'`)).toEqual([{ used_mem: null, key_count: 1 }]);
      expect(await duck.all(`SELECT decode(key) AS k FROM '${keysFile(out)}'`)).toEqual([{ k: 'k' }]);
    }
  } finally {
    duck.close();
  }
}, 60_000);
