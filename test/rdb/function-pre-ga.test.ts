/**
 * Redis 7.0 release-candidate function records (opcode 246). No real file of this kind is in
 * ../shared/corpus, so the dumps are built by the test writer following the record as Redis 7.0-rc1
 * and 7.0-rc2 write it (`R@7.0-rc1:src/rdb.c rdbSaveFunctions`, read back by `rdbFunctionLoad`):
 * library name, engine name, len has-description [+ description], code. Redis 7.0.x GA still loads
 * the record (`R@7.0.0:src/rdb.c rdbFunctionLoad`, type RDB_OPCODE_FUNCTION); 7.2 refuses the file
 * ("Pre-release function format not supported", `R@7.2.0:src/rdb.c`).
 */
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../support/parse-bytes.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { requireRedis } from '../support/redis.js';
import { withServerOn } from './server-load.js';

const CODE_A = "redis.register_function('fa', function(keys, args) return 'a' end)";
const CODE_B = [1, 2, 3].map((n) => `redis.register_function('fb${n}', function(keys, args) return #keys + ${n} end)\n`).join('');

/**
 * What 7.0-rc1 saves (rdbSaveRio): AUX fields, the libraries, then the keyspace. `keysBefore` keys
 * are written before the libraries (the reported file had them in the middle of its keys).
 */
function rcDump(opts: { keys: number; keysBefore?: number; compress?: boolean }): Uint8Array {
  const w = new RdbWriter({ version: 10, compress: opts.compress ?? false });
  w.aux('redis-ver', '6.9.240').aux('redis-bits', '64');
  const key = (i: number) => w.key(TYPE.STRING, `user:${i}`).string(`value of user ${i} `.repeat(2));
  w.selectDb(0);
  let i = 0;
  for (; i < (opts.keysBefore ?? 0); i++) key(i);
  w.functionPreGa('liba', 'LUA', 'a library with a description', CODE_A);
  w.functionPreGa('libb', 'LUA', null, CODE_B);
  for (; i < opts.keys; i++) key(i);
  return w.finish();
}

describe('FUNCTION_PRE_GA (opcode 246)', () => {
  it('is read like a library, and every key before and after it is kept', async () => {
    for (const keysBefore of [0, 180]) {
      const r = await parseBytes(rcDump({ keys: 270, keysBefore }));
      expect(r.error, `${keysBefore} keys before`).toBeNull();
      expect(r.records).toHaveLength(270);
      expect(r.info.keys).toBe(270);
      expect(r.records.map((k) => k.keyPrintable)).toEqual(Array.from({ length: 270 }, (_, i) => `user:${i}`));
      expect(r.info.functions).toEqual([
        { kind: 'library', engine: 'LUA', name: 'liba', bytes: CODE_A.length, preRelease: true },
        { kind: 'library', engine: 'LUA', name: 'libb', bytes: CODE_B.length, preRelease: true },
      ]);
      expect(r.info.checksum.status).toBe('ok');
    }
  });

  it('reads LZF-compressed and integer-encoded strings in the record, across any chunking', async () => {
    const w = new RdbWriter({ version: 10, compress: true });
    w.functionPreGa('12345', 'LUA', 'd'.repeat(100), CODE_B).selectDb(0).key(TYPE.STRING, 'k').string('v');
    const bytes = w.finish();
    for (const chunkSizes of [undefined, [1], [7, 3]]) {
      const r = await parseBytes(bytes, { chunkSizes });
      expect(r.error).toBeNull();
      expect(r.info.functions).toEqual([{ kind: 'library', engine: 'LUA', name: '12345', bytes: CODE_B.length, preRelease: true }]);
      expect(r.records.map((k) => k.keyPrintable)).toEqual(['k']);
    }
  });

  it('a record cut anywhere ends in UNEXPECTED_EOF after the keys before it', async () => {
    const w = new RdbWriter({ version: 10 });
    w.selectDb(0).key(TYPE.STRING, 'before').string('x');
    const start = w.length;
    w.functionPreGa('lib', 'LUA', 'desc', CODE_A);
    const end = w.length;
    const whole = w.finish();
    for (let cut = start + 1; cut < end; cut++) {
      const r = await parseBytes(whole.subarray(0, cut), { chunkSizes: [5] });
      expect(r.error?.code, `cut at ${cut}`).toBe('UNEXPECTED_EOF');
      expect(r.records.map((k) => k.keyPrintable)).toEqual(['before']);
      expect(r.info.functions).toEqual([]);
    }
  });
});

requireRedis()('FUNCTION_PRE_GA on a real Redis 7.0 server', () => {
  it('the server loads the same file: the same keys, both libraries', async () => {
    const rdb = rcDump({ keys: 270 });
    const parsed = await parseBytes(rdb);
    await withServerOn(rdb, async (server) => {
      const version = String(await server.client.call('INFO', 'server')).match(/redis_version:(\d+)\.(\d+)/);
      // 7.2+ refuses the record (see the file comment); the Debian package this suite runs is 7.0.
      if (!version || `${version[1]}.${version[2]}` !== '7.0') return;
      expect(await server.client.call('DBSIZE')).toBe(parsed.records.length);
      const libs = (await server.client.call('FUNCTION', 'LIST')) as unknown[][];
      const names = libs.map((l) => l.map(String)).map((l) => l[l.indexOf('library_name') + 1]).sort();
      expect(names).toEqual(parsed.info.functions.map((f) => f.name).sort());
    });
  }, 30_000);
});
