import { parseMemorySize } from './memory-size.js';
import { readRedisConf } from './redis-conf.js';
import { UsageError } from './exit.js';

/** What a redis.conf sets the server's memory limit to. */
export interface MemoryLimits {
  /** Bytes; 0 = no limit. */
  maxmemory: number;
  policy: string;
}

/**
 * Redis's defaults for a config file that does not set them (`R:config.c`: maxmemory 0, no limit on a
 * 64-bit build; maxmemory-policy noeviction).
 */
const REDIS_DEFAULT_LIMITS: MemoryLimits = { maxmemory: 0, policy: 'noeviction' };

/** The values maxmemory-policy takes (`R:config.c maxmemory_policy_enum`), matched without case. */
const MAXMEMORY_POLICIES = ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'];

/**
 * `maxmemory` and `maxmemory-policy` of the server a redis.conf starts, read as Redis reads the file
 * (redis-conf.ts readRedisConf, includes followed). A directive absent from every file keeps Redis's
 * default: no limit, noeviction. A line Redis would refuse to start with is a usage error naming the
 * file and line.
 */
export function readMemoryLimits(file: string): Partial<MemoryLimits> {
  // Both always set; Partial so that callers may write `conf ? readMemoryLimits(conf) : {}`.
  const out: MemoryLimits = { ...REDIS_DEFAULT_LIMITS };
  readRedisConf(file, ({ name, values, where }) => {
    if (name !== 'maxmemory' && name !== 'maxmemory-policy') return;
    if (values.length !== 1) throw new UsageError(`${where}: ${name} takes one argument, got ${values.length}`);
    const value = values[0]!;
    if (name === 'maxmemory') {
      const n = parseMemorySize(value);
      if (n === null) throw new UsageError(`${where}: maxmemory ${JSON.stringify(value)} is not a size`);
      out.maxmemory = n;
    } else {
      const policy = value.toLowerCase();
      if (!MAXMEMORY_POLICIES.includes(policy)) throw new UsageError(`${where}: maxmemory-policy ${JSON.stringify(value)} is not one of ${MAXMEMORY_POLICIES.join(', ')}`);
      out.policy = policy;
    }
  });
  return out;
}
