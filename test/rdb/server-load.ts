/**
 * Loads bytes into a real redis-server as its dump.rdb at start-up: the server's own answer to "does
 * this file load, and into what?", for files built by the test writer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRedis } from '../../scripts/lib/redis-server.mjs';

type RunningRedis = Awaited<ReturnType<typeof startRedis>>;

/** Runs `body` on a server started on `rdb`; rejects (with the server's log) when it refuses the file. */
export async function withServerOn<T>(rdb: Uint8Array, body: (server: RunningRedis) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdbscope-serverload-'));
  try {
    writeFileSync(path.join(dir, 'dump.rdb'), rdb);
    const server = await startRedis({ dir });
    try {
      return await body(server);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
