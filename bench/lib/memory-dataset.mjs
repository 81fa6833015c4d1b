// @ts-check
/**
 * A large seeded dataset for the memory-accuracy benchmark and the used-mem reconciliation test:
 * every type and encoding, element sizes from tiny to large, shaped like a real keyspace (most keys
 * small, a long tail of big ones) so that 200 k keys stay a few hundred MB. Reuses the PRNG and the
 * value generators of scripts/lib/dataset.mjs; only the mix and the size distribution are new.
 * Also: the server's MEMORY USAGE / OBJECT ENCODING of every key, pipelined.
 */
import { Sender } from '../../scripts/lib/resp.mjs';
import { Rng, hashCommands, listCommands, maybeExpiry, setCommands, streamCommands, zsetCommands } from '../../scripts/lib/dataset.mjs';

/** @typedef {import('../../scripts/lib/resp.mjs').RespClient} RespClient */
/** @typedef {import('../../scripts/lib/resp.mjs').RespArg} RespArg */
/** @typedef {import('../../scripts/lib/resp.mjs').RespReply} RespReply */

/** Element count: mostly compact encodings, thresholds, a thin tail up to 15 000. @param {Rng} rng */
function elementCount(rng) {
  const r = rng.next();
  if (r < 0.6) return rng.int(1, 8);
  if (r < 0.85) return rng.int(9, 127);
  if (r < 0.9) return rng.pick([128, 129, 511, 512, 513]);
  if (r < 0.974) return rng.int(130, 600);
  if (r < 0.994) return rng.int(601, 2000);
  if (r < 0.999) return rng.int(2001, 5000);
  return rng.int(5001, 15000);
}

/** A string value: integers, embstr, raw, compressible, binary, rare 10–100 KB ones. @param {Rng} rng @returns {string | Buffer} */
function stringValue(rng) {
  const r = rng.next();
  if (r < 0.18) return String(rng.pick([0, 1, -1, 42, 9999, 10000, rng.int(-1e9, 1e9), rng.int(0, 2 ** 52)]));
  if (r < 0.2) return rng.pick(['9223372036854775807', '-9223372036854775808', '007', '+5', '1e3', '']);
  if (r < 0.6) return rng.alnum(rng.int(1, 44));
  if (r < 0.8) return rng.alnum(rng.int(45, 300));
  if (r < 0.9) return rng.bytes(rng.int(300, 4000));
  if (r < 0.997) return 'ab'.repeat(rng.int(20, 2000)); // LZF-compressible in the file
  return rng.alnum(rng.int(10_000, 100_000));
}

const TYPES = ['string', 'string', 'string', 'string', 'string', 'string', 'string', 'string', 'hash', 'hash', 'hash', 'hash', 'list', 'list', 'set', 'set', 'zset', 'zset', 'stream'];

/**
 * Writes `keys` keys across `dbs` (45 % strings, the rest hashes, lists, sets, zsets, streams; a
 * quarter with a TTL; 2 % binary names). Returns the number of keys per type.
 * @param {RespClient} client
 * `maxElements` caps aggregate sizes (a smaller, faster dataset of the same shape).
 * @param {{ seed: number, keys: number, dbs?: number[], maxElements?: number }} options
 */
