/**
 * Empty collections. The real ones are ../shared/corpus/redis/corrupt_empty_keys*.rdb (test/corpus.test.ts);
 * here every encoding of a list, set, zset and hash is written empty by the test writer (the empty
 * forms Redis's loader skips: `R@7.0:src/rdb.c rdbLoadObject`, each `goto emptykey` — a length of 0,
 * a quicklist whose nodes are all empty, a ziplist/listpack with no entry), beside values that may be
 * empty and stay keys (an empty string). A real Redis 7.0 checks the corpus file: it drops them all.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEmptyCollection } from '../../src/core/record.js';
import { CORPUS_DIR } from '../support/corpus.js';
import { parseBytes } from '../support/parse-bytes.js';
import { buildListpack, buildZiplist, buildZipmap, RdbWriter, TYPE } from '../support/rdb-writer.js';
import { requireRedis } from '../support/redis.js';
import { withServerOn } from './server-load.js';

function u64le(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
  return b;
}

const EMPTY = [
  'list', 'set', 'zset', 'zset2', 'hash', 'zipmap', 'ziplist', 'zset-ziplist', 'hash-ziplist', 'quicklist',
  'quicklist2', 'hash-listpack', 'zset-listpack', 'set-listpack', 'hash-listpack-ex', 'hash-metadata',
];

/**
 * Every empty form; `version` 10 leaves out what Redis 7.0 cannot read (types 20, 24, 25) and the
 * empty zipmap, which Redis 7.0+ refuses as corrupt (`zipmapValidateIntegrity`: "check that the
 * zipmap is not empty", PR #9349) instead of skipping.
 */
function emptyDump(version: 10 | 12 = 12): Uint8Array {
  const all = version === 12;
  const w = new RdbWriter({ version });
  w.selectDb(0);
  w.key(TYPE.LIST, 'list').len(0);
  w.key(TYPE.SET, 'set').len(0);
  w.key(TYPE.ZSET, 'zset').len(0);
  w.key(TYPE.ZSET_2, 'zset2').len(0);
  w.key(TYPE.HASH, 'hash').len(0);
  if (all) w.key(TYPE.HASH_ZIPMAP, 'zipmap').string(buildZipmap([]));
  w.key(TYPE.LIST_ZIPLIST, 'ziplist').string(buildZiplist([]));
  w.key(TYPE.ZSET_ZIPLIST, 'zset-ziplist').string(buildZiplist([]));
  w.key(TYPE.HASH_ZIPLIST, 'hash-ziplist').string(buildZiplist([]));
  w.key(TYPE.LIST_QUICKLIST, 'quicklist').len(2).string(buildZiplist([])).string(buildZiplist([]));
  w.key(TYPE.LIST_QUICKLIST_2, 'quicklist2').len(1).len(2).string(buildListpack([]));
  w.key(TYPE.HASH_LISTPACK, 'hash-listpack').string(buildListpack([]));
  w.key(TYPE.ZSET_LISTPACK, 'zset-listpack').string(buildListpack([]));
  if (all) {
    w.key(TYPE.SET_LISTPACK, 'set-listpack').string(buildListpack([]));
    w.key(TYPE.HASH_LISTPACK_EX, 'hash-listpack-ex').raw(u64le(0)).string(buildListpack([]));
    w.key(TYPE.HASH_METADATA, 'hash-metadata').raw(u64le(0)).len(0);
  }
  // Values that may be empty and stay keys: a string, a stream whose entries were all deleted
  // (no node, length 0, ids 0-0, no group: rdb-format.md §6.1, type 19).
  w.key(TYPE.STRING, 'empty-string').string('');
  w.key(TYPE.STREAM_LISTPACKS_2, 'empty-stream').len(0).len(0).len(0).len(0).len(0).len(0).len(0).len(0).len(0).len(0);
  w.key(TYPE.LIST_QUICKLIST_2, 'one-empty-node').len(2).len(2).string(buildListpack([])).len(2).string(buildListpack(['x']));
  w.key(TYPE.SET, 'full-set').len(1).string('m');
  return w.finish();
}

describe('empty collections', () => {
  it('are read as keys, flagged, and counted in info; empty strings and non-empty values are not', async () => {
    const r = await parseBytes(emptyDump());
    expect(r.error).toBeNull();
    const names = (pred: (k: (typeof r.records)[number]) => boolean) => r.records.filter(pred).map((k) => k.keyPrintable);
    expect(names(isEmptyCollection)).toEqual(EMPTY);
    expect(names((k) => !isEmptyCollection(k))).toEqual(['empty-string', 'empty-stream', 'one-empty-node', 'full-set']);
    expect(r.records.find((k) => k.keyPrintable === 'empty-stream')?.elements).toBe(0);
    expect(r.info.emptyKeys).toBe(EMPTY.length);
    expect(r.info.keys).toBe(EMPTY.length + 4);
  });
});

const CORRUPT_EMPTY_KEYS = path.join(CORPUS_DIR, 'redis/corrupt_empty_keys.rdb');

requireRedis()('empty collections on a real server', () => {
  it('redis-server drops exactly the keys rdbscope flags, in every encoding it reads', async () => {
    const bytes = emptyDump(10);
    const parsed = await parseBytes(bytes);
    const flagged = parsed.records.filter(isEmptyCollection).length;
    expect(flagged).toBeGreaterThan(10);
    await withServerOn(bytes, async (server) => {
      const version = String(await server.client.call('INFO', 'server'));
      if (!/redis_version:7\.0\./.test(version)) return; // the loader this file is built for
      expect(await server.client.call('DBSIZE')).toBe(parsed.records.length - flagged);
      expect(server.log()).toContain(`empty keys skipped: ${flagged}`);
    });
  }, 30_000);

  it.skipIf(!existsSync(CORRUPT_EMPTY_KEYS))('redis-server drops every key of corrupt_empty_keys.rdb that rdbscope flags', async () => {
    const bytes = new Uint8Array(readFileSync(CORRUPT_EMPTY_KEYS));
    const parsed = await parseBytes(bytes);
    const flagged = parsed.records.filter(isEmptyCollection).length;
    expect(flagged).toBe(parsed.records.length);
    await withServerOn(bytes, async (server) => {
      expect(await server.client.call('DBSIZE')).toBe(parsed.records.length - flagged);
      expect(server.log()).toContain(`empty keys skipped: ${flagged}`);
    });
  }, 30_000);
});
