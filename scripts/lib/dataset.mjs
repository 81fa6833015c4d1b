// @ts-check
/**
 * Seeded datasets written into a real redis-server, and the server's own description of every key
 * ("truth"): what fixtures and differential tests compare the parser against. Nothing here knows
 * about our parser; every expected value comes from the server.
 */

/** @typedef {import('./resp.mjs').RespClient} RespClient */
/** @typedef {import('./resp.mjs').RespReply} RespReply */
/** @typedef {import('./resp.mjs').RespArg} RespArg */

/** Deterministic PRNG (mulberry32): the same seed writes the same dataset. */
export class Rng {
  /** @param {number} seed */
  constructor(seed) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next() {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi], both inclusive. @param {number} lo @param {number} hi */
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** @param {number} p */
  chance(p) {
    return this.next() < p;
  }

  /** @template T @param {readonly T[]} items @returns {T} */
  pick(items) {
    return /** @type {T} */ (items[Math.floor(this.next() * items.length)]);
  }

  /** @param {number} n */
  bytes(n) {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(this.next() * 256);
    return b;
  }

  /** @param {number} n */
  alnum(n) {
    const abc = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < n; i++) s += abc[Math.floor(this.next() * abc.length)];
    return s;
  }

  /** Lower-case hex of n random bytes. @param {number} n */
  hex(n) {
    return this.bytes(n).toString('hex');
  }
}

// ---------------------------------------------------------------------------------------------
// Value generators. Sizes straddle the Redis 7.0 encoding thresholds (rdb-format.md §9.5):
// embstr ≤ 44 bytes, listpack ≤ 128 zset / 512 hash entries and ≤ 64-byte elements, intset ≤ 512.

/** @param {Rng} rng @returns {string | Buffer} */
export function randomStringValue(rng) {
  const kind = rng.int(0, 99);
  if (kind < 20) return String(rng.pick([0, 1, -1, 7, 255, 65535, -32768, 2 ** 31, -(2 ** 31) - 1, rng.int(-1e9, 1e9), rng.int(0, 2 ** 52)]));
  if (kind < 23) return rng.pick(['9223372036854775807', '-9223372036854775808', '007', '+5', '1e3', '99999999999999999999']);
  if (kind < 25) return '';
  if (kind < 55) return rng.alnum(rng.int(1, 44));
  if (kind < 70) return rng.alnum(rng.int(45, 1000));
  if (kind < 80) return 'ab'.repeat(rng.int(20, 3000)); // LZF-compressible (> 20 bytes)
  if (kind < 95) return rng.bytes(rng.int(1, 3000));
  return rng.alnum(rng.int(10_000, 60_000));
}

/** An element for lists / sets / hashes: mostly short, sometimes integer, sometimes long. @param {Rng} rng */
export function randomElement(rng, longChance = 0.02) {
  const kind = rng.next();
  if (kind < 0.3) return String(rng.int(-100000, 100000));
  if (kind < 0.3 + longChance) return rng.alnum(rng.int(65, 3000));
  if (kind < 0.35 + longChance) return rng.bytes(rng.int(1, 40));
  return rng.alnum(rng.int(1, 30));
}

/** A size class: mostly small (compact encodings), some at thresholds, a few large. @param {Rng} rng */
export function randomCount(rng) {
  const kind = rng.int(0, 99);
  if (kind < 45) return rng.int(1, 10);
  if (kind < 75) return rng.int(11, 127);
  if (kind < 85) return rng.pick([128, 129, 511, 512, 513]);
  if (kind < 98) return rng.int(130, 2000);
  return rng.int(5000, 15000);
}

/**
 * Splits a variadic command into chunks so one command line stays small.
 * @param {RespArg[]} head
 * @param {RespArg[]} items
 * @param {number} perCommand  items per command (multiple of the tuple size)
 * @returns {RespArg[][]}
 */
export function chunked(head, items, perCommand = 512) {
  /** @type {RespArg[][]} */
  const out = [];
  for (let i = 0; i < items.length; i += perCommand) out.push([...head, ...items.slice(i, i + perCommand)]);
  return out;
}