export async function writeMemoryDataset(client, { seed, keys, dbs = [0, 1], maxElements = Infinity }) {
  const rng = new Rng(seed);
  /** @type {Record<string, number>} */
  const perType = {};
  const sender = new Sender(client);
  let db = -1;
  for (let i = 0; i < keys; i++) {
    const type = rng.pick(TYPES);
    const nextDb = rng.pick(dbs);
    /** @type {RespArg[][]} */
    const cmds = [];
    if (nextDb !== db) cmds.push(['SELECT', nextDb]);
    db = nextDb;
    /** @type {RespArg} */
    const key = rng.chance(0.02)
      ? Buffer.concat([rng.bytes(rng.int(0, 12)), Buffer.from(`#${i}`)])
      : `${type}:${rng.pick(['user', 'session', 'cache', 'queue', 'leaderboard'])}:${i}${rng.chance(0.3) ? `:${rng.alnum(rng.int(1, 40))}` : ''}`;
    const n = Math.min(elementCount(rng), maxElements);
    switch (type) {
      case 'string':
        cmds.push(['SET', key, stringValue(rng)]);
        break;
      case 'list':
        cmds.push(...listCommands(rng, key, n));
        break;
      case 'set':
        cmds.push(...setCommands(rng, key, n));
        break;
      case 'zset':
        cmds.push(...zsetCommands(rng, key, n));
        break;
      case 'hash':
        cmds.push(...hashCommands(rng, key, n));
        break;
      default:
        cmds.push(...streamCommands(rng, key, Math.min(n, 400)));
    }
    cmds.push(...maybeExpiry(rng, key));
    perType[type] = (perType[type] ?? 0) + 1;
    for (const c of cmds) await sender.send(c);
  }
  await sender.done();
  await client.call('SELECT', 0);
  return perType;
}

/** @param {RespReply} r */
const text = (r) => (Buffer.isBuffer(r) ? r.toString('utf8') : String(r));

/**
 * TYPE, OBJECT ENCODING and MEMORY USAGE SAMPLES 0 of every key, pipelined 4000 keys at a time.
 * Keyed by `${db}:${key hex}`.
 * @param {RespClient} client
 * @returns {Promise<Map<string, { type: string, encoding: string, memory: number }>>}
 */
export async function collectMemoryTruth(client) {
  /** @type {Map<string, { type: string, encoding: string, memory: number }>} */
  const out = new Map();
  const info = text(await client.call('INFO', 'keyspace'));
  for (const m of info.matchAll(/^db(\d+):keys=/gm)) {
    const db = Number(m[1]);
    await client.call('SELECT', db);
    /** @type {Map<string, Buffer>} */
    const keys = new Map();
    let cursor = '0';
    do {
      const reply = /** @type {RespReply[]} */ (await client.call('SCAN', cursor, 'COUNT', 5000));
      cursor = text(/** @type {RespReply} */ (reply[0]));
      for (const k of /** @type {Buffer[]} */ (reply[1])) keys.set(k.toString('hex'), k);
    } while (cursor !== '0');
    const all = [...keys];
    for (let i = 0; i < all.length; i += 4000) {
      const part = all.slice(i, i + 4000);
      const replies = await client.pipeline(part.flatMap(([, k]) => [['TYPE', k], ['OBJECT', 'ENCODING', k], ['MEMORY', 'USAGE', k, 'SAMPLES', '0']]));
      part.forEach(([hex], j) => {
        out.set(`${db}:${hex}`, {
          type: text(/** @type {RespReply} */ (replies[j * 3])),
          encoding: text(/** @type {RespReply} */ (replies[j * 3 + 1])),
          memory: Number(replies[j * 3 + 2]),
        });
      });
    }
  }
  await client.call('SELECT', 0);
  return out;
}

/**
 * The profile id of a running server: `redis-<major>.<minor>` plus `-q16` when its jemalloc has a
 * 16-byte quantum (MEMORY MALLOC-STATS), as in test/memory/differential.test.ts.
 * @param {RespClient} client
 */
export async function serverProfileId(client) {
  const info = text(await client.call('INFO', 'server'));
  const [maj, min] = /** @type {RegExpExecArray} */ (/redis_version:(\d+)\.(\d+)/.exec(info)).slice(1).map(Number);
  const quantum = /Quantum size: 16/.test(text(await client.call('MEMORY', 'MALLOC-STATS'))) ? 16 : 8;
  return { id: `redis-${maj}.${min}${quantum === 16 ? '-q16' : ''}`, version: /redis_version:(\S+)/.exec(info)?.[1] ?? '?' };
}
