// @ts-check
/**
 * Benchmark dumps for issue 5, written by a private redis-server (helper B's harness) and cached under
 * bench/.cache/<name>-<hash>.rdb. The hash covers the generator's source (the function, the helpers it
 * uses, the PRNG) and the redis-server version, so editing a generator rebuilds only its dumps.
 *
 *   node bench/datasets.mjs [names...]      builds (or finds) the dumps and prints their paths
 *
 * Dumps: mixed (1 M cache-shaped keys, several dbs), huge (5 M-element list, 2 M-field hash, 1 M-member
 * zset, 100 MB string), small (5 M tiny strings), small-ttl (2 M tiny strings, a third with a TTL), blobs
 * (mixed plus 800 compressible 512 KB and 1 000 random 256 KB strings, ~700 MB), mixed.gz / mixed.lz4 (copies of mixed), shard1..4
 * (250 k-key mixed dumps with different seeds, for `load --jobs`).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedis, redisServerPath } from '../scripts/lib/redis-server.mjs';
import { Rng } from '../scripts/lib/dataset.mjs';
import { Sender } from '../scripts/lib/resp.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const CACHE_DIR = path.join(HERE, '.cache');

/** @typedef {import('../scripts/lib/resp.mjs').RespClient} RespClient */
/** @typedef {import('../scripts/lib/resp.mjs').RespArg} RespArg */

// ---------------------------------------------------------------------------------------------
// Value helpers (part of every generator's hash).

