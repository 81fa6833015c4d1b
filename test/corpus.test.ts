/**
 * Every real dump under shared/corpus/redis and shared/corpus/hdt3213-rdb: it parses (or is refused
 * with a clear RdbError where shared/corpus/MANIFEST.md says it must be), and agrees with the facts
 * the MANIFEST lists for it. The table below is transcribed from the MANIFEST (what the source
 * projects' own tests assert, and where a row says only "observed", the independent structural
 * walk); nothing in it comes from our parser's output. Where a fact had to be read off the file's
 * bytes instead, the entry says so.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEmptyCollection, type RdbEncoding } from '../src/core/record.js';
import type { ChecksumOutcome } from '../src/rdb/index.js';
import { auxValue } from '../src/rdb/index.js';
import { CORPUS_DIR, corpusPresent, parseDump, PROJECT_ROOT, type ParsedDump } from './support/corpus.js';
import { cliBuilt, runCli } from './support/cli.js';
import { infoJson } from '../src/cli/commands/info.js';
import { keyRow } from '../src/output/key-lines.js';
import { DuplicateKeyCheck } from '../src/rdb/duplicate-keys.js';

interface KeyFact {
  /** Key name (UTF-8) as the MANIFEST prints it. */
  key: string;
  db?: number;
  type?: string;
  rdbType?: RdbEncoding;
  elements?: number;
  /** Absolute Unix ms; null = no expiry. */
  expireAtMs?: number | null;
  fieldsWithTtl?: number;
  minFieldExpireAtMs?: number | null;
  stream?: { length: number; lastId: string; groups: number };
  largestElementAtLeast?: number;
}

interface FileFacts {
  magic?: 'REDIS' | 'VALKEY';
  version?: number;
  checksum?: ChecksumOutcome['status'];
  /** Must be refused: iteration ends with an RdbError (clear code, offset and key). */
  refuse?: true;
  /**
   * Every key holds an empty container, which a server skips on load ("empty keys skipped: N"):
   * all of them are read, each flagged as an empty collection, and info counts them.
   */
  emptyContainers?: number;
  keys?: number;
  perDb?: Record<number, number>;
  /** Count of keys per TYPE. */
  types?: Record<string, number>;
  /** Count of keys per on-disk value type. */
  rdbTypes?: Partial<Record<RdbEncoding, number>>;
  aux?: Record<string, string>;
  functions?: { engine: string; name?: string }[];
  keyFacts?: KeyFact[];
  /** Extra assertions on the whole parse (key-name filters the source tests use). */
  check?: (d: ParsedDump) => void;
}

const names = (d: ParsedDump) => d.records.map((r) => Buffer.from(r.key).toString('utf8'));
const V3 = { magic: 'REDIS', checksum: 'absent' } as const; // RDB < 5: no CRC64 trailer (rdb-format.md §1.4)
const CRC = { magic: 'REDIS', checksum: 'ok' } as const;
const utf8Len = (s: string) => Buffer.byteLength(s, 'utf8');

/** Expiry printed by the HDT golden JSON in +08:00 (Go trims trailing zeros of the fraction). */
const EXAMPLE_E_EXPIRY = Date.parse('2022-02-18T06:15:29.180+08:00');

const EXAMPLE_RDB: FileFacts = {
  ...CRC,
  version: 9,
  keys: 7,
  types: { hash: 1, string: 3, list: 1, zset: 1, set: 1 },
  rdbTypes: { 'hash-ziplist': 1, string: 3, quicklist: 1, 'zset-ziplist': 1, set: 1 },
  aux: { 'redis-ver': '6.0.6' },
  keyFacts: [
    { key: 'hash', type: 'hash', rdbType: 'hash-ziplist', elements: 2, expireAtMs: null },
    { key: 's', type: 'string', elements: 7, expireAtMs: null },
    { key: 'e', type: 'string', elements: 5, expireAtMs: EXAMPLE_E_EXPIRY },
    { key: 'list', type: 'list', rdbType: 'quicklist', elements: 4 },
    { key: 'zset', type: 'zset', rdbType: 'zset-ziplist', elements: 2 },
    { key: 'large', type: 'string', elements: 2048 },
    { key: 'set', type: 'set', rdbType: 'set', elements: 2 },
  ],
};

