import { HASH_SPLIT_MIN_FIELDS } from './thresholds.js';

/**
 * What to do about a big key, by type: the fix that fits how Redis stores it. Keys that already
 * have a TTL are not told to get one. A hash is told to split only past HASH_SPLIT_MIN_FIELDS fields,
 * as the diagnosis's command (remedy-command.ts): a smaller one is already a listpack or close to
 * one, and splitting it adds a key's overhead per bucket without making its fields smaller.
 */
export function remedyFor(type: string, hasTtl: boolean, elements: number): string {
  switch (type) {
    case 'list':
      return 'cap its length: LTRIM after each push';
    case 'set':
      return hasTtl ? 'cap its size (SPOP / SREM old members)' : 'cap its size (SREM) or give it a TTL';
    case 'zset':
      return hasTtl ? 'cap it: ZREMRANGEBYRANK / ZREMRANGEBYSCORE' : 'cap it (ZREMRANGEBYRANK) or give it a TTL';
    case 'hash':
      if (elements > HASH_SPLIT_MIN_FIELDS) return 'split into smaller hashes (bucket the fields by id)';
      return hasTtl ? '' : 'give it a TTL if it is not permanent';
    case 'stream':
      return 'trim it: XTRIM MAXLEN ~ N (or MINID), or XADD with MAXLEN';
    case 'string':
      // With a TTL it goes by itself; only its size is left to act on, and a ranking of --top N lists
      // small strings too: the advice names the condition instead of calling every one large.
      return hasTtl ? 'expires by itself; if the value is large, compress or split it' : 'give it a TTL (EXPIRE) if it is a cache entry';
    default:
      return hasTtl ? '' : 'give it a TTL if it is not permanent';
  }
}
