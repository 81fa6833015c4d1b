import { startRedis } from '../../scripts/lib/redis-server.mjs';

/**
 * A dump of the machine's redis-server (Debian's: jemalloc quantum 16) whose first keys cannot tell
 * the allocator build and whose used-mem then can (src/memory/build-choice.ts): a load or export
 * chooses the official build on the first keys and must read it again with quantum 16.
 * db 0, read first: 20 000 strings of 2 KB, whose estimates no quantum changes. db 1: 400 000
 * strings of 50 bytes, each 8 bytes larger with quantum 16 (an sds of 54 bytes: 56 or 64). 15 MB.
 */
export async function misleadingBuildDump(dir: string): Promise<string> {
  const server = await startRedis({ dir });
  try {
    const c = server.client;
    await c.call('DEBUG', 'POPULATE', '20000', 'big', '2000');
    await c.call('SELECT', '1');
    await c.call('DEBUG', 'POPULATE', '400000', 'key', '50');
    return await server.save();
  } finally {
    await server.stop();
  }
}

/** Keys in misleadingBuildDump. */
export const MISLEADING_BUILD_DUMP_KEYS = 420_000;