const FACTS: Record<string, FileFacts> = {
  // ---------------------------------------------------------------- hdt3213-rdb
  'hdt3213-rdb/easily_compressible_string_key.rdb': {
    ...V3, version: 3, keys: 1,
    keyFacts: [{ key: 'a'.repeat(200), type: 'string', elements: utf8Len('Key that redis should compress easily') }],
  },
  'hdt3213-rdb/empty_database.rdb': { ...V3, version: 3, keys: 0 },
  'hdt3213-rdb/example.rdb': EXAMPLE_RDB,
  'hdt3213-rdb/expiration.rdb': {
    ...CRC, version: 11, keys: 2, types: { string: 2 }, aux: { 'redis-ver': '7.2.5' },
    check: (d) => {
      // HDT TestExpiration: filter 0~1751817600 → 1 key, 1751817600~inf → 0, 1751731200~1751817600 → 1.
      const withTtl = d.records.filter((r) => r.expireAtMs !== null);
      expect(withTtl).toHaveLength(1);
      expect(withTtl[0]?.expireAtMs).toBeGreaterThanOrEqual(1_751_731_200_000);
      expect(withTtl[0]?.expireAtMs).toBeLessThan(1_751_817_600_000);
    },
  },
  'hdt3213-rdb/function.rdb': {
    ...CRC, version: 11, keys: 0,
    aux: { 'redis-ver': '7.2.5', 'redis-bits': '64', ctime: '1767107423', 'used-mem': '1269264', 'aof-base': '0' },
    functions: [{ engine: 'lua', name: 'mylib' }],
  },
  'hdt3213-rdb/hash.rdb': {
    ...V3, version: 3, keys: 1,
    keyFacts: [{ key: 'force_dictionary', type: 'hash', rdbType: 'hash', elements: 1000 }],
  },
  'hdt3213-rdb/hash_as_listpack_with_hfe.rdb': {
    ...CRC, version: 12, keys: 1, aux: { 'redis-ver': '7.4.5' },
    // Field TTLs {F1: 2755482478325, F2: 0, F3: 2755484483878}; 0 = no TTL.
    keyFacts: [{ key: 'listpack-hfe', type: 'hash', rdbType: 'hash-listpack-ex', elements: 3, fieldsWithTtl: 2, minFieldExpireAtMs: 2_755_482_478_325 }],
  },
  'hdt3213-rdb/hash_as_ziplist.rdb': {
    ...V3, version: 4, keys: 1,
    keyFacts: [{ key: 'zipmap_compresses_easily', type: 'hash', rdbType: 'hash-ziplist', elements: 3 }],
  },
  'hdt3213-rdb/hash_with_hfe.rdb': {
    ...CRC, version: 12, keys: 1, aux: { 'redis-ver': '7.4.5' },
    // TTLs shown: F1..F3 set, F4, F5 = 0; the 108-char total leaves exactly `, "F6": 0, "F7": 0, "F8": 0}`.
    keyFacts: [{ key: 'hash-hfe', type: 'hash', rdbType: 'hash-metadata', elements: 8, fieldsWithTtl: 3, minFieldExpireAtMs: 2_755_482_424_661 }],
  },
  'hdt3213-rdb/integer_keys.rdb': {
    ...V3, version: 3, keys: 6, types: { string: 6 },
    keyFacts: [
      { key: '125', elements: utf8Len('Positive 8 bit integer') },
      { key: '43947', elements: utf8Len('Positive 16 bit integer') },
      { key: '183358245', elements: utf8Len('Positive 32 bit integer') },
      { key: '-123', elements: utf8Len('Negative 8 bit integer') },
      { key: '-29477', elements: utf8Len('Negative 16 bit integer') },
      { key: '-183358245', elements: utf8Len('Negative 32 bit integer') },
    ],
  },
  'hdt3213-rdb/intset_16.rdb': { ...V3, version: 3, keys: 1, keyFacts: [{ key: 'intset_16', type: 'set', rdbType: 'intset', elements: 3 }] },
  'hdt3213-rdb/intset_32.rdb': { ...V3, version: 3, keys: 1, keyFacts: [{ key: 'intset_32', type: 'set', rdbType: 'intset', elements: 3 }] },
  'hdt3213-rdb/intset_64.rdb': { ...V3, version: 3, keys: 1, keyFacts: [{ key: 'intset_64', type: 'set', rdbType: 'intset', elements: 3 }] },
  'hdt3213-rdb/issue27.rdb': {
    ...CRC, version: 10, keys: 1, aux: { 'redis-ver': '7.0.14' },
    keyFacts: [{ key: 'mytest', type: 'stream', rdbType: 'stream-listpacks2', elements: 10098, stream: { length: 10098, lastId: '1704268585354-1', groups: 0 } }],
  },
  'hdt3213-rdb/keys_with_expiry.rdb': {
    ...V3, version: 4, keys: 1,
    keyFacts: [{ key: 'expires_ms_precision', type: 'string', elements: utf8Len('2022-12-25 10:11:12.573 UTC'), expireAtMs: 1_671_963_072_573 }],
  },
  'hdt3213-rdb/linkedlist.rdb': {
    ...V3, version: 3, keys: 1,
    keyFacts: [{ key: 'force_linkedlist', type: 'list', rdbType: 'list', elements: 1000 }],
  },
  'hdt3213-rdb/listpack.rdb': {
    ...CRC, version: 10, keys: 3, aux: { 'redis-ver': '7.0.4' },
    keyFacts: [
      { key: 'l', type: 'list', rdbType: 'quicklist2', elements: 9 },
      { key: 'z', type: 'zset', rdbType: 'zset-listpack', elements: 12 },
      { key: 'h', type: 'hash', rdbType: 'hash-listpack', elements: 11 },
    ],
  },
  'hdt3213-rdb/memory.hist-e544a929.rdb': {
    ...CRC, version: 9, keys: 6, aux: { 'redis-ver': '6.0.6' },
    rdbTypes: { string: 2, 'hash-ziplist': 1, quicklist: 1, 'zset-ziplist': 1, set: 1 },
    check: (d) => expect(d.records.filter((r) => r.expireAtMs !== null)).toHaveLength(0), // "no expiry"
  },
  'hdt3213-rdb/memory.rdb': EXAMPLE_RDB,
  'hdt3213-rdb/multiple_databases.rdb': {
    ...V3, version: 3, keys: 2, perDb: { 0: 1, 2: 1 },
    keyFacts: [
      { key: 'key_in_zeroth_database', db: 0, type: 'string', elements: 4 },
      { key: 'key_in_second_database', db: 2, type: 'string', elements: 6 },
    ],
  },
  'hdt3213-rdb/non_ascii_values.rdb': {
    ...CRC, version: 7, keys: 6, types: { string: 6 }, aux: { 'redis-ver': '3.2.6' },
    keyFacts: [
      { key: 'int_value', elements: 3 },
      { key: 'ascii', elements: 10 }, // \x00 ! space ~ 0 \n \t \r A b
      { key: 'bin', elements: 14 }, // \x00 $ space ~ 0 \x7f \xff \n \xaa \t \x80 \r A b
      { key: 'printable', elements: 7 },
      { key: '378', elements: utf8Len('int_key_name') },
      { key: 'utf8', elements: utf8Len('בדיקה\u{1000F}123עברית') },
    ],
  },
  'hdt3213-rdb/parser_filters.rdb': {
    magic: 'REDIS', checksum: 'absent', version: 2, keys: 43, perDb: { 0: 43 },
    // observed: 18 string, 11 list-ziplist, 1 hash(hashtable), 2 hash-zipmap, 3 set(hashtable),
    // 1 list(linked), 3 set-intset, 4 zset-ziplist.
    types: { string: 18, list: 12, hash: 3, set: 6, zset: 4 },
    rdbTypes: { string: 18, ziplist: 11, hash: 1, zipmap: 2, set: 3, list: 1, intset: 3, 'zset-ziplist': 4 },
    keyFacts: [
      { key: 'k1', type: 'string', elements: 8 },
      { key: 'k3', type: 'string', elements: 8 },
      { key: 's1', type: 'string', elements: 562 },
      { key: 's2', type: 'string', elements: utf8Len('now_exists') },
      { key: 'n5b', type: 'string', elements: 4 },
      { key: 'l10', type: 'list', elements: 4 },
      { key: 'l11', type: 'list', elements: 3 },
      { key: 'l12', type: 'list', elements: 3 },
      ...[1, 2, 3, 4, 5].map((n) => ({ key: `b${n}`, type: 'string', elements: n })),
    ],
    check: (d) => {
      expect(names(d).filter((k) => /^k[0-9]$/.test(k)).sort()).toEqual(['k1', 'k3']);
      expect(d.records.filter((r) => r.type === 'zset').map((r) => Buffer.from(r.key).toString()).sort()).toEqual(['z1', 'z2', 'z3', 'z4']);
    },
  },
  'hdt3213-rdb/quicklist.rdb': {
    ...CRC, version: 9, keys: 1, aux: { 'redis-ver': '6.0.6' },
    keyFacts: [{ key: 'list', type: 'list', rdbType: 'quicklist', elements: 6 }],
  },
  'hdt3213-rdb/rdb_version_5_with_checksum.rdb': {
    ...CRC, version: 5, keys: 6, types: { string: 6 },
    keyFacts: [
      { key: 'abcd', elements: 4 },
      { key: 'abc', elements: 3 },
      { key: 'foo', elements: 3 },
      { key: 'bar', elements: 3 },
      { key: 'abcdef', elements: 6 },
      { key: 'longerstring', elements: utf8Len('thisisalongerstring.idontknowwhatitmeans') },
    ],
  },
  'hdt3213-rdb/rdb_version_8_with_64b_length_and_scores.rdb': {
    ...CRC, version: 8, keys: 2, perDb: { 0: 2 }, aux: { 'redis-ver': '3.9.102' },
    keyFacts: [
      { key: 'foo', type: 'string', elements: 3 },
      { key: 'bigset', type: 'zset', rdbType: 'zset2', elements: 1000 },
    ],
  },
  'hdt3213-rdb/regular_set.rdb': { ...V3, version: 3, keys: 1, keyFacts: [{ key: 'regular_set', type: 'set', rdbType: 'set', elements: 6 }] },
  'hdt3213-rdb/regular_sorted_set.rdb': {
    ...V3, version: 3, keys: 1, keyFacts: [{ key: 'force_sorted_set', type: 'zset', rdbType: 'zset', elements: 500 }],
  },
  'hdt3213-rdb/set_listpack.rdb': {
    ...CRC, version: 11, keys: 1, aux: { 'redis-ver': '255.255.255' },
    keyFacts: [{ key: 's', type: 'set', rdbType: 'set-listpack', elements: 4 }],
  },
  'hdt3213-rdb/sorted_set_as_ziplist.rdb': {
    ...V3, version: 3, keys: 1, keyFacts: [{ key: 'sorted_set_as_ziplist', type: 'zset', rdbType: 'zset-ziplist', elements: 3 }],
  },
  'hdt3213-rdb/stream_listoacks_3.rdb': {
    ...CRC, version: 12, keys: 1, aux: { 'redis-ver': '255.255.255' },
    keyFacts: [{ key: 'mystream', type: 'stream', rdbType: 'stream-listpacks3', elements: 1, stream: { length: 1, lastId: '1704557973866-0', groups: 1 } }],
  },
  'hdt3213-rdb/stream_listpacks_1.rdb': {
    ...CRC, version: 9, keys: 5, types: { stream: 5 }, rdbTypes: { 'stream-listpacks': 5 }, aux: { 'redis-ver': '999.999.999' },
    keyFacts: [
      { key: 'test', elements: 1, stream: { length: 1, lastId: '1528468399779-0', groups: 0 } },
      { key: 'my', elements: 3, stream: { length: 3, lastId: '1528468321367-0', groups: 0 } },
      // MANIFEST: 118 live entries in the node listpacks, but the length field (XLEN) says 120.
      { key: 'trim', elements: 120, stream: { length: 120, lastId: '1528512152353-0', groups: 0 } },
      { key: 'listpack', elements: 150, stream: { length: 150, lastId: '1528507831415-0', groups: 4 } },
      { key: 'nums', elements: 18, stream: { length: 18, lastId: '1528508414174-0', groups: 0 } },
    ],
  },
  'hdt3213-rdb/stream_listpacks_2.rdb': {
    ...CRC, version: 10, keys: 1, aux: { 'redis-ver': '7.0.4' },
    keyFacts: [{ key: 'astream', type: 'stream', rdbType: 'stream-listpacks2', elements: 2, stream: { length: 2, lastId: '1681085312465-0', groups: 0 } }],
  },
  'hdt3213-rdb/tree.hist-da997dda.rdb': { ...CRC, version: 9, keys: 3, types: { string: 3 }, aux: { 'redis-ver': '6.0.6' } },
  'hdt3213-rdb/tree.rdb': {
    ...CRC, version: 12, keys: 7, types: { string: 7 }, aux: { 'redis-ver': '255.255.255' },
    check: (d) => {
      // Prefix analysis golden: a → 6 keys, ab → 5 keys, abb → 3 keys.
      const k = names(d);
      expect(k.filter((n) => n.startsWith('a'))).toHaveLength(6);
      expect(k.filter((n) => n.startsWith('ab'))).toHaveLength(5);
      expect(k.filter((n) => n.startsWith('abb'))).toHaveLength(3);
    },
  },
  'hdt3213-rdb/uncompressible_string_keys.rdb': {
    ...V3, version: 3, keys: 3, types: { string: 3 },
    check: (d) => {
      const byLen = new Map(d.records.map((r) => [r.key.length, r.elements]));
      expect(byLen).toEqual(
        new Map([
          [60, utf8Len('Key length within 6 bits')],
          [16382, 49], // "Key length more than 6 bits bu…(49 chars)"
          [16386, 45], // "Key length more than 14 bits b…(45 chars)"
        ]),
      );
    },
  },
  'hdt3213-rdb/valkey_cluster_slot_import.hist-d9794877.rdb': {
    magic: 'VALKEY', checksum: 'ok', version: 80, keys: 0, aux: { 'valkey-ver': '9.0.3' },
    check: (d) => expect(d.info.slotImports).toBeGreaterThan(0),
  },
  'hdt3213-rdb/valkey_cluster_slot_info.hist-84c409fe.rdb': {
    magic: 'VALKEY', checksum: 'ok', version: 80, keys: 1, aux: { 'valkey-ver': '9.0.3' },
    keyFacts: [{ key: '{6ZJ}:fixture', type: 'string', elements: 5 }],
  },
  'hdt3213-rdb/valkey_hash2_with_hfe.rdb': {
    magic: 'VALKEY', checksum: 'ok', version: 80, keys: 1, aux: { 'valkey-ver': '9.0.1' },
    // Field TTLs {F1: 2715785640000, F2: 2400425640000, F3: 0}.
    keyFacts: [{ key: 'hash2-hfe', type: 'hash', rdbType: 'hash2', elements: 3, fieldsWithTtl: 2, minFieldExpireAtMs: 2_400_425_640_000 }],
  },
  'hdt3213-rdb/ziplist_that_compresses_easily.rdb': {
    ...V3, version: 3, keys: 1,
    keyFacts: [{ key: 'ziplist_compresses_easily', type: 'list', rdbType: 'ziplist', elements: 6, largestElementAtLeast: 36 }],
  },
  'hdt3213-rdb/ziplist_that_doesnt_compress.rdb': {
    ...V3, version: 3, keys: 1, keyFacts: [{ key: 'ziplist_doesnt_compress', type: 'list', rdbType: 'ziplist', elements: 2 }],
  },
  'hdt3213-rdb/ziplist_with_integers.rdb': {
    ...CRC, version: 6, keys: 1, keyFacts: [{ key: 'ziplist_with_integers', type: 'list', rdbType: 'ziplist', elements: 24 }],
  },
  'hdt3213-rdb/zipmap_big_len.rdb': {
    ...V3, version: 3, keys: 1, keyFacts: [{ key: 'zimap_doesnt_compress', type: 'hash', rdbType: 'zipmap', elements: 2 }],
  },
  'hdt3213-rdb/zipmap_that_compresses_easily.rdb': {
    ...V3, version: 3, keys: 1, keyFacts: [{ key: 'zipmap_compresses_easily', type: 'hash', rdbType: 'zipmap', elements: 3 }],
  },
  'hdt3213-rdb/zipmap_that_doesnt_compress.rdb': {
    ...V3, version: 3, keys: 1, keyFacts: [{ key: 'zimap_doesnt_compress', type: 'hash', rdbType: 'zipmap', elements: 2 }],
  },
  'hdt3213-rdb/zipmap_with_big_values.rdb': {
    ...CRC, version: 6, keys: 1,
    keyFacts: [{ key: 'zipmap_with_big_values', type: 'hash', rdbType: 'hash-ziplist', elements: 5, largestElementAtLeast: 20000 }],
  },

  // ---------------------------------------------------------------- redis
  'redis/corrupt_empty_keys.hist-8f260d49.rdb': { ...CRC, version: 9, emptyContainers: 8 },
  'redis/corrupt_empty_keys.hist-bc2b4f20.rdb': { ...CRC, version: 9, emptyContainers: 6 },
  'redis/corrupt_empty_keys.hist-c28c6501.rdb': { ...CRC, version: 9, emptyContainers: 9 },
  'redis/corrupt_empty_keys.rdb': { ...CRC, version: 10, emptyContainers: 9 },
  'redis/corrupt_ziplist.rdb': { magic: 'REDIS', version: 7, refuse: true },
  'redis/encodings.rdb': {
    ...V3, version: 4, keys: 13, perDb: { 0: 13 },
    types: { string: 3, hash: 2, list: 2, set: 4, zset: 2 },
    rdbTypes: { zset: 1, intset: 3, ziplist: 1, string: 3, set: 1, list: 1, 'hash-ziplist': 1, 'zset-ziplist': 1, hash: 1 },
    keyFacts: [
      { key: 'compressible', type: 'string' },
      { key: 'hash', type: 'hash', rdbType: 'hash' },
      { key: 'hash_zipped', type: 'hash', rdbType: 'hash-ziplist', elements: 3 },
      { key: 'list', type: 'list', rdbType: 'list', elements: 24 },
      { key: 'list_zipped', type: 'list', rdbType: 'ziplist' },
      { key: 'number', type: 'string', elements: 2 },
      { key: 'set', type: 'set', rdbType: 'set' },
      { key: 'set_zipped_1', type: 'set', rdbType: 'intset' },
      { key: 'set_zipped_2', type: 'set', rdbType: 'intset' },
      { key: 'set_zipped_3', type: 'set', rdbType: 'intset' },
      { key: 'string', type: 'string', elements: utf8Len('Hello World') },
      { key: 'zset', type: 'zset', rdbType: 'zset' },
      { key: 'zset_zipped', type: 'zset', rdbType: 'zset-ziplist' },
    ],
  },
  'redis/hash-ziplist.hist-bc3f8b9d.rdb': {
    ...CRC, version: 9, keys: 1, keyFacts: [{ key: 'hash', type: 'hash', rdbType: 'hash-ziplist', elements: 2 }],
  },
  'redis/hash-ziplist.rdb': { ...CRC, version: 9, keys: 1, keyFacts: [{ key: 'hash', type: 'hash', rdbType: 'hash-ziplist', elements: 2 }] },
  'redis/hash-zipmap.rdb': { ...V3, version: 3, keys: 1, keyFacts: [{ key: 'hash', type: 'hash', rdbType: 'zipmap', elements: 2 }] },
  'redis/list-quicklist.rdb': {
    ...CRC, version: 8, keys: 2, aux: { 'redis-ver': '4.0.9' },
    keyFacts: [
      { key: 'x', type: 'string', elements: 1 },
      // "a quicklist of ziplists containing 7": one node whose ziplist header says zllen = 1 (read off the bytes).
      { key: 'list', type: 'list', rdbType: 'quicklist', elements: 1 },
    ],
  },
  'redis/scriptbackup.rdb': {
    ...CRC, version: 10, keys: 0, aux: { 'redis-ver': '255.255.255' },
    functions: [{ engine: 'lua' }],
  },
  'redis/swap__hash.hist-6838ef95.rdb': {
    ...CRC, version: 9, keys: 1, rdbTypes: { 'hash-ziplist': 1 }, aux: { 'redis-ver': '6.2.6' },
  },
  'redis/swap__kv.hist-1fae43d6.rdb': { ...CRC, version: 9, keys: 1, keyFacts: [{ key: 'k', type: 'string', elements: 1 }] },
  'redis/test.hist-bc3aeb84.rdb': { ...CRC, version: 9, keys: 5442, types: { string: 5442 } },
  'redis/zset-ziplist.hist-6219ac1b.rdb': {
    ...CRC, version: 9, keys: 1, keyFacts: [{ key: 'zset', type: 'zset', rdbType: 'zset-ziplist', elements: 2 }],
  },
  'redis/zset-ziplist.rdb': { ...CRC, version: 10, keys: 1, keyFacts: [{ key: 'zset', type: 'zset', rdbType: 'zset-ziplist', elements: 2 }] },
};

