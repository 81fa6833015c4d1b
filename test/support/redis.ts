/**
 * Gate for tests that need a real redis-server. Without one they are skipped with a clear
 * message on a developer machine, but fail in CI (CI=true), where they must always run.
 */
import { describe, it } from 'vitest';
import { redisServerPath } from '../../scripts/lib/redis-server.mjs';

export const REDIS_SERVER: string | null = redisServerPath();

/** What the callers use of `describe`: name and body. */
type Describe = (name: string, body: () => void) => void;

/**
 * `const describeRedis = requireRedis(); describeRedis('…', () => { … })`.
 * Returns `describe` when redis-server is present.
 */
export function requireRedis(): Describe {
  if (REDIS_SERVER) return (name, body) => describe(name, body);
  const why = 'redis-server not found ($REDIS_SERVER, PATH, /usr/bin/redis-server); install it (apt-get install redis-server)';
  if (process.env.CI === 'true') {
    return (name) =>
      describe(name, () => {
        it('needs redis-server (required when CI=true)', () => {
          throw new Error(why);
        });
      });
  }
  console.warn(`[skip] ${why}; server-backed tests are skipped`);
  return (name, body) => describe.skip(name, body);
}
