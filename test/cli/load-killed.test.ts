import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CLI_MAIN, cliBuilt, runCli } from '../support/cli.js';
import { BIG_DUMP_KEYS, bigDump } from '../support/interrupted-cli.js';
import { tempDir } from '../support/temp.js';

const KEYS = BIG_DUMP_KEYS;

const query = <T>(dbPath: string, sql: string): T => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(sql).get() as T;
  } finally {
    db.close();
  }
};

describe.skipIf(!cliBuilt)('a load killed midway (SIGKILL)', () => {
  it('leaves a consistent database without a finished snapshot; the next load completes', async () => {
    const dir = tempDir();
    const dump = join(dir, 'big.rdb');
    const dbPath = join(dir, 'x.sqlite');
    bigDump(dump);
    const child = spawn(process.execPath, [CLI_MAIN, 'load', dump, '--db', dbPath, '--quiet'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Kill once some keys are committed (the loader commits every 250k keys).
    const deadline = Date.now() + 60_000;
    let killed = false;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      if (child.exitCode !== null) break;
      try {
        if (query<{ n: number }>(dbPath, 'SELECT count(*) n FROM keys').n > 0) {
          child.kill('SIGKILL');
          killed = true;
          break;
        }
      } catch {
        // database or schema not created yet
      }
    }
    await exited;
    expect(killed, 'the load finished before it could be killed; make the dump bigger').toBe(true);

    expect(query<{ integrity_check: string }>(dbPath, 'PRAGMA integrity_check').integrity_check).toBe('ok');
    expect(query<{ n: number }>(dbPath, "SELECT count(*) n FROM snapshots WHERE status <> 'loading'").n).toBe(0);
    expect(runCli(['report', 'summary', '--db', dbPath], dir).code).toBe(2); // no finished snapshot: says so

    const again = runCli(['load', dump, '--db', dbPath], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/loaded as snapshot \d+: 600000 keys/);
    expect(query<{ s: number; k: number }>(dbPath, 'SELECT (SELECT count(*) FROM snapshots) s, (SELECT count(*) FROM keys) k')).toEqual({ s: 1, k: KEYS });
  });
});