function countBy<T>(items: T[], f: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) out[f(t)] = (out[f(t)] ?? 0) + 1;
  return out;
}

/** Asserts one file's facts; returns nothing, throws on the first disagreement. */
function assertFacts(rel: string, d: ParsedDump, f: FileFacts): void {
  if (f.magic) expect(d.info.magic).toBe(f.magic);
  if (f.version !== undefined) expect(d.info.version).toBe(f.version);

  if (f.refuse) {
    expect(d.error, `${rel} must be refused`).not.toBeNull();
    expect(d.info.complete).toBe(false);
    expect(d.info.error).toBe(d.error);
    expect(d.error?.offset, 'a refusal names the byte offset').not.toBeNull();
    expect(d.error?.key, 'a refusal inside a value names the key').not.toBeNull();
    return;
  }

  expect(d.error?.message ?? null).toBeNull();
  if (f.emptyContainers !== undefined) {
    expect(d.records).toHaveLength(f.emptyContainers);
    expect(d.records.filter((r) => !isEmptyCollection(r)).map((r) => Buffer.from(r.key).toString())).toEqual([]);
  }
  expect(d.info.emptyKeys).toBe(f.emptyContainers ?? 0);
  expect(d.info.complete).toBe(true);
  if (f.checksum) expect(d.info.checksum.status).toBe(f.checksum);

  if (f.keys !== undefined) {
    expect(d.records).toHaveLength(f.keys);
    expect(d.info.keys).toBe(f.keys);
  }
  if (f.perDb) expect(countBy(d.records, (r) => String(r.db))).toEqual(Object.fromEntries(Object.entries(f.perDb).map(([k, v]) => [k, v])));
  if (f.types) expect(countBy(d.records, (r) => r.type)).toEqual(f.types);
  if (f.rdbTypes) expect(countBy(d.records, (r) => r.rdbType)).toEqual(f.rdbTypes);
  for (const [k, v] of Object.entries(f.aux ?? {})) expect(auxValue(d.info, k), `aux ${k}`).toBe(v);
  if (f.functions) {
    expect(d.info.functions).toHaveLength(f.functions.length);
    f.functions.forEach((want, i) => {
      expect(d.info.functions[i]?.engine.toLowerCase()).toBe(want.engine);
      if (want.name !== undefined) expect(d.info.functions[i]?.name).toBe(want.name);
    });
  }
  for (const kf of f.keyFacts ?? []) {
    const matches = d.records.filter((r) => Buffer.from(r.key).equals(Buffer.from(kf.key, 'utf8')) && (kf.db === undefined || r.db === kf.db));
    const label = `${rel} key ${JSON.stringify(kf.key.length > 40 ? `${kf.key.slice(0, 40)}…` : kf.key)}`;
    expect(matches, label).toHaveLength(1);
    const r = matches[0]!;
    if (kf.type !== undefined) expect(r.type, `${label} type`).toBe(kf.type);
    if (kf.rdbType !== undefined) expect(r.rdbType, `${label} rdbType`).toBe(kf.rdbType);
    if (kf.elements !== undefined) expect(r.elements, `${label} elements`).toBe(kf.elements);
    if (kf.expireAtMs !== undefined) expect(r.expireAtMs, `${label} expireAtMs`).toBe(kf.expireAtMs);
    if (kf.fieldsWithTtl !== undefined) expect(r.fieldsWithTtl, `${label} fieldsWithTtl`).toBe(kf.fieldsWithTtl);
    if (kf.minFieldExpireAtMs !== undefined) expect(r.minFieldExpireAtMs, `${label} minFieldExpireAtMs`).toBe(kf.minFieldExpireAtMs);
    if (kf.largestElementAtLeast !== undefined) expect(r.largestElementBytes, `${label} largestElementBytes`).toBeGreaterThanOrEqual(kf.largestElementAtLeast);
    if (kf.stream) {
      expect(r.stream?.length, `${label} stream.length`).toBe(kf.stream.length);
      expect(r.stream?.lastId, `${label} stream.lastId`).toBe(kf.stream.lastId);
      expect(r.stream?.groups, `${label} stream.groups`).toBe(kf.stream.groups);
    }
  }
  f.check?.(d);
}

