/**
 * Loads bytes into a real redis-server as its dump.rdb at start-up: the server's own answer to "does
 * this file load, and into what?", for files built by the test writer.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redisServerPath, startRedis } from '../../scripts/lib/redis-server.mjs';

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

/**
 * Starts redis-server once (no TCP port: a unix socket in its own directory) on `rdb` and returns its log when it exits on its own
 * within `ms` (it refused the file), or null when it was still running (it loaded the file).
 */
export function serverExitLog(rdb: Uint8Array, ms = 15_000): string | null {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdbscope-serverload-'));
  try {
    writeFileSync(path.join(dir, 'dump.rdb'), rdb);
    const args = [
      '--port', '0', '--unixsocket', path.join(dir, 'redis.sock'), '--dir', dir, '--dbfilename', 'dump.rdb',
      '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', '',
    ];
    const run = spawnSync(redisServerPath()!, args, { encoding: 'utf8', timeout: ms, killSignal: 'SIGKILL' });
    return run.error ? null : run.stdout + run.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
