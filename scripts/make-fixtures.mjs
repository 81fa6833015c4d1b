#!/usr/bin/env node
// @ts-check
/**
 * Writes the committed fixtures: small dumps saved by a real redis-server plus, for each, a
 * `<name>.truth.json` with the server's own answers for every key (TYPE, OBJECT ENCODING, PTTL,
 * PEXPIRETIME, STRLEN/LLEN/…, MEMORY USAGE, XINFO). Tests compare our parser with those answers.
 *
 *   node scripts/make-fixtures.mjs            # all fixtures
 *   node scripts/make-fixtures.mjs mixed-7.0  # only the named ones
 *
 * Content is seeded; the bytes still differ run to run (ctime / used-mem AUX, relative TTLs).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startRedis } from './lib/redis-server.mjs';
import { auxInt, withCtime } from './lib/rdb-patch.mjs';
import {
  Rng,
  chunked,
  collectTruth,
  hashCommands,
  listCommands,
  serverFacts,
  setCommands,
  streamCommands,
  zsetCommands,
} from './lib/dataset.mjs';

/** @typedef {import('./lib/resp.mjs').RespClient} RespClient */
/** @typedef {import('./lib/resp.mjs').RespArg} RespArg */
/** @typedef {import('./lib/dataset.mjs').KeyTruth} KeyTruth */

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** Config that decides encodings and file layout; recorded in every truth file. */
const CONFIG_NAMES = [
  'list-max-listpack-size',
  'list-compress-depth',
  'hash-max-listpack-entries',
  'hash-max-listpack-value',
  'zset-max-listpack-entries',
  'zset-max-listpack-value',
  'set-max-intset-entries',
  'rdbcompression',
  'rdbchecksum',
  'maxmemory-policy',
];

/** A fixed absolute expiry (2100-01-01T00:00:00.123Z) so some expiries are byte-stable. */
const YEAR_2100_MS = 4_102_444_800_123;

/**
 * @param {RespClient} client
 * @param {number} db
 * @param {RespArg[][]} cmds
 */
async function inDb(client, db, cmds) {
  await client.pipeline([['SELECT', db], ...cmds, ['SELECT', 0]]);
}

/**
 * JSON with one key per line: readable diffs when fixtures are regenerated, and small files.
 * @param {{ keys: KeyTruth[] } & Record<string, unknown>} truth
 */
function truthJson(truth) {
  const { keys, ...head } = truth;
  const top = JSON.stringify({ ...head, keys: [] }, null, 1);
  const lines = keys.map((k) => ` ${JSON.stringify(k)}`).join(',\n');
  return `${top.replace(/"keys": \[\]\n}$/, `"keys": [\n${lines}\n ]\n}`)}\n`;
}

/**
 * Saves, copies the dump to fixtures/<name>.rdb, writes <name>.truth.json.
 * @param {{ client: RespClient, save: () => Promise<string> }} server
 * @param {string} name
 * @param {Record<string, unknown>} [notes]
 * @returns {Promise<KeyTruth[]>}
 */
async function snapshot(server, name, notes = {}) {
  const dump = await server.save();
  const rdbPath = path.join(FIXTURES, `${name}.rdb`);
  copyFileSync(dump, rdbPath);
  const bytes = readFileSync(rdbPath);
  const keys = await collectTruth(server.client);
  const facts = await serverFacts(server.client, bytes, CONFIG_NAMES);
  const truth = {
    generator: 'scripts/make-fixtures.mjs',
    file: `${name}.rdb`,
    fileBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    server: facts,
    notes,
    keyCount: keys.length,
    keys,
  };
  writeFileSync(path.join(FIXTURES, `${name}.truth.json`), truthJson(truth));
  console.log(`${name}.rdb: ${bytes.length} bytes, ${keys.length} keys`);
  return keys;
}

/**
 * Runs one fixture on a fresh server.
 * @param {string[]} extraArgs
 * @param {(server: import('./lib/redis-server.mjs').RunningRedis) => Promise<void>} body
 */