const SUBDIRS = ['redis', 'hdt3213-rdb'] as const;

describe.skipIf(!corpusPresent())('shared corpus (redis, hdt3213-rdb) against MANIFEST.md', () => {
  const files = SUBDIRS.flatMap((sub) =>
    corpusPresent(sub)
      ? readdirSync(path.join(CORPUS_DIR, sub))
          .filter((f) => f.endsWith('.rdb'))
          .sort()
          .map((f) => `${sub}/${f}`)
      : [],
  );

  it('has a facts row for every file on disk, and a file for every row', () => {
    expect(files.filter((f) => !(f in FACTS))).toEqual([]);
    expect(Object.keys(FACTS).filter((f) => !files.includes(f))).toEqual([]);
  });

  for (const rel of files) {
    it(rel, async () => {
      const d = await parseDump(path.join(CORPUS_DIR, rel));
      // Any file: either parses or ends with an RdbError — parseDump rethrows anything else.
      const facts = FACTS[rel];
      if (facts) assertFacts(rel, d, facts);
      else expect(d.error === null || d.error.code.length > 0).toBe(true);
    });
  }
});

if (!corpusPresent()) {
  describe('shared corpus', () => {
    it.skip(`skipped: ${CORPUS_DIR} is absent (the corpus is read in place, never copied into the project)`, () => {});
  });
}

