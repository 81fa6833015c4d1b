/**
 * Hashes and sorted sets saved as ziplists (RDB types 13 and 12, Redis 2.6–6.2) and hashes saved as
 * zipmaps (type 9, Redis 2.4): what a real redis-server makes of them on load, against the model.
 * A ziplist is converted entry for entry into a listpack and kept while within the entry limit,
 * however long an entry; a zipmap is kept only when every field and value is short as well
 * (`R:rdb.c rdbLoadObject`).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { estimatorFor, parseProfile, type ServerProfile } from '../../src/memory/index.js';
import { CORPUS_DIR } from '../support/corpus.js';
import { parseBytes } from '../support/parse-bytes.js';
import { buildZiplist, buildZipmap, RdbWriter, TYPE } from '../support/rdb-writer.js';
import { requireRedis } from '../support/redis.js';
import { withServerOn } from '../rdb/server-load.js';

const long = (n: number, c: string) => c.repeat(n);

/** Compact values on both sides of the value limits (64 bytes: hash-max-listpack-value, zset-max-listpack-value). */
function compactDump(): Uint8Array {
  const w = new RdbWriter({ version: 9 });
  w.aux('redis-ver', '6.2.14');
  w.selectDb(0);
  w.key(TYPE.HASH_ZIPLIST, 'hash:ziplist:long').string(buildZiplist(['f1', 'v1', 'f2', long(300, 'v'), long(100, 'f'), 'v3']), { encoding: 'raw' });
  w.key(TYPE.HASH_ZIPLIST, 'hash:ziplist:short').string(buildZiplist(['f1', 'v1', 'f2', 'v2']), { encoding: 'raw' });
  w.key(TYPE.ZSET_ZIPLIST, 'zset:ziplist:long').string(buildZiplist(['a', '1', long(200, 'm'), '2.5', 'c', '3']), { encoding: 'raw' });
  w.key(TYPE.ZSET_ZIPLIST, 'zset:ziplist:short').string(buildZiplist(['a', '1', 'b', '2']), { encoding: 'raw' });
  w.key(TYPE.HASH_ZIPMAP, 'hash:zipmap:long').string(buildZipmap([['f1', 'v1'], ['f2', long(300, 'v')]]), { encoding: 'raw' });
  w.key(TYPE.HASH_ZIPMAP, 'hash:zipmap:short').string(buildZipmap([['f1', 'v1'], ['f2', 'v2']]), { encoding: 'raw' });
  return w.finish();
}

async function serverProfile(call: (...args: string[]) => Promise<unknown>): Promise<ServerProfile> {
  const [maj, min] = /redis_version:(\d+)\.(\d+)/.exec(String(await call('INFO', 'server')))!.slice(1).map(Number);
  const quantum = /Quantum size: 16/.test(String(await call('MEMORY', 'MALLOC-STATS'))) ? 16 : 8;
  return parseProfile(`redis-${maj}.${min}${quantum === 16 ? '-q16' : ''}`);
}

/** Per key, the server's OBJECT ENCODING and MEMORY USAGE and the model's, for the keys of `rdb`. */
async function compare(rdb: Uint8Array): Promise<{ key: string; server: [string, number]; model: [string, number] }[]> {
  const { records } = await parseBytes(rdb);
  return withServerOn(rdb, async (server) => {
    const call = (...args: string[]) => server.client.call(...args);
    const estimate = estimatorFor(await serverProfile(call));
    const out = [];
    for (const rec of records) {
      const key = rec.keyPrintable;
      const m = estimate(rec);
      out.push({ key, server: [String(await call('OBJECT', 'ENCODING', key)), Number(await call('MEMORY', 'USAGE', key, 'SAMPLES', '0'))] as [string, number], model: [m.encoding, m.bytes] as [string, number] });
    }
    return out;
  });
}

requireRedis()('ziplists and zipmaps loaded by a real redis-server', () => {
  it('a ziplist hash or zset with long entries stays a listpack; a zipmap hash with a long value becomes a table', async () => {
    const rows = await compare(compactDump());
    expect(rows.map((r) => [r.key, r.server[0]])).toEqual([
      ['hash:ziplist:long', 'listpack'], ['hash:ziplist:short', 'listpack'], ['zset:ziplist:long', 'listpack'],
      ['zset:ziplist:short', 'listpack'], ['hash:zipmap:long', 'hashtable'], ['hash:zipmap:short', 'listpack'],
    ]);
    for (const r of rows) expect(r.model, r.key).toEqual(r.server);
  }, 30_000);

  const BIG_VALUES = path.join(CORPUS_DIR, 'hdt3213-rdb/zipmap_with_big_values.rdb');
  it.skipIf(!existsSync(BIG_VALUES))('zipmap_with_big_values.rdb (a ziplist hash with 20 KB values): the encoding and MEMORY USAGE the server reports', async () => {
    const rows = await compare(new Uint8Array(readFileSync(BIG_VALUES)));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.server[0]).toBe('listpack');
    expect(rows[0]!.model).toEqual(rows[0]!.server);
  }, 30_000);
});