/** @param {Rng} rng @param {RespArg} key @returns {RespArg[][]} */
export function listCommands(rng, key, count = randomCount(rng), longChance = 0.02) {
  const items = Array.from({ length: count }, () => randomElement(rng, longChance));
  return chunked(['RPUSH', key], items);
}

/** @param {Rng} rng @param {RespArg} key @returns {RespArg[][]} */
export function setCommands(rng, key, count = randomCount(rng)) {
  const allInts = rng.chance(0.4);
  const wide = rng.pick([100, 40000, 2 ** 31, 2 ** 40]);
  /** @type {Set<string>} */
  const members = new Set();
  // Bounded attempts: small integer ranges cannot always supply `count` distinct members.
  for (let tries = 0; members.size < count && tries < count * 4; tries++) {
    members.add(allInts ? String(rng.int(-wide, wide)) : String(randomElement(rng, 0.01)));
  }
  return chunked(['SADD', key], [...members]);
}

/** @param {Rng} rng */
function randomScore(rng) {
  const kind = rng.int(0, 19);
  if (kind === 0) return rng.pick(['inf', '-inf', '0', '-0']);
  if (kind < 8) return String(rng.int(-1000, 1000));
  return String((rng.next() - 0.5) * 10 ** rng.int(0, 12));
}

/** @param {Rng} rng @param {RespArg} key @returns {RespArg[][]} */
export function zsetCommands(rng, key, count = randomCount(rng), longChance = 0.01) {
  /** @type {RespArg[]} */
  const items = [];
  for (let i = 0; i < count; i++) items.push(randomScore(rng), `${randomElement(rng, longChance)}#${i}`);
  return chunked(['ZADD', key], items, 512);
}

/** @param {Rng} rng @param {RespArg} key @returns {RespArg[][]} */
export function hashCommands(rng, key, count = randomCount(rng), longChance = 0.01) {
  /** @type {RespArg[]} */
  const items = [];
  for (let i = 0; i < count; i++) items.push(`f${i}:${rng.alnum(rng.int(0, 12))}`, randomElement(rng, longChance));
  return chunked(['HSET', key], items, 512);
}

/**
 * A stream with explicit, seeded IDs; optionally deletions, trimming, consumer groups with
 * consumers and unacknowledged (pending) entries.
 * @param {Rng} rng @param {RespArg} key @returns {RespArg[][]}
 */
export function streamCommands(rng, key, count = rng.int(1, 300)) {
  /** @type {RespArg[][]} */
  const cmds = [];
  let ms = 1_700_000_000_000 + rng.int(0, 1e9);
  const fieldSets = [['temp', 'hum'], ['user', 'action', 'page'], ['v']];
  const ids = [];
  for (let i = 0; i < count; i++) {
    ms += rng.int(0, 3);
    const id = `${ms}-${i}`;
    ids.push(id);
    const fields = rng.chance(0.8) ? rng.pick(fieldSets) : [`x${rng.int(0, 5)}`];
    /** @type {RespArg[]} */
    const cmd = ['XADD', key, id];
    for (const f of fields) cmd.push(f, rng.chance(0.5) ? String(rng.int(-1e6, 1e6)) : rng.alnum(rng.int(1, 20)));
    cmds.push(cmd);
  }
  if (count > 5 && rng.chance(0.3)) for (let i = 0; i < 3; i++) cmds.push(['XDEL', key, rng.pick(ids)]);
  if (count > 50 && rng.chance(0.2)) cmds.push(['XTRIM', key, 'MAXLEN', String(rng.int(10, count))]);
  const groups = rng.pick([0, 0, 1, 2, 3]);
  for (let g = 0; g < groups; g++) {
    cmds.push(['XGROUP', 'CREATE', key, `g${g}`, '0']);
    const consumers = rng.int(0, 3);
    for (let c = 0; c < consumers; c++) {
      cmds.push(['XREADGROUP', 'GROUP', `g${g}`, `c${c}`, 'COUNT', String(rng.int(1, 20)), 'STREAMS', key, '>']);
    }
    if (consumers > 0 && rng.chance(0.5)) cmds.push(['XACK', key, `g${g}`, ids[0] ?? '0-1', ids[1] ?? '0-1']);
    if (rng.chance(0.2)) cmds.push(['XGROUP', 'CREATECONSUMER', key, `g${g}`, 'idle-consumer']);
  }
  return cmds;
}

