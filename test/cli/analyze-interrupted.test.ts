import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_MAIN, cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { tempDir } from '../support/temp.js';

const KEYS = 600_000;

function bigDump(path: string): void {
  const w = new RdbWriter({ version: 10 });
  w.aux('redis-ver', '7.0.15').aux('ctime', '1700000000').selectDb(0).resizeDb(KEYS, 0);
  for (let i = 0; i < KEYS; i++) w.key(TYPE.STRING, `k:${i}`).string(`v${i}`);
  writeFileSync(path, w.finish());
}

/** Starts analyze, sends `signal` once its database file exists, and resolves with the exit code. */
async function interrupt(dir: string, args: string[], dbFile: string, signal: NodeJS.Signals): Promise<number | null> {
  const child = spawn(process.execPath, [CLI_MAIN, 'analyze', ...args, '--quiet'], { cwd: dir, stdio: 'ignore', env: { ...process.env, RDBSCOPE_DEBUG: '' } });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  let sent = false;
  while (Date.now() < deadline && child.exitCode === null) {
    await new Promise((r) => setTimeout(r, 20));
    // Past the schema: the load is under way.
    if (existsSync(join(dir, dbFile))) {
      await new Promise((r) => setTimeout(r, 300));
      if (child.exitCode !== null) break;
      child.kill(signal);
      sent = true;
      break;
    }
  }
  const code = await exited;
  expect(sent, 'analyze finished before it could be interrupted; make the dump bigger').toBe(true);
  return code;
}

describe.skipIf(!cliBuilt)('analyze interrupted during its load (Ctrl-C, kill)', () => {
  it('removes the database it created, with its journal, and exits 130 / 143', async () => {
    const dir = tempDir();
    bigDump(join(dir, 'big.rdb'));
    expect(await interrupt(dir, ['big.rdb'], 'big.rdbscope.sqlite', 'SIGINT')).toBe(130);
    expect(readdirSync(dir)).toEqual(['big.rdb']);
    expect(await interrupt(dir, ['big.rdb', '--db', 'other.sqlite'], 'other.sqlite', 'SIGTERM')).toBe(143);
    expect(readdirSync(dir)).toEqual(['big.rdb']);
  }, 120_000);

  it('leaves a database that was there before: its snapshots stay readable', async () => {
    const dir = tempDir();
    bigDump(join(dir, 'big.rdb'));
    copyFileSync(join(FIXTURES_DIR, 'growth-a.rdb'), join(dir, 'growth-a.rdb'));
    expect(runCli(['load', 'growth-a.rdb', '--db', 'fleet.sqlite', '--quiet'], dir).code).toBe(0);
    await interrupt(dir, ['big.rdb', '--db', 'fleet.sqlite'], 'fleet.sqlite', 'SIGINT');
    expect(existsSync(join(dir, 'fleet.sqlite'))).toBe(true);
    expect(runCli(['report', 'summary', '--db', 'fleet.sqlite', '--snapshot', 'growth-a.rdb'], dir).code).toBe(0);
  }, 120_000);
});
