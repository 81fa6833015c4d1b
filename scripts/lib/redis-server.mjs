// @ts-check
/**
 * Starts a private, throw-away redis-server for fixtures and differential tests: loopback only, a
 * free port of its own, its own temporary directory, no persistence except an explicit SAVE. Never
 * touches a system service.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connectResp } from './resp.mjs';

/** @typedef {import('./resp.mjs').RespClient} RespClient */

/**
 * @typedef {object} RunningRedis
 * @property {number} port
 * @property {RespClient} client
 * @property {string} dir  working directory holding dump.rdb
 * @property {() => Promise<string>} save  runs SAVE; resolves with the path of dump.rdb
 * @property {() => Promise<void>} stop  kills the server (and removes `dir` when we created it)
 * @property {() => string} log  what the server printed so far (for error messages)
 */

/** @param {string} file */
function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the redis-server binary: $REDIS_SERVER, then PATH, then /usr/bin/redis-server.
 * @returns {string | null}
 */
export function redisServerPath() {
  const fromEnv = process.env.REDIS_SERVER;
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'redis-server');
    if (isExecutable(candidate)) return candidate;
  }
  return isExecutable('/usr/bin/redis-server') ? '/usr/bin/redis-server' : null;
}

/** Asks the kernel for a free loopback port. @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts redis-server and waits until PING answers.
 * @param {{ extraArgs?: string[], dir?: string, binary?: string }} [options]
 * @returns {Promise<RunningRedis>}
 */
export async function startRedis(options = {}) {
  const binary = options.binary ?? redisServerPath();
  if (!binary) throw new Error('redis-server not found (looked at $REDIS_SERVER, PATH, /usr/bin/redis-server)');
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'rdbscope-redis-'));

  // The port is free when we ask; another process may take it before redis binds, so retry.
  let lastError = /** @type {unknown} */ (null);
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      return await launch(binary, port, dir, ownDir, options.extraArgs ?? []);
    } catch (err) {
      lastError = err;
    }
  }
  if (ownDir) rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

/**
 * @param {string} binary
 * @param {number} port
 * @param {string} dir
 * @param {boolean} ownDir
 * @param {string[]} extraArgs
 * @returns {Promise<RunningRedis>}
 */
async function launch(binary, port, dir, ownDir, extraArgs) {
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--protected-mode', 'yes',
    '--save', '',
    '--appendonly', 'no',
    '--dir', dir,
    '--dbfilename', 'dump.rdb',
    '--daemonize', 'no',
    '--enable-debug-command', 'local',
    '--logfile', '',
    ...extraArgs,
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  /** @type {number | null} */
  let exitCode = null;
  let exited = false;
  const exitPromise = new Promise((resolve) =>
    child.once('exit', (code) => {
      exited = true;
      exitCode = code;
      resolve(undefined);
    }),
  );

  const deadline = Date.now() + 10_000;
  /** @type {RespClient | null} */
  let client = null;
  while (!client) {
    if (exited) throw new Error(`redis-server exited (code ${exitCode}) before answering PING:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING within 10 s:\n${output}`);
    }
    try {
      const c = await connectResp(port);
      if ((await c.call('PING')) === 'PONG') client = c;
      else c.close();
    } catch {
      await sleep(50);
    }
  }

  const connected = client;
  return {
    port,
    client: connected,
    dir,
    log: () => output,
    async save() {
      await connected.call('SAVE');
      return path.join(dir, 'dump.rdb');
    },
    async stop() {
      connected.close();
      if (!exited) {
        child.kill('SIGKILL');
        await exitPromise;
      }
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