/**
 * An expiry for about a quarter of the keys, in every command form Redis has (all stored as
 * absolute ms in the RDB, rdb-format.md §3.2). Far enough ahead that nothing expires during a run.
 * @param {Rng} rng @param {RespArg} key @returns {RespArg[][]}
 */
export function maybeExpiry(rng, key, probability = 0.25) {
  if (!rng.chance(probability)) return [];
  const nowS = Math.floor(Date.now() / 1000);
  switch (rng.int(0, 3)) {
    case 0:
      return [['EXPIRE', key, String(rng.int(3600, 30 * 86400))]];
    case 1:
      return [['PEXPIRE', key, String(rng.int(3_600_000, 30 * 86_400_000))]];
    case 2:
      return [['EXPIREAT', key, String(nowS + rng.int(3600, 400 * 86400))]];
    default:
      return [['PEXPIREAT', key, String(nowS * 1000 + rng.int(3_600_000, 10 * 365 * 86_400_000))]];
  }
}

/**
 * Writes `keys` seeded random keys of every type across `dbs`, pipelined. Returns how many keys were
 * written per type (a key name is never reused, so this is also what DBSIZE should say).
 * @param {RespClient} client
 * @param {{ seed: number, keys: number, dbs?: number[], binaryKeyChance?: number }} options
 */
export async function writeRandomDataset(client, { seed, keys, dbs = [0], binaryKeyChance = 0.03 }) {
  const rng = new Rng(seed);
  /** @type {Record<string, number>} */
  const perType = {};
  /** @type {Map<number, RespArg[][]>} */
  const pending = new Map();
  let queued = 0;
  const flush = async () => {
    for (const [db, cmds] of pending) await client.pipeline([['SELECT', db], ...cmds]);
    pending.clear();
    queued = 0;
  };
  for (let i = 0; i < keys; i++) {
    const type = rng.pick(['string', 'string', 'string', 'list', 'set', 'zset', 'hash', 'hash', 'stream']);
    const db = rng.pick(dbs);
    /** @type {RespArg} */
    const key = rng.chance(binaryKeyChance)
      ? Buffer.concat([rng.bytes(rng.int(0, 12)), Buffer.from(`#${i}`)])
      : `${type}:${rng.pick(['user', 'session', 'cache', 'q'])}:${i}:${rng.alnum(rng.int(0, 8))}`;
    /** @type {RespArg[][]} */
    let cmds;
    switch (type) {
      case 'string':
        cmds = [['SET', key, randomStringValue(rng)]];
        break;
      case 'list':
        cmds = listCommands(rng, key);
        break;
      case 'set':
        cmds = setCommands(rng, key);
        break;
      case 'zset':
        cmds = zsetCommands(rng, key);
        break;
      case 'hash':
        cmds = hashCommands(rng, key);
        break;
      default:
        cmds = streamCommands(rng, key);
    }
    cmds.push(...maybeExpiry(rng, key));
    perType[type] = (perType[type] ?? 0) + 1;
    const list = pending.get(db) ?? [];
    list.push(...cmds);
    pending.set(db, list);
    queued += cmds.length;
    if (queued > 2000) await flush();
  }
  await flush();
  await client.call('SELECT', 0);
  return perType;
}

// ---------------------------------------------------------------------------------------------
// Truth: what the server says about each key.

/**
 * @typedef {object} StreamGroupTruth
 * @property {string} name
 * @property {number} consumers
 * @property {number} pending
 * @property {string} lastDeliveredId
 * @property {number | null} entriesRead
 */

/**
 * @typedef {object} StreamTruth
 * @property {number} length
 * @property {number} groups
 * @property {string} lastGeneratedId
 * @property {string | null} maxDeletedEntryId
 * @property {number | null} entriesAdded
 * @property {string | null} recordedFirstEntryId
 * @property {number} radixTreeKeys
 * @property {number} pending  Σ group pending
 * @property {number} consumers  Σ group consumers
 * @property {StreamGroupTruth[]} groupInfo
 */

