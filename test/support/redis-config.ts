/**
 * What a real redis-server started with a config file runs with: for tests that check that a
 * redis.conf is read as Redis reads it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REDIS_SERVER } from './redis.js';

/**
 * CONFIG GET of each of `names` on a redis-server started with `conf`, or 'refused' when it will
 * not start. On a unix socket of its own, no TCP port; started in `dir`.
 */
export async function serverConfig(conf: string, dir: string, names: readonly string[]): Promise<Record<string, string> | 'refused'> {
  const sock = join(dir, `redis-${Math.random().toString(36).slice(2)}.sock`);
  const child = spawn(REDIS_SERVER!, [conf, '--port', '0', '--unixsocket', sock, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''], { cwd: dir, stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    const deadline = Date.now() + 10_000;
    while (!exited && !existsSync(sock)) {
      if (Date.now() > deadline) throw new Error(`redis-server ${conf}: neither started nor exited`);
      await new Promise((r) => setTimeout(r, 20));
    }
    if (exited) return 'refused';
    const get = (name: string) => spawnSync('redis-cli', ['-s', sock, 'CONFIG', 'GET', name], { encoding: 'utf8' }).stdout.trim().split('\n')[1]!;
    return Object.fromEntries(names.map((n) => [n, get(n)]));
  } finally {
    if (!exited) child.kill('SIGKILL');
  }
}