async function withServer(extraArgs, body) {
  const server = await startRedis({ extraArgs });
  try {
    await body(server);
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------

/** Keys whose names a CSV, a terminal or a UTF-8 decoder can get wrong. */
const AWKWARD_KEYS = [
  Buffer.from([0x00]),
  Buffer.from([0xff]),
  Buffer.from([0xc3, 0x28, 0x61]), // invalid UTF-8 sequence
  Buffer.from([0x00, 0x01, 0x02, 0xfe, 0xff]),
  Buffer.from('line\nbreak'),
  Buffer.from('carriage\rreturn'),
  Buffer.from('tab\tkey'),
  Buffer.from('quote"d'),
  Buffer.from("single'quote"),
  Buffer.from('comma,key'),
  Buffer.from('=SUM(A1:A2)'),
  Buffer.from('+cmd'),
  Buffer.from('-minus'),
  Buffer.from('@at'),
  Buffer.from('ключ:юникод:🔑'),
  Buffer.from('back\\slash'),
  Buffer.from(' leading and trailing space '),
  Buffer.alloc(0), // the empty key
];

/** @param {RespClient} client */
async function writeMixed(client) {
  const rng = new Rng(70_001);

  // Strings: every OBJECT ENCODING (int, embstr ≤ 44 bytes, raw) and LZF (> 20 bytes, compressible).
  /** @type {RespArg[][]} */
  const strings = [
    ['SET', 'str:int:0', '0'],
    ['SET', 'str:int:small', '12'],
    ['SET', 'str:int:neg', '-123456'],
    ['SET', 'str:int:max', '9223372036854775807'],
    ['SET', 'str:int:min', '-9223372036854775808'],
    ['SET', 'str:notint:leadingzero', '007'],
    ['SET', 'str:notint:toolong', '99999999999999999999'],
    ['SET', 'str:embstr', 'hello world'],
    ['SET', 'str:embstr:44', 'e'.repeat(44)],
    ['SET', 'str:raw:45', rng.alnum(45)],
    ['SET', 'str:raw:random', rng.alnum(700)],
    ['SET', 'str:lzf:abc', 'abc'.repeat(1000)],
    ['SET', 'str:lzf:big', 'ab'.repeat(20_000)],
    ['SET', 'str:binary', rng.bytes(300)],
    ['SET', 'str:empty', ''],
    ['SET', 'str:appended', 'x'],
    ['APPEND', 'str:appended', 'y'.repeat(60)],
    ['SETRANGE', 'str:setrange', 100, 'z'],
  ];
  for (let i = 0; i < 40; i++) strings.push(['SET', `str:many:${i}`, rng.alnum(rng.int(1, 120))]);
  await client.pipeline(strings);

  // Lists without compression, then with list-compress-depth 1 (inner nodes LZF-compressed,
  // rdb-format.md §4.4), then PLAIN nodes for elements over the packed threshold.
  await client.pipeline([
    ['RPUSH', 'list:small', 'a', 'b', 'c', '1', '2', '-3'],
    ...listCommands(rng, 'list:random', 80, 0.05),
    ...Array.from({ length: 3 }, (_, n) => ['RPUSH', 'list:multinode', ...Array.from({ length: 1000 }, (_, i) => `elem-${n}-${i}-${rng.alnum(4)}`)]),
    ['RPUSH', 'list:ints', ...Array.from({ length: 700 }, (_, i) => String(i * 37 - 9000))],
  ]);
  await client.call('CONFIG', 'SET', 'list-compress-depth', '1');
  await client.pipeline([
    ...Array.from({ length: 4 }, (_, n) => ['RPUSH', 'list:compressed', ...Array.from({ length: 800 }, (_, i) => `compressible-item-${n}-${String(i).padStart(5, '0')}`)]),
    ['RPUSH', 'list:compressed:small', 'only', 'one', 'node'],
  ]);
  await client.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1000');
  await client.pipeline([
    ['RPUSH', 'list:plain', 'small-1', 'p'.repeat(1500), 'small-2', rng.alnum(3000), 'small-3', 'q'.repeat(5000), 'small-4'],
    ['RPUSH', 'list:plain:only', rng.alnum(1200), rng.alnum(1300)],
  ]);
  await client.call('CONFIG', 'SET', 'list-compress-depth', '0');

  // Hashes: listpack (small) and hashtable (many fields / one long value).
  await client.pipeline([
    ['HSET', 'hash:listpack', 'name', 'Ada', 'age', '36', 'lang', 'en', 'neg', '-7'],
    ...hashCommands(rng, 'hash:listpack:random', 60, 0),
    ...hashCommands(rng, 'hash:hashtable:many', 600, 0),
    ['HSET', 'hash:hashtable:longvalue', 'f', 'v'.repeat(100), 'g', 'short'],
    ['HSET', 'hash:hashtable:longfield', 'k'.repeat(80), 'v'],
  ]);

  // Sets: intset of each width (16/32/64-bit), hashtable (strings, or > 512 integers).
  await client.pipeline([
    ['SADD', 'set:intset:16', '1', '2', '3', '-32768', '32767'],
    ['SADD', 'set:intset:32', '1', '70000', '-2147483648'],
    ['SADD', 'set:intset:64', '1', '9223372036854775807', '-9223372036854775808'],
    ['SADD', 'set:intset:512', ...Array.from({ length: 512 }, (_, i) => String(i * 3))],
    ['SADD', 'set:hashtable:513ints', ...Array.from({ length: 513 }, (_, i) => String(i * 3))],
    ['SADD', 'set:hashtable:strings', 'alpha', 'beta', 'gamma', 'delta'],
    ...setCommands(rng, 'set:random', 200),
  ]);

  // Sorted sets: listpack (≤ 128 members, ≤ 64 bytes) and skiplist.
  await client.pipeline([
    ['ZADD', 'zset:listpack', '1', 'one', '2.5', 'two-and-half', '-3', 'minus-three', 'inf', 'infinite', '-inf', 'neg-infinite'],
    ...zsetCommands(rng, 'zset:listpack:128', 128, 0),
    ...zsetCommands(rng, 'zset:skiplist:129', 129, 0),
    ...zsetCommands(rng, 'zset:skiplist:big', 700, 0),
    ['ZADD', 'zset:skiplist:longmember', '1', 'm'.repeat(65), '2', 'short'],
  ]);

  // Streams: plain, deletions, trimmed, an empty one with a group, and consumer groups with
  // consumers and pending entries (read without XACK).
  /** @type {RespArg[][]} */
  const streams = [];
  for (let i = 1; i <= 120; i++) streams.push(['XADD', 'stream:plain', `1700000000000-${i}`, 'temp', String(20 + (i % 7)), 'hum', String(40 + (i % 11))]);
  for (let i = 1; i <= 60; i++) streams.push(['XADD', 'stream:deleted', `1700000001000-${i}`, 'v', String(i)]);
  streams.push(['XDEL', 'stream:deleted', '1700000001000-1', '1700000001000-2', '1700000001000-30']);
  for (let i = 1; i <= 200; i++) streams.push(['XADD', 'stream:trimmed', '*', 'n', String(i)]);
  streams.push(['XTRIM', 'stream:trimmed', 'MAXLEN', '50']);
  streams.push(['XGROUP', 'CREATE', 'stream:empty', 'g-empty', '$', 'MKSTREAM']);
  for (let i = 1; i <= 40; i++) streams.push(['XADD', 'stream:groups', `1700000002000-${i}`, 'job', `task-${i}`, 'prio', String(i % 3)]);
  streams.push(
    ['XGROUP', 'CREATE', 'stream:groups', 'workers', '0'],
    ['XGROUP', 'CREATE', 'stream:groups', 'auditors', '0'],
    ['XGROUP', 'CREATE', 'stream:groups', 'idle-group', '$'],
    ['XREADGROUP', 'GROUP', 'workers', 'alice', 'COUNT', '5', 'STREAMS', 'stream:groups', '>'],
    ['XREADGROUP', 'GROUP', 'workers', 'bob', 'COUNT', '7', 'STREAMS', 'stream:groups', '>'],
    ['XACK', 'stream:groups', 'workers', '1700000002000-1', '1700000002000-2'],
    ['XREADGROUP', 'GROUP', 'auditors', 'carol', 'COUNT', '3', 'STREAMS', 'stream:groups', '>'],
    ['XGROUP', 'CREATECONSUMER', 'stream:groups', 'auditors', 'dave'],
  );
  streams.push(...streamCommands(rng, 'stream:random', 150));
  await client.pipeline(streams);

  // Function library (FUNCTION2 opcode, rdb-format.md §3.1).
  await client.call('FUNCTION', 'LOAD', "#!lua name=mylib\n redis.register_function('f', function() return 1 end)");

  // Expiries: seconds and milliseconds, relative and absolute (all saved as absolute ms).
  await client.pipeline([
    ['SET', 'ttl:expire:seconds', 'v', 'EX', '86400'],
    ['SET', 'ttl:pexpire:ms', 'v'],
    ['PEXPIRE', 'ttl:pexpire:ms', '123456789'],
    ['SET', 'ttl:pexpireat:2100', 'v'],
    ['PEXPIREAT', 'ttl:pexpireat:2100', String(YEAR_2100_MS)],
    ['SET', 'ttl:expireat', 'v'],
    ['EXPIREAT', 'ttl:expireat', '4000000000'],
    ['RPUSH', 'ttl:list', 'a', 'b'],
    ['EXPIRE', 'ttl:list', '7200'],
    ['HSET', 'ttl:hash', 'f', 'v'],
    ['PEXPIRE', 'ttl:hash', '999999999'],
    ['XADD', 'ttl:stream', '1-1', 'f', 'v'],
    ['EXPIRE', 'ttl:stream', '3600'],
  ]);

  // Awkward key names, each holding a small value of a rotating type.
  const awkward = AWKWARD_KEYS.map((key, i) => {
    switch (i % 4) {
      case 0:
        return ['SET', key, `awkward-${i}`];
      case 1:
        return ['RPUSH', key, 'x', 'y'];
      case 2:
        return ['HSET', key, 'f', 'v'];
      default:
        return ['SADD', key, 'm1', 'm2', 'm3'];
    }
  });
  await client.pipeline(awkward);

  // Other dbs.
  await inDb(client, 1, [
    ['SET', 'db1:string', 'one'],
    ['RPUSH', 'db1:list', '1', '2', '3'],
    ['SET', Buffer.from([0xff]), 'same name as a db0 key'],
    ['SET', 'db1:ttl', 'x', 'PX', '5000000'],
  ]);
  await inDb(client, 5, [
    ['SET', 'db5:string', 'five'],
    ['ZADD', 'db5:zset', '5', 'five'],
    ['SET', 'str:int:small', '99'], // same key name as in db 0
  ]);
  await inDb(client, 15, [
    ['HSET', 'db15:hash', 'a', '1'],
    ['SADD', 'db15:set', '15'],
    ['XADD', 'db15:stream', '15-15', 'f', 'v'],
  ]);
}

/** @param {RespClient} client @param {string} prefix */
async function writeSmallMix(client, prefix, count = 30) {
  const rng = new Rng(prefix.length * 1000 + count);
  /** @type {RespArg[][]} */
  const cmds = [];
  for (let i = 0; i < count; i++) {
    const key = `${prefix}:${i}`;
    switch (i % 5) {
      case 0:
        cmds.push(['SET', key, rng.alnum(rng.int(1, 200))]);
        break;
      case 1:
        cmds.push(...listCommands(rng, key, rng.int(1, 20), 0));
        break;
      case 2:
        cmds.push(...hashCommands(rng, key, rng.int(1, 20), 0));
        break;
      case 3:
        cmds.push(...setCommands(rng, key, rng.int(1, 20)));
        break;
      default:
        cmds.push(...zsetCommands(rng, key, rng.int(1, 20), 0));
    }
    if (i % 7 === 0) cmds.push(['PEXPIRE', key, String(86_400_000 + i)]);
  }
  await client.pipeline(cmds);
}

// ---------------------------------------------------------------------------------------------

/** @param {string[]} only */
async function makeMixed(only) {
  if (!wanted(only, 'mixed-7.0')) return;
  await withServer([], async (server) => {
    await writeMixed(server.client);
    await snapshot(server, 'mixed-7.0', {
      about: 'every type and encoding Redis 7.0 writes; list-compress-depth 1 and QUICKLIST-PACKED-THRESHOLD 1000 were set while writing some lists',
    });
  });
  const rdb = path.join(FIXTURES, 'mixed-7.0.rdb');
  writeFileSync(`${rdb}.gz`, gzipSync(readFileSync(rdb), { level: 9 }));
  const lz4 = ['/usr/bin/lz4', 'lz4'].find((p) => p === 'lz4' || existsSync(p));
  try {
    execFileSync(/** @type {string} */ (lz4), ['-z', '-f', '-q', rdb, `${rdb}.lz4`]);
  } catch (err) {
    console.warn(`lz4 command failed; mixed-7.0.rdb.lz4 not written: ${String(err)}`);
  }
}

/** @param {string[]} only */
async function makeLfuLru(only) {
  if (wanted(only, 'lfu-7.0')) {
    await withServer(['--maxmemory-policy', 'allkeys-lfu'], async (server) => {
      await writeSmallMix(server.client, 'lfu');
      // Hot keys: repeated reads raise the LFU counter (saved as the FREQ opcode, §3.2).
      /** @type {RespArg[][]} */
      const reads = [];
      for (let r = 0; r < 2000; r++) reads.push(['GET', 'lfu:0'], ['GET', 'lfu:5']);
      for (let r = 0; r < 50; r++) reads.push(['LLEN', 'lfu:1']);
      await server.client.pipeline(reads);
      await snapshot(server, 'lfu-7.0', { about: 'maxmemory-policy allkeys-lfu: FREQ opcode before every key; lfuFreq = OBJECT FREQ' });
    });
  }
  if (wanted(only, 'lru-7.0')) {
    await withServer(['--maxmemory-policy', 'allkeys-lru'], async (server) => {
      await writeSmallMix(server.client, 'lru');
      // Let the idle clock run, then touch some keys so idle times differ (IDLE opcode, §3.2).
      await new Promise((r) => setTimeout(r, 3_200));
      await server.client.pipeline([['GET', 'lru:0'], ['GET', 'lru:5'], ['LLEN', 'lru:1']]);
      await snapshot(server, 'lru-7.0', {
        about: 'maxmemory-policy allkeys-lru: IDLE opcode before every key; idleSeconds = OBJECT IDLETIME read right after SAVE (may lag the file by ≤ 1 s)',
      });
    });
  }
}

/** @param {string[]} only */
async function makeNoCompressNoChecksum(only) {
  if (wanted(only, 'nocompress-7.0')) {
    await withServer(['--rdbcompression', 'no'], async (server) => {
      await writeSmallMix(server.client, 'nocomp');
      await server.client.pipeline([
        ['SET', 'nocomp:compressible', 'ab'.repeat(5000)],
        ['RPUSH', 'nocomp:list', ...Array.from({ length: 500 }, (_, i) => `item-${i}`)],
      ]);
      await snapshot(server, 'nocompress-7.0', { about: 'rdbcompression no: no LZF strings anywhere' });
    });
  }
  if (wanted(only, 'nochecksum-7.0')) {
    await withServer(['--rdbchecksum', 'no'], async (server) => {
      await writeSmallMix(server.client, 'nocrc');
      await snapshot(server, 'nochecksum-7.0', { about: 'rdbchecksum no: the 8-byte CRC64 trailer is zero (§1.4)' });
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Growth: one server, two snapshots, known changes per key pattern between them.

/** Key patterns of the growth fixtures and how a key name maps to one. */
const GROWTH_PATTERNS = [
  ['user:*:profile', /^user:\d+:profile$/],
  ['session:*', /^session:[0-9a-f-]{36}$/],
  ['cache:page:*', /^cache:page:[0-9a-f]+$/],
  ['queue:*', /^queue:\d+$/],
  ['leaderboard:*', /^leaderboard:\d+$/],
  ['rate:*', /^rate:\d+\.\d+\.\d+\.\d+$/],
  ['config', /^config$/],
];

/** @param {Buffer} key */
function patternOf(key) {
  const name = key.toString('latin1');
  for (const [pattern, re] of GROWTH_PATTERNS) if (/** @type {RegExp} */ (re).test(name)) return /** @type {string} */ (pattern);
  return '(other)';
}

/** @param {Rng} rng */
function uuid(rng) {
  const h = rng.hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Per pattern: key count, Σ elements, Σ MEMORY USAGE, and key names, all from server truth.
 * @param {KeyTruth[]} keys
 */
function summarizeByPattern(keys) {
  /** @type {Map<string, { keys: number, elements: number, memoryUsage: number, withTtl: number, names: Set<string> }>} */
  const out = new Map();
  for (const k of keys) {
    const p = patternOf(Buffer.from(k.keyHex, 'hex'));
    const s = out.get(p) ?? { keys: 0, elements: 0, memoryUsage: 0, withTtl: 0, names: new Set() };
    s.keys++;
    s.elements += k.elements;
    s.memoryUsage += k.memoryUsage;
    if (k.expireAtMs !== null) s.withTtl++;
    s.names.add(`${k.db}:${k.keyHex}`);
    out.set(p, s);
  }
  return out;
}

/** @param {string[]} only */
async function makeGrowth(only) {
  if (!wanted(only, 'growth')) return;
  await withServer([], async (server) => {
    const { client } = server;
    const rng = new Rng(424_242);
    const sessions = Array.from({ length: 300 }, () => `session:${uuid(rng)}`);
    const pages = Array.from({ length: 150 }, () => `cache:page:${rng.hex(8)}`);

    // Snapshot A.
    /** @type {RespArg[][]} */
    const a = [];
    for (let id = 1; id <= 200; id++) a.push(['HSET', `user:${id}:profile`, 'name', `user${id}`, 'email', `u${id}@example.com`, 'plan', rng.pick(['free', 'pro'])]);
    for (const s of sessions) a.push(['SET', s, rng.alnum(64), 'EX', String(rng.int(86_400, 14 * 86_400))]);
    for (const p of pages) a.push(['SET', p, rng.alnum(rng.int(200, 400))]);
    for (let q = 0; q < 10; q++) a.push(...listCommands(rng, `queue:${q}`, 50, 0));
    for (let l = 0; l < 5; l++) a.push(...zsetCommands(rng, `leaderboard:${l}`, 100, 0));
    a.push(['HSET', 'config', 'version', '1', 'motd', 'hello']);
    await client.pipeline(a);
    const truthA = await snapshot(server, 'growth-a', { about: 'growth fixture, first snapshot; see growth-expected.json' });

    // Changes between A and B: users added, sessions churned, cache pages grown, queues grown,
    // leaderboards removed, a new rate:* pattern, config unchanged.
    /** @type {RespArg[][]} */
    const b = [];
    for (let id = 201; id <= 300; id++) b.push(['HSET', `user:${id}:profile`, 'name', `user${id}`, 'email', `u${id}@example.com`, 'plan', 'free']);
    for (let id = 1; id <= 20; id++) b.push(['HSET', `user:${id}:profile`, 'avatar', rng.alnum(30), 'bio', rng.alnum(50)]);
    for (const s of sessions.slice(0, 200)) b.push(['DEL', s]);
    for (let i = 0; i < 50; i++) b.push(['SET', `session:${uuid(rng)}`, rng.alnum(64), 'EX', String(rng.int(86_400, 14 * 86_400))]);
    for (const p of pages) b.push(['APPEND', p, rng.alnum(rng.int(500, 900))]);
    for (let q = 0; q < 10; q++) b.push(...listCommands(rng, `queue:${q}`, 150, 0));
    for (let q = 0; q < 3; q++) b.push(['LTRIM', `queue:${q}`, '0', '9']); // three queues shrink
    for (let l = 0; l < 5; l++) b.push(['DEL', `leaderboard:${l}`]);
    for (let i = 0; i < 80; i++) b.push(['INCR', `rate:10.0.${i >> 4}.${i}`], ['EXPIRE', `rate:10.0.${i >> 4}.${i}`, '3600']);
    await client.pipeline(b);
    const truthB = await snapshot(server, 'growth-b', { about: 'growth fixture, second snapshot; see growth-expected.json' });

    const sa = summarizeByPattern(truthA);
    const sb = summarizeByPattern(truthB);
    const patterns = [...new Set([...sa.keys(), ...sb.keys()])].sort();
    const empty = { keys: 0, elements: 0, memoryUsage: 0, withTtl: 0, names: new Set() };
    const expected = {
      generator: 'scripts/make-fixtures.mjs',
      about:
        'Per key pattern, what the server reported for growth-a.rdb and growth-b.rdb (counts from SCAN, elements from STRLEN/LLEN/…, memory from MEMORY USAGE SAMPLES 0). Patterns: ' +
        GROWTH_PATTERNS.map(([p, re]) => `${p} = ${String(re)}`).join('; '),
      intended: {
        'user:*:profile': '200 → 300 keys (100 added); 20 of the old ones gain 2 fields',
        'session:*': '300 → 150 keys (200 deleted, 50 added); all have TTLs',
        'cache:page:*': '150 keys both times; every value grows by 500–900 bytes',
        'queue:*': '10 keys both times; 7 grow 50 → 200 elements, 3 shrink to 10',
        'leaderboard:*': '5 → 0 keys (removed)',
        'rate:*': '0 → 80 keys (new pattern, with TTLs)',
        config: 'unchanged',
      },
      patterns: Object.fromEntries(
        patterns.map((p) => {
          const x = sa.get(p) ?? empty;
          const y = sb.get(p) ?? empty;
          const added = [...y.names].filter((n) => !x.names.has(n)).length;
          const removed = [...x.names].filter((n) => !y.names.has(n)).length;
          return [
            p,
            {
              a: { keys: x.keys, elements: x.elements, memoryUsage: x.memoryUsage, withTtl: x.withTtl },
              b: { keys: y.keys, elements: y.elements, memoryUsage: y.memoryUsage, withTtl: y.withTtl },
              keysAdded: added,
              keysRemoved: removed,
              keysKept: y.keys - added,
            },
          ];
        }),
      ),
    };
    writeFileSync(path.join(FIXTURES, 'growth-expected.json'), `${JSON.stringify(expected, null, 1)}\n`);
  });
}

// ---------------------------------------------------------------------------------------------
// Nightly: one server, five nights, families growing at known rates (capacity planning, forecast).

/** Families of the nightly fixtures: the inferred pattern of their keys and how a key name maps to one. */
const NIGHTLY_PATTERNS = [
  ['user:*:profile', /^user:\d+:profile$/],
  ['feed:*', /^feed:\d+$/],
  ['cache:page:*', /^cache:page:[0-9a-f]+$/],
  ['cache:user:*', /^cache:user:\d+$/],
  ['session:*', /^session:[0-9a-f-]{36}$/],
  ['promo:*', /^promo:\d+$/],
  ['legacy:*', /^legacy:\d+$/],
  ['events:firehose', /^events:firehose$/],
  ['leaderboard:global', /^leaderboard:global$/],
];
const NIGHTS = 5;

/** @param {string} name */
function nightlyFamily(name) {
  for (const [pattern, re] of NIGHTLY_PATTERNS) if (/** @type {RegExp} */ (re).test(name)) return /** @type {string} */ (pattern);
  return '(other)';
}

/**
 * Per family: keys, Σ elements, Σ MEMORY USAGE, keys with a TTL.
 * @param {KeyTruth[]} keys
 */
function nightlyFamilies(keys) {
  /** @type {Record<string, { keys: number, elements: number, memoryUsage: number, withTtl: number }>} */
  const out = {};
  for (const k of keys) {
    const f = nightlyFamily(Buffer.from(k.keyHex, 'hex').toString('latin1'));
    const s = (out[f] ??= { keys: 0, elements: 0, memoryUsage: 0, withTtl: 0 });
    s.keys++;
    s.elements += k.elements;
    s.memoryUsage += k.memoryUsage;
    if (k.expireAtMs !== null) s.withTtl++;
  }
  return out;
}

/** @param {string[]} only */
async function makeNightly(only) {
  if (!wanted(only, 'nightly')) return;
  const dir = path.join(FIXTURES, 'nightly');
  mkdirSync(dir, { recursive: true });
  await withServer([], async (server) => {
    const { client } = server;
    const rng = new Rng(515_151);
    const sessions = Array.from({ length: 200 }, () => `session:${uuid(rng)}`);
    let users = 0;
    let pages = 0;
    let cacheUsers = 0;
    /** @type {{ file: string, ctime: number, usedMem: number | null, keys: number, live: object, loaded: object }[]} */
    const nights = [];
    /** @type {Buffer[]} */
    const saved = [];
    /** @type {KeyTruth[]} */
    let lastTruth = [];
    for (let n = 0; n < NIGHTS; n++) {
      /** @type {RespArg[][]} */
      const c = [];
      // user:*:profile: +80 hashes a night (a primary store: no TTL).
      for (const target = 300 + 80 * n; users < target; users++) c.push(['HSET', `user:${users}:profile`, 'name', `user${users}`, 'email', `u${users}@example.com`, 'plan', rng.pick(['free', 'pro'])]);
      // feed:*: 30 lists, each +40 items a night, never trimmed.
      for (let f = 0; f < 30; f++) c.push(['RPUSH', `feed:${f}`, ...Array.from({ length: 40 }, () => `post:${rng.int(1, 1e6)}:${rng.alnum(12)}`)]);
      // cache:page:*: +40 pages a night written without a TTL (the immortal cache keys).
      for (const target = 100 + 40 * n; pages < target; pages++) c.push(['SET', `cache:page:${(0x10000000 + pages).toString(16)}`, rng.alnum(rng.int(300, 500))]);
      // cache:user:*: +20 a night, a TTL on three of four (the fourth forgot it).
      for (const target = 60 + 20 * n; cacheUsers < target; cacheUsers++) {
        c.push(cacheUsers % 4 === 3 ? ['SET', `cache:user:${cacheUsers}`, rng.alnum(80)] : ['SET', `cache:user:${cacheUsers}`, rng.alnum(80), 'EX', String(rng.int(1800, 7200))]);
      }
      // session:*: 200 with TTLs, 60 replaced a night.
      if (n > 0) for (let i = 0; i < 60; i++) {
        c.push(['DEL', sessions[i]]);
        sessions[i] = `session:${uuid(rng)}`;
      }
      for (const s of sessions) c.push(['SET', s, rng.alnum(64), 'EX', String(rng.int(86_400, 14 * 86_400))]);
      // events:firehose: one list +2500 entries a night (the unbounded collection).
      c.push(...chunked(['RPUSH', 'events:firehose'], Array.from({ length: 2500 }, (_, i) => `evt-${n}-${i}`)));
      // promo:* is born on night 2; legacy:* is deleted on night 3.
      if (n === 2) for (let i = 0; i < 50; i++) c.push(['SET', `promo:${i}`, rng.alnum(200)]);
      if (n === 0) for (let i = 0; i < 40; i++) c.push(['SET', `legacy:${i}`, rng.alnum(150)]);
      if (n === 3) for (let i = 0; i < 40; i++) c.push(['DEL', `legacy:${i}`]);
      if (n === 0) c.push(['ZADD', 'leaderboard:global', ...Array.from({ length: 100 }, (_, i) => [String(i * 10), `player:${i}`]).flat()]);
      await client.pipeline(c);

      const live = await collectTruth(client);
      const bytes = readFileSync(await server.save());
      // The server's answers once it has loaded the dump (what a server restarted on it holds).
      await client.call('DEBUG', 'RELOAD', 'NOSAVE');
      const loaded = await collectTruth(client);
      saved.push(bytes);
      nights.push({ file: `night-${n}.rdb`, ctime: 0, usedMem: auxInt(bytes, 'used-mem'), keys: loaded.length, live: nightlyFamilies(live), loaded: nightlyFamilies(loaded) });
      if (n === NIGHTS - 1) lastTruth = loaded;
    }
    // The nights were written seconds apart: each gets the last one's real ctime minus 24 h per night
    // before it, so the last dump's TTLs stay true to its time.
    const lastCtime = /** @type {number} */ (auxInt(/** @type {Buffer} */ (saved.at(-1)), 'ctime'));
    for (const [n, night] of nights.entries()) {
      night.ctime = lastCtime - (NIGHTS - 1 - n) * 86_400;
      const bytes = withCtime(/** @type {Buffer} */ (saved[n]), night.ctime);
      writeFileSync(path.join(dir, night.file), bytes);
      console.log(`nightly/${night.file}: ${bytes.length} bytes, ${night.keys} keys`);
      if (n === NIGHTS - 1) {
        const facts = await serverFacts(client, bytes, CONFIG_NAMES);
        writeFileSync(path.join(dir, 'night-4.truth.json'), truthJson({
          generator: 'scripts/make-fixtures.mjs', file: night.file, fileBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), server: facts,
          notes: { about: 'last night of the nightly series; MEMORY USAGE etc. read after DEBUG RELOAD NOSAVE (what a server loading the dump holds); see nightly.expected.json' },
          keyCount: lastTruth.length, keys: lastTruth,
        }));
      }
    }
    writeFileSync(path.join(dir, 'nightly.expected.json'), `${JSON.stringify({
      generator: 'scripts/make-fixtures.mjs',
      about: 'Five dumps of one Debian redis-server, one a night. Each file is what SAVE wrote, except the ctime AUX field: the last night keeps its own, night n is given 24 h less per night before it (CRC64 recomputed; scripts/lib/rdb-patch.mjs). ' +
        'Per family: keys, Σ elements, Σ MEMORY USAGE and keys with a TTL as the live server answered before SAVE ("live") and after DEBUG RELOAD NOSAVE of the dump ("loaded"). usedMem is the dump\'s used-mem AUX field.',
      families: Object.fromEntries(NIGHTLY_PATTERNS.map(([p, re]) => [p, String(re)])),
      intended: {
        'user:*:profile': '+80 hashes a night', 'feed:*': '30 lists, +40 items each a night', 'cache:page:*': '+40 strings a night, no TTL',
        'cache:user:*': '+20 strings a night, 3 in 4 with a TTL', 'session:*': '200 with TTLs, 60 replaced a night', 'promo:*': 'born on night 2 (50 keys)',
        'legacy:*': '40 keys, deleted on night 3', 'events:firehose': 'one list, +2500 entries a night', 'leaderboard:global': 'unchanged',
      },
      nights,
    }, null, 1)}\n`);
  });
}

// ---------------------------------------------------------------------------------------------
// Cold data: LRU idle times and LFU counters spread over the bands, set with RESTORE IDLETIME / FREQ.

/** @param {string[]} only */
async function makeCold(only) {
  /** @type {[string, string, string, [string, number, number][]][]} */
  const runs = [
    ['cold-lru-7.0', 'allkeys-lru', 'IDLETIME', [['hot', 20, 30], ['warm', 20, 2 * 3600], ['stale', 15, 3 * 86_400], ['cold', 10, 10 * 86_400], ['archive', 8, 45 * 86_400]]],
    ['cold-lfu-7.0', 'allkeys-lfu', 'FREQ', [['hot', 20, 200], ['busy', 20, 50], ['fresh', 15, 7], ['fading', 10, 3], ['dead', 8, 0]]],
  ];
  for (const [name, policy, how, families] of runs) {
    if (!wanted(only, name)) continue;
    await withServer(['--maxmemory-policy', policy], async (server) => {
      const { client } = server;
      const rng = new Rng(name.length * 7919);
      for (const [family, count, clock] of families) {
        /** @type {RespArg[][]} */
        const writes = [];
        for (let i = 0; i < count; i++) {
          const key = `${family}:${i}`;
          if (i % 3 === 2) writes.push(...hashCommands(rng, key, rng.int(3, 30), 0));
          else writes.push(['SET', key, rng.alnum(rng.int(20, 600))]);
          if (i % 4 === 0) writes.push(['EXPIRE', key, String(rng.int(3600, 86_400))]);
        }
        await client.pipeline(writes);
        // DUMP + RESTORE … IDLETIME s / FREQ n: the server's own way to set a key's LRU / LFU clock.
        for (let i = 0; i < count; i++) {
          const key = `${family}:${i}`;
          const pttl = Number(await client.call('PTTL', key));
          const payload = await client.call('DUMP', key);
          const value = how === 'IDLETIME' ? clock + rng.int(0, Math.max(1, Math.floor(clock / 10))) : clock;
          await client.call('RESTORE', key, String(Math.max(0, pttl)), /** @type {Buffer} */ (payload), 'REPLACE', how, String(value));
        }
      }
      // The clocks first (OBJECT IDLETIME / FREQ do not touch them), then SAVE, then the rest of the
      // truth: its reads (STRLEN, MEMORY USAGE …) touch every key's clock.
      const names = families.flatMap(([family, count]) => Array.from({ length: count }, (_, i) => `${family}:${i}`));
      const clocks = await client.pipeline(names.map((k) => ['OBJECT', how === 'IDLETIME' ? 'IDLETIME' : 'FREQ', k]));
      const before = new Map(names.map((k, i) => [Buffer.from(k).toString('hex'), Number(clocks[i])]));
      const dump = await server.save();
      const keys = (await collectTruth(client)).map((k) => ({ ...k, ...(how === 'IDLETIME' ? { idleSeconds: before.get(k.keyHex) } : { lfuFreq: before.get(k.keyHex) }) }));
      const bytes = readFileSync(dump);
      writeFileSync(path.join(FIXTURES, `${name}.rdb`), bytes);
      const facts = await serverFacts(client, bytes, CONFIG_NAMES);
      writeFileSync(path.join(FIXTURES, `${name}.truth.json`), truthJson({
        generator: 'scripts/make-fixtures.mjs', file: `${name}.rdb`, fileBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), server: facts,
        notes: { about: `maxmemory-policy ${policy}: clocks set with RESTORE … ${how} per family (${families.map(([f, n, v]) => `${f}:* ${n} keys ${how} ${v}`).join(', ')}); ${how === 'IDLETIME' ? 'idleSeconds = OBJECT IDLETIME' : 'lfuFreq = OBJECT FREQ'} read before SAVE` },
        keyCount: keys.length, keys,
      }));
      console.log(`${name}.rdb: ${bytes.length} bytes, ${keys.length} keys`);
    });
  }
}

// ---------------------------------------------------------------------------------------------

/** @param {string[]} only @param {string} name */
function wanted(only, name) {
  return only.length === 0 || only.some((o) => name.startsWith(o) || o.startsWith(name));
}

async function main() {
  const only = process.argv.slice(2);
  mkdirSync(FIXTURES, { recursive: true });
  await makeMixed(only);
  await makeLfuLru(only);
  await makeNoCompressNoChecksum(only);
  await makeGrowth(only);
  await makeNightly(only);
  await makeCold(only);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