/**
 * @typedef {object} KeyTruth
 * @property {number} db
 * @property {string} keyHex
 * @property {string} type  TYPE
 * @property {string} encoding  OBJECT ENCODING
 * @property {number} pttl  PTTL at collection time (-1 = none)
 * @property {number | null} expireAtMs  PEXPIRETIME, null when none
 * @property {number} elements  STRLEN / LLEN / SCARD / ZCARD / HLEN / XLEN
 * @property {number} memoryUsage  MEMORY USAGE key SAMPLES 0
 * @property {number} [lfuFreq]  OBJECT FREQ (LFU policies)
 * @property {number} [idleSeconds]  OBJECT IDLETIME (other policies)
 * @property {StreamTruth} [stream]
 */

/** @type {Record<string, string>} */
const COUNT_COMMAND = { string: 'STRLEN', list: 'LLEN', set: 'SCARD', zset: 'ZCARD', hash: 'HLEN', stream: 'XLEN' };

/** @param {RespReply} r */
function text(r) {
  return Buffer.isBuffer(r) ? r.toString('utf8') : String(r);
}

/** @param {RespReply} r */
function num(r) {
  if (typeof r === 'number') return r;
  throw new Error(`expected an integer reply, got ${JSON.stringify(r)}`);
}

/** Flat [name, value, ...] reply → Map. @param {RespReply} r */
function pairs(r) {
  /** @type {Map<string, RespReply>} */
  const m = new Map();
  if (!Array.isArray(r)) return m;
  for (let i = 0; i + 1 < r.length; i += 2) m.set(text(/** @type {RespReply} */ (r[i])), /** @type {RespReply} */ (r[i + 1]));
  return m;
}

/** Which dbs hold keys (INFO keyspace). @param {RespClient} client @returns {Promise<number[]>} */
export async function nonEmptyDbs(client) {
  const info = text(await client.call('INFO', 'keyspace'));
  return [...info.matchAll(/^db(\d+):keys=(\d+)/gm)].map((m) => Number(m[1]));
}

/** All keys of the selected db via SCAN (binary safe). @param {RespClient} client @returns {Promise<Buffer[]>} */
async function scanAll(client) {
  /** @type {Map<string, Buffer>} */
  const seen = new Map();
  let cursor = '0';
  do {
    const reply = /** @type {RespReply[]} */ (await client.call('SCAN', cursor, 'COUNT', 1000));
    cursor = text(/** @type {RespReply} */ (reply[0]));
    for (const k of /** @type {Buffer[]} */ (reply[1])) seen.set(k.toString('hex'), k);
  } while (cursor !== '0');
  return [...seen.values()];
}

/**
 * @param {RespClient} client
 * @param {Buffer} key
 * @returns {Promise<StreamTruth>}
 */
async function streamTruth(client, key) {
  const [infoReply, groupsReply] = await client.pipeline([
    ['XINFO', 'STREAM', key],
    ['XINFO', 'GROUPS', key],
  ]);
  const info = pairs(/** @type {RespReply} */ (infoReply));
  const optText = (/** @type {string} */ name) => (info.has(name) ? text(/** @type {RespReply} */ (info.get(name))) : null);
  const optNum = (/** @type {string} */ name) => (info.has(name) ? num(/** @type {RespReply} */ (info.get(name))) : null);
  const groupInfo = (/** @type {RespReply[]} */ (groupsReply ?? [])).map((g) => {
    const m = pairs(g);
    const entriesRead = m.get('entries-read');
    return {
      name: text(/** @type {RespReply} */ (m.get('name'))),
      consumers: num(/** @type {RespReply} */ (m.get('consumers'))),
      pending: num(/** @type {RespReply} */ (m.get('pending'))),
      lastDeliveredId: text(/** @type {RespReply} */ (m.get('last-delivered-id'))),
      entriesRead: typeof entriesRead === 'number' ? entriesRead : null,
    };
  });
  return {
    length: num(/** @type {RespReply} */ (info.get('length'))),
    groups: num(/** @type {RespReply} */ (info.get('groups'))),
    lastGeneratedId: optText('last-generated-id') ?? '',
    maxDeletedEntryId: optText('max-deleted-entry-id'),
    entriesAdded: optNum('entries-added'),
    recordedFirstEntryId: optText('recorded-first-entry-id'),
    radixTreeKeys: optNum('radix-tree-keys') ?? 0,
    pending: groupInfo.reduce((s, g) => s + g.pending, 0),
    consumers: groupInfo.reduce((s, g) => s + g.consumers, 0),
    groupInfo,
  };
}