/** RFC 4122-looking id from the PRNG. @param {Rng} rng */
function uuid(rng) {
  const h = rng.hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A session payload like a web framework would store: JSON, 80–600 bytes. @param {Rng} rng */
function sessionValue(rng) {
  const cart = [];
  for (let i = rng.int(0, 3); i > 0; i--) cart.push({ sku: `SKU-${rng.int(10000, 99999)}`, qty: rng.int(1, 5) });
  return JSON.stringify({
    uid: rng.int(1, 5_000_000),
    csrf: rng.alnum(32),
    locale: rng.pick(['en-US', 'de-DE', 'fr-FR', 'ja-JP', 'pt-BR']),
    ua: rng.pick(['Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1)', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)']),
    cart,
    flash: rng.chance(0.2) ? 'Your changes have been saved.' : null,
  });
}

const HTML_WORDS = ['<div class="card">', '<span>', '</span>', '</div>', '<li>', '</li>', 'price', 'product', 'the', 'and', 'new', 'sale', '<a href="/p/', '">', '</a>'];

/** A cached page fragment: compressible markup, 25–6000 bytes (LZF kicks in above 20 bytes). @param {Rng} rng */
function htmlValue(rng) {
  const target = rng.chance(0.8) ? rng.int(25, 500) : rng.int(500, 3000);
  let s = '<!-- cached -->';
  while (s.length < target) s += rng.chance(0.2) ? String(rng.int(0, 99999)) : rng.pick(HTML_WORDS);
  return s;
}

/** An immortal cache value: ints, short strings (no LZF), markup (LZF). @param {Rng} rng */
function cacheValue(rng) {
  const k = rng.int(0, 99);
  if (k < 25) return String(rng.int(0, 1_000_000_000));
  if (k < 50) return rng.alnum(rng.int(1, 20));
  return htmlValue(rng);
}

/** @param {Rng} rng @param {number} fields */
function profileFields(rng, fields) {
  /** @type {RespArg[]} */
  const out = [];
  const names = ['name', 'email', 'plan', 'created', 'last_login', 'country', 'avatar', 'theme', 'visits', 'score'];
  for (let i = 0; i < fields; i++) {
    const name = i < names.length ? names[i] : `pref:${i}`;
    out.push(name, rng.chance(0.4) ? String(rng.int(0, 1_000_000)) : rng.alnum(rng.int(3, rng.chance(0.03) ? 120 : 30)));
  }
  return out;
}

/** Sends `head` + items in commands of at most `per` items. @param {Sender} s @param {RespArg[]} head @param {RespArg[]} items @param {number} per */
async function chunkedSend(s, head, items, per) {
  for (let i = 0; i < items.length; i += per) await s.send([...head, ...items.slice(i, i + per)]);
}

/** @param {RespClient} client */
async function keyCount(client) {
  const info = String(await client.call('INFO', 'keyspace'));
  let keys = 0;
  for (const m of info.matchAll(/keys=(\d+)/g)) keys += Number(m[1]);
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Generators. Each takes (client, params) and writes into an empty server.

/**
 * 1 M keys (at scale 1) shaped like a real cache, over dbs 0–3.
 * @param {RespClient} client
 * @param {{ seed: number, scale: number }} p
 */
async function genMixed(client, { seed, scale }) {
  const rng = new Rng(seed);
  const s = new Sender(client);
  const n = (/** @type {number} */ x) => Math.max(1, Math.round(x * scale));
  const select = async (/** @type {number} */ db) => {
    await s.done();
    await client.call('SELECT', db);
  };

  // db 0: sessions with TTL, immortal page cache, user profiles (small listpack + large hashtable).
  await select(0);
  for (let i = 0; i < n(280_000); i++) await s.send(['SET', `session:${uuid(rng)}`, sessionValue(rng), 'EX', rng.int(3600, 14 * 86400)]);
  for (let i = 0; i < n(200_000); i++) {
    const cmd = ['SET', `cache:page:${rng.hex(8)}`, cacheValue(rng)];
    await s.send(cmd);
  }
  for (let i = 0; i < n(120_000); i++) await s.send(['HSET', `user:${i + 1}:profile`, ...profileFields(rng, rng.int(3, 20))]);
  for (let i = 0; i < n(300); i++) await chunkedSend(s, ['HSET', `user:${1_000_000 + i}:profile`], profileFields(rng, rng.int(600, 2000)), 1000);
  await s.done();
  await client.call('DEBUG', 'POPULATE', n(150_000), 'counter', 8);

  // db 1: queues, sets of ints and of strings, leaderboards.
  await select(1);
  for (let i = 0; i < n(40_000); i++) {
    const len = rng.int(1, 40);
    const items = [];
    for (let j = 0; j < len; j++) items.push(rng.chance(0.5) ? String(rng.int(0, 1e9)) : `job:${rng.alnum(rng.int(4, 40))}`);
    await s.send(['RPUSH', `queue:${i}`, ...items]);
  }
  for (let i = 0; i < n(100); i++) {
    const items = [];
    for (let j = rng.int(2000, 10000); j > 0; j--) items.push(`task:${rng.int(0, 1e9)}`);
    await chunkedSend(s, ['RPUSH', `queue:big:${i}`], items, 1000);
  }
  for (let i = 0; i < n(40_000); i++) {
    const items = [];
    for (let j = rng.chance(0.02) ? rng.int(513, 2000) : rng.int(1, 100); j > 0; j--) items.push(String(rng.int(0, 10_000_000)));
    await chunkedSend(s, ['SADD', `tags:${i}`], items, 1000);
  }
  for (let i = 0; i < n(30_000); i++) {
    const items = [];
    for (let j = rng.chance(0.02) ? rng.int(129, 600) : rng.int(1, 20); j > 0; j--) items.push(`member:${rng.alnum(rng.int(3, 24))}`);
    await chunkedSend(s, ['SADD', `followers:${i}`], items, 1000);
  }
  for (let i = 0; i < n(30_000); i++) {
    const items = [];
    for (let j = rng.chance(0.01) ? rng.int(200, 3000) : rng.int(1, 40); j > 0; j--) items.push(String(rng.chance(0.5) ? rng.int(0, 1e6) : rng.next() * 1e4), `player:${rng.int(0, 1e7)}`);
    await chunkedSend(s, ['ZADD', `leaderboard:${i}`], items, 2000);
  }

  // db 2: streams with consumer groups and pending entries, more sessions.
  await select(2);
  for (let i = 0; i < n(2000); i++) {
    const key = `events:${i}`;
    const len = rng.int(1, 200);
    for (let j = 0; j < len; j++) await s.send(['XADD', key, '*', 'type', rng.pick(['click', 'view', 'buy']), 'user', String(rng.int(1, 1e6)), 'ts', String(1_700_000_000_000 + j)]);
    const groups = rng.int(0, 3);
    for (let g = 0; g < groups; g++) {
      await s.send(['XGROUP', 'CREATE', key, `group:${g}`, '0']);
      for (let c = rng.int(1, 3); c > 0; c--) await s.send(['XREADGROUP', 'GROUP', `group:${g}`, `consumer:${c}`, 'COUNT', rng.int(1, 50), 'STREAMS', key, '>']);
    }
  }
  for (let i = 0; i < n(50_000); i++) await s.send(['SET', `session:${uuid(rng)}`, sessionValue(rng), 'PX', rng.int(3_600_000, 7 * 86_400_000)]);
  await s.done();

  // db 3: a plain batch job's leftovers (volume via DEBUG POPULATE).
  await client.call('SELECT', 3);
  await client.call('DEBUG', 'POPULATE', n(100_000), 'tmp:import', 16);
  await client.call('SELECT', 0);
}

/**
 * Huge keys: a 5 M-element list, a 2 M-field hash, a 1 M-member zset, a 100 MB string.
 * @param {RespClient} client
 * @param {{ seed: number }} p
 */
async function genHuge(client, { seed }) {
  const rng = new Rng(seed);
  const s = new Sender(client);
  /** @type {RespArg[]} */
  let items = [];
  for (let i = 0; i < 5_000_000; i++) {
    items.push(i % 3 === 0 ? String(rng.int(0, 1e9)) : `job-${i}-${rng.alnum(4)}`);
    if (items.length === 1000) await s.send(['RPUSH', 'big:list', ...items.splice(0)]);
  }
  for (let i = 0; i < 2_000_000; i++) {
    items.push(`field:${i}`, rng.chance(0.5) ? String(rng.int(0, 1e6)) : rng.alnum(rng.int(4, 24)));
    if (items.length === 2000) await s.send(['HSET', 'big:hash', ...items.splice(0)]);
  }
  for (let i = 0; i < 1_000_000; i++) {
    items.push(String(rng.next() * 1e6), `player:${i}`);
    if (items.length === 2000) await s.send(['ZADD', 'big:zset', ...items.splice(0)]);
  }
  await s.done();
  // 100 MB of pseudo-random text (LZF cannot shrink it, so it is stored raw), appended 1 MB at a time.
  let x = seed >>> 0 || 1;
  const piece = Buffer.alloc(1 << 20);
  for (let p = 0; p < 100; p++) {
    for (let i = 0; i < piece.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      piece[i] = 0x21 + ((x >>> 0) % 94);
    }
    await s.send(['APPEND', 'big:string', Buffer.from(piece)]);
  }
  await s.done();
}

/** 5 M tiny strings. @param {RespClient} client */
async function genSmall(client) {
  await client.call('DEBUG', 'POPULATE', 5_000_000, 'key', 8);
}

/**
 * 2 M tiny strings, every third with a TTL of 1 h – 14 d (issue 16's "many small with TTLs").
 * @param {RespClient} client
 * @param {{ seed: number }} p
 */
async function genSmallTtl(client, { seed }) {
  const rng = new Rng(seed);
  await client.call('DEBUG', 'POPULATE', 2_000_000, 'key', 8);
  const s = new Sender(client);
  for (let i = 0; i < 2_000_000; i += 3) await s.send(['PEXPIRE', `key:${i}`, rng.int(3_600_000, 14 * 86_400_000)]);
  await s.done();
}

/** `n` bytes of xorshift32 noise (printable, so LZF cannot shrink it). @param {number} n @param {number} state */
function noise(n, state) {
  const b = Buffer.alloc(n);
  let x = state >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = 0x21 + ((x >>> 0) % 94);
  }
  return b;
}

/** `n` bytes of markup made of a few words (LZF shrinks it). @param {Rng} rng @param {number} n */
function markup(rng, n) {
  const parts = [];
  let len = 0;
  while (len < n) {
    const w = rng.chance(0.2) ? String(rng.int(0, 99999)) : rng.pick(HTML_WORDS);
    parts.push(w);
    len += w.length;
  }
  return parts.join('').slice(0, n);
}

/**
 * The mixed keys plus big blobs (issue 16's 1 M-key, 700 MB dump): 800 compressible 512 KB pages and
 * 1 000 random 256 KB payloads in db 0.
 * @param {RespClient} client
 * @param {{ seed: number }} p
 */
async function genMixedBlobs(client, { seed }) {
  await genMixed(client, { seed, scale: 1 });
  const rng = new Rng(seed + 1);
  const s = new Sender(client);
  for (let i = 0; i < 800; i++) await s.send(['SET', `blob:page:${i}`, markup(rng, 512 * 1024)]);
  await s.done();
  for (let i = 0; i < 1000; i++) {
    await s.send(['SET', `blob:bin:${i}`, noise(256 * 1024, rng.int(1, 2 ** 31))]);
    if (i % 50 === 49) await s.done();
  }
  await s.done();
}

// ---------------------------------------------------------------------------------------------
// Registry and cache.

const HELPERS = [Sender, uuid, sessionValue, htmlValue, cacheValue, profileFields, chunkedSend, keyCount, Rng, noise, markup].map(String).join('\n') + JSON.stringify(HTML_WORDS);

/**
 * @typedef {object} DumpSpec
 * @property {string} name
 * @property {string} description
 * @property {(client: RespClient) => Promise<void>} [generate]   writes the dataset (raw dumps)
 * @property {string} [source]      for copies: the dump it is made from
 * @property {'gz' | 'lz4'} [wrap]  for copies: how it is compressed
 * @property {string} code          what the cache key hashes
 */

/** @type {DumpSpec[]} */
export const DUMPS = [
  { name: 'mixed', description: '1 M cache-shaped keys, 4 dbs', generate: (c) => genMixed(c, { seed: 5001, scale: 1 }), code: String(genMixed) + 'seed 5001 scale 1' },
  { name: 'huge', description: '5 M-elem list, 2 M-field hash, 1 M-member zset, 100 MB string', generate: (c) => genHuge(c, { seed: 5002 }), code: String(genHuge) + 'seed 5002' },
  { name: 'small', description: '5 M tiny strings', generate: (c) => genSmall(c), code: String(genSmall) },
  { name: 'small-ttl', description: '2 M tiny strings, a third with a TTL', generate: (c) => genSmallTtl(c, { seed: 5003 }), code: String(genSmallTtl) + 'seed 5003' },
  { name: 'blobs', description: 'mixed + 800 compressible 512 KB and 1 000 random 256 KB strings', generate: (c) => genMixedBlobs(c, { seed: 5004 }), code: String(genMixedBlobs) + String(genMixed) + 'seed 5004' },
  { name: 'mixed.gz', description: 'mixed, gzip', source: 'mixed', wrap: 'gz', code: 'gzip level 6' },
  { name: 'mixed.lz4', description: 'mixed, lz4 -z', source: 'mixed', wrap: 'lz4', code: 'lz4 -z' },
  ...[1, 2, 3, 4].map((k) => ({
    name: `shard${k}`,
    description: '260 k mixed keys (mixed at scale 0.25, own seed)',
    generate: (/** @type {RespClient} */ c) => genMixed(c, { seed: 6000 + k, scale: 0.25 }),
    code: String(genMixed) + `seed ${6000 + k} scale 0.25`,
  })),
];

/**
 * @typedef {object} BuiltDump
 * @property {string} name
 * @property {string} file        path of the dump (possibly compressed)
 * @property {string} rdbFile     path of the uncompressed dump (the same for raw dumps)
 * @property {number} fileBytes   size on disk
 * @property {number} rdbBytes    uncompressed RDB size
 * @property {number} keys        keys in the dump (the server's count before SAVE)
 * @property {string} description
 */

let serverVersion = /** @type {string | null} */ (null);
function redisVersion() {
  if (serverVersion === null) {
    const bin = redisServerPath();
    serverVersion = bin ? execFileSync(bin, ['--version']).toString().trim() : 'none';
  }
  return serverVersion;
}

/** @param {DumpSpec} spec */
function hashOf(spec) {
  const h = createHash('sha256').update(spec.code).update(HELPERS).update(redisVersion());
  if (spec.source) h.update(hashOf(/** @type {DumpSpec} */ (DUMPS.find((d) => d.name === spec.source))));
  return h.digest('hex').slice(0, 12);
}

/** @param {string} name */
function specOf(name) {
  const spec = DUMPS.find((d) => d.name === name);
  if (!spec) throw new Error(`unknown dump ${name}; known: ${DUMPS.map((d) => d.name).join(', ')}`);
  return spec;
}

/** Removes cached files of `name` with another hash. @param {string} name @param {string} keep */
function dropStale(name, keep) {
  for (const f of readdirSync(CACHE_DIR)) {
    const m = /^(.+)-([0-9a-f]{12})\.(rdb|rdb\.gz|rdb\.lz4|json)$/.exec(f);
    if (m && m[1] === name && m[2] !== keep) rmSync(path.join(CACHE_DIR, f), { force: true });
  }
}

/**
 * Returns the dump, building it (and its source) when the cache has no current copy.
 * @param {string} name
 * @param {(line: string) => void} [log]
 * @returns {Promise<BuiltDump>}
 */
export async function ensureDump(name, log = (l) => process.stderr.write(l + '\n')) {
  const spec = specOf(name);
  mkdirSync(CACHE_DIR, { recursive: true });
  const hash = hashOf(spec);
  const ext = spec.wrap ? `rdb.${spec.wrap}` : 'rdb';
  const file = path.join(CACHE_DIR, `${name}-${hash}.${ext}`);
  const meta = path.join(CACHE_DIR, `${name}-${hash}.json`);
  if (existsSync(file) && existsSync(meta)) return { ...JSON.parse(readFileSync(meta, 'utf8')), description: spec.description };

  dropStale(name, hash);
  const started = Date.now();
  /** @type {BuiltDump} */
  let built;
  if (spec.source) {
    const src = await ensureDump(spec.source, log);
    log(`bench: making ${name} from ${path.basename(src.file)} ...`);
    const tmp = file + '.tmp';
    if (spec.wrap === 'gz') await pipeline(createReadStream(src.file), createGzip({ level: 6 }), createWriteStream(tmp));
    else execFileSync('lz4', ['-z', '-f', '-q', src.file, tmp]);
    renameSync(tmp, file);
    built = { ...src, name, file, fileBytes: statSync(file).size, description: spec.description };
  } else {
    log(`bench: generating ${name} (${spec.description}) with redis-server ...`);
    const server = await startRedis();
    try {
      await /** @type {NonNullable<DumpSpec['generate']>} */ (spec.generate)(server.client);
      const keys = await keyCount(server.client);
      const dump = await server.save();
      const tmp = file + '.tmp';
      copyFileSync(dump, tmp);
      renameSync(tmp, file);
      const bytes = statSync(file).size;
      built = { name, file, rdbFile: file, fileBytes: bytes, rdbBytes: bytes, keys, description: spec.description };
    } finally {
      await server.stop();
    }
  }
  writeFileSync(meta, JSON.stringify(built, null, 2) + '\n');
  log(`bench: ${name}: ${(built.fileBytes / 1e6).toFixed(1)} MB, ${built.keys} keys, built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return built;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  for (const name of names.length ? names : DUMPS.map((d) => d.name)) {
    const d = await ensureDump(name);
    console.log(`${d.name}\t${d.file}\t${d.fileBytes}\t${d.keys}`);
  }
}