/** What `info --format json` prints that these checks read. */
interface InfoJson {
  magic: string | null;
  version: number | null;
  keys: number;
  emptyKeys: number;
  duplicateKeys: number | null;
  keysPerDb: Record<string, number>;
  keysPerType: Record<string, number>;
  functions: { engine: string; name: string }[];
}

/** Keys per MANIFEST: the facts row, or for modern/ the server's own rows (`.oracle.tsv`, = DBSIZE). */
function manifestKeys(rel: string): { keys: number; empty: number; facts: FileFacts | null } {
  const facts = FACTS[rel];
  if (facts) return { keys: facts.keys ?? facts.emptyContainers ?? -1, empty: facts.emptyContainers ?? 0, facts };
  const oracle = readFileSync(path.join(CORPUS_DIR, rel.replace(/\.rdb$/, '.oracle.tsv')), 'utf8').trimEnd().split('\n');
  return { keys: oracle.length - 1, empty: 0, facts: null };
}

/**
 * What `info --format json` and `keys` print for a dump (infoJson, keyRow: the commands' own
 * functions, run in process), checked against the MANIFEST.
 */
function assertCommandOutput(rel: string, d: ParsedDump): void {
  const want = manifestKeys(rel);
  const duplicates = new DuplicateKeyCheck();
  for (const r of d.records) duplicates.add(r.db, r.key);
  const j = infoJson(d.info, d.compression, duplicates.checked ? duplicates.duplicateKeys : null) as InfoJson;
  const rows = d.records.map(keyRow);
  if (want.facts?.refuse) return;
  expect(j.keys).toBe(want.keys);
  expect(rows).toHaveLength(want.keys);
  expect(j.emptyKeys).toBe(want.empty);
  expect(rows.filter((r) => r.emptyDroppedOnLoad)).toHaveLength(want.empty);
  // Real dumps hold no repeated key; all of these are small enough for the in-memory check.
  expect(j.duplicateKeys).toBe(0);
  const f = want.facts;
  if (f === null) return;
  if (f.magic) expect(j.magic).toBe(f.magic);
  if (f.version !== undefined) expect(j.version).toBe(f.version);
  if (f.perDb) expect(j.keysPerDb).toEqual(Object.fromEntries(Object.entries(f.perDb).map(([k, v]) => [k, v])));
  if (f.types) {
    expect(j.keysPerType).toEqual(f.types);
    expect(countBy(rows, (r) => String(r.type))).toEqual(f.types);
  }
  if (f.functions) expect(j.functions.map((fn) => fn.engine.toLowerCase())).toEqual(f.functions.map((fn) => fn.engine));
}