/**
 * The server's own description of every key, sorted by db then key bytes. Reads that do not
 * touch the key's LRU/LFU clock (TYPE, OBJECT, PTTL, PEXPIRETIME) come first so OBJECT FREQ /
 * IDLETIME still match what the last SAVE wrote.
 * @param {RespClient} client
 * @returns {Promise<KeyTruth[]>}
 */
export async function collectTruth(client) {
  const policy = text(/** @type {RespReply[]} */ (await client.call('CONFIG', 'GET', 'maxmemory-policy'))[1] ?? '');
  const lfu = policy.includes('lfu');
  /** @type {KeyTruth[]} */
  const out = [];
  for (const db of await nonEmptyDbs(client)) {
    await client.call('SELECT', db);
    const keys = await scanAll(client);
    const first = await client.pipeline(
      keys.flatMap((k) => [
        ['TYPE', k],
        ['OBJECT', 'ENCODING', k],
        ['PTTL', k],
        ['PEXPIRETIME', k],
        lfu ? ['OBJECT', 'FREQ', k] : ['OBJECT', 'IDLETIME', k],
      ]),
    );
    const types = keys.map((_, i) => text(/** @type {RespReply} */ (first[i * 5])));
    const second = await client.pipeline(
      keys.flatMap((k, i) => [
        [COUNT_COMMAND[/** @type {string} */ (types[i])] ?? 'EXISTS', k],
        ['MEMORY', 'USAGE', k, 'SAMPLES', '0'],
      ]),
    );
    for (let i = 0; i < keys.length; i++) {
      const key = /** @type {Buffer} */ (keys[i]);
      const expireAt = num(/** @type {RespReply} */ (first[i * 5 + 3]));
      const clock = num(/** @type {RespReply} */ (first[i * 5 + 4]));
      /** @type {KeyTruth} */
      const truth = {
        db,
        keyHex: key.toString('hex'),
        type: /** @type {string} */ (types[i]),
        encoding: text(/** @type {RespReply} */ (first[i * 5 + 1])),
        pttl: num(/** @type {RespReply} */ (first[i * 5 + 2])),
        expireAtMs: expireAt < 0 ? null : expireAt,
        elements: num(/** @type {RespReply} */ (second[i * 2])),
        memoryUsage: num(/** @type {RespReply} */ (second[i * 2 + 1])),
        ...(lfu ? { lfuFreq: clock } : { idleSeconds: clock }),
      };
      if (truth.type === 'stream') truth.stream = await streamTruth(client, key);
      out.push(truth);
    }
  }
  await client.call('SELECT', 0);
  out.sort((a, b) => a.db - b.db || (a.keyHex < b.keyHex ? -1 : a.keyHex > b.keyHex ? 1 : 0));
  return out;
}

/**
 * Server facts for a truth file: version, the config values that shape encodings, and the RDB
 * version byte read from the dump header (rdb-format.md §1.2: "REDIS" + 4 ASCII digits).
 * @param {RespClient} client
 * @param {Buffer} dumpHead  at least the first 9 bytes of the dump
 * @param {string[]} configNames
 */
export async function serverFacts(client, dumpHead, configNames) {
  const info = text(await client.call('INFO', 'server'));
  const version = /redis_version:(\S+)/.exec(info)?.[1] ?? null;
  /** @type {Record<string, string>} */
  const config = {};
  for (const name of configNames) {
    const r = /** @type {RespReply[]} */ (await client.call('CONFIG', 'GET', name));
    config[name] = text(/** @type {RespReply} */ (r[1] ?? ''));
  }
  const libs = /** @type {RespReply[]} */ (await client.call('FUNCTION', 'LIST'));
  const functions = libs.map((l) => text(/** @type {RespReply} */ (pairs(l).get('library_name'))));
  return {
    redis_version: version,
    magic: dumpHead.toString('latin1', 0, 5),
    rdbVersion: Number(dumpHead.toString('latin1', 5, 9)),
    config,
    functions,
  };
}
