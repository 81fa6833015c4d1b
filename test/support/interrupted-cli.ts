/**
 * For tests that stop the CLI midway (Ctrl-C, kill): a dump big enough that a load of it is still
 * running when the signal comes, and a run of the CLI that gets the signal once a condition holds.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { CLI_MAIN } from './cli.js';
import { RdbWriter, TYPE } from './rdb-writer.js';

/** Keys of bigDump: a load of them takes a second or more here. */
export const BIG_DUMP_KEYS = 600_000;

/** A Redis 7.0 dump of BIG_DUMP_KEYS small strings (`k:<i>` = `v<i>`), ctime 1700000000. */
export function bigDump(path: string): void {
  const w = new RdbWriter({ version: 10 });
  w.aux('redis-ver', '7.0.15').aux('ctime', '1700000000').selectDb(0).resizeDb(BIG_DUMP_KEYS, 0);
  for (let i = 0; i < BIG_DUMP_KEYS; i++) w.key(TYPE.STRING, `k:${i}`).string(`v${i}`);
  writeFileSync(path, w.finish());
}

/**
 * Runs `rdbscope <args> --quiet` in `dir`, sends `signal` as soon as `ready()` holds (polled every
 * 20 ms, for at most a minute), and resolves with the exit code. Fails the test when the command
 * ended before it could be interrupted.
 */
export async function interruptCli(dir: string, args: string[], ready: () => boolean, signal: NodeJS.Signals): Promise<number | null> {
  const child = spawn(process.execPath, [CLI_MAIN, ...args, '--quiet'], { cwd: dir, stdio: 'ignore', env: { ...process.env, RDBSCOPE_DEBUG: '' } });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  let sent = false;
  while (Date.now() < deadline && child.exitCode === null) {
    await new Promise((r) => setTimeout(r, 20));
    if (ready()) {
      if (child.exitCode !== null) break;
      child.kill(signal);
      sent = true;
      break;
    }
  }
  const code = await exited;
  expect(sent, `${args[0]} finished before it could be interrupted; make the dump bigger`).toBe(true);
  return code;
}