describe.skipIf(!corpusPresent())('shared corpus: what info and keys print agrees with MANIFEST.md', () => {
  const files = [...SUBDIRS, 'modern'].flatMap((sub) =>
    corpusPresent(sub) ? readdirSync(path.join(CORPUS_DIR, sub)).filter((f) => f.endsWith('.rdb')).sort().map((f) => `${sub}/${f}`) : [],
  );
  for (const rel of files) it(rel, async () => assertCommandOutput(rel, await parseDump(path.join(CORPUS_DIR, rel))));
});

describe.skipIf(!corpusPresent() || !cliBuilt)('shared corpus through the built CLI', () => {
  const cli = (...args: string[]) => runCli(args, PROJECT_ROOT);
  const corpus = (rel: string) => path.join(CORPUS_DIR, rel);

  it('corrupt_empty_keys.rdb: every key listed and flagged, counted by info', () => {
    const info = cli('info', corpus('redis/corrupt_empty_keys.rdb'));
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^keys +9$/m);
    expect(info.stdout).toMatch(/^empty keys +9 \(lists, sets, zsets or hashes without elements: a server drops them on load\)$/m);
    const keys = cli('keys', corpus('redis/corrupt_empty_keys.rdb'));
    const rows = keys.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { emptyDroppedOnLoad: boolean; memoryBytes: number | null });
    expect(rows.map((r) => [r.emptyDroppedOnLoad, r.memoryBytes])).toEqual(Array.from({ length: 9 }, () => [true, null]));
  });

  it('corrupt_ziplist.rdb: refused by both, one line naming the byte', () => {
    for (const cmd of ['info', 'keys']) {
      const r = cli(cmd, corpus('redis/corrupt_ziplist.rdb'));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/ at byte \d+ \(key ".*"\) \[BAD_[A-Z]+\]\n$/);
    }
  });

  it.skipIf(!corpusPresent('modern'))('a modern dump: as many keys as the server loaded', () => {
    const rel = 'modern/valkey-9.0.4-mixed.rdb';
    const info = JSON.parse(cli('info', corpus(rel), '--format', 'json').stdout) as InfoJson;
    expect(info.keys).toBe(manifestKeys(rel).keys);
    expect(info.duplicateKeys).toBe(0);
    const csv = cli('keys', corpus(rel), '--format', 'csv');
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.trimEnd().split('\n')[0]!.endsWith(',emptyDroppedOnLoad')).toBe(true);
  });
});
