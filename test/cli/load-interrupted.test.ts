import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { bigDump, interruptCli } from '../support/interrupted-cli.js';
import { tempDir } from '../support/temp.js';

// `load` into a database it created, interrupted (Ctrl-C, kill): with no file finished, nothing in
// the database is a snapshot and it goes; once a file has finished, it stays with that snapshot.

const interrupt = (dir: string, args: string[], ready: () => boolean, signal: NodeJS.Signals) => interruptCli(dir, ['load', ...args], ready, signal);

describe.skipIf(!cliBuilt)('load interrupted (Ctrl-C, kill) into a database it created', () => {
  it('removes the database when no file has finished; keeps it with the finished snapshots otherwise', async () => {
    const dir = tempDir();
    bigDump(join(dir, 'big.rdb'));
    const db = join(dir, 'new.sqlite');
    // The signal handlers are in place before the database file is created: once it is there, the
    // load is under way (a later signal races the end of the load).
    const started = () => existsSync(db);
    expect(await interrupt(dir, ['big.rdb', '--db', 'new.sqlite'], started, 'SIGINT'), 'SIGINT, nothing finished').toBe(130);
    expect(readdirSync(dir)).toEqual(['big.rdb']);
    expect(await interrupt(dir, ['big.rdb', '--db', 'new.sqlite'], started, 'SIGTERM'), 'SIGTERM, nothing finished').toBe(143);
    expect(readdirSync(dir)).toEqual(['big.rdb']);

    // a small dump first: once it is a snapshot, the interrupt during the big one keeps the database
    copyFileSync(join(FIXTURES_DIR, 'growth-a.rdb'), join(dir, 'growth-a.rdb'));
    const finished = () => {
      const r = existsSync(db) ? runCli(['sql', "SELECT count(*) n FROM snapshots WHERE status = 'complete'", '--db', 'new.sqlite', '--format', 'csv'], dir) : null;
      return r !== null && r.stdout === 'n\n1\n';
    };
    expect(await interrupt(dir, ['growth-a.rdb', 'big.rdb', '--db', 'new.sqlite'], finished, 'SIGINT'), 'SIGINT, one finished').toBe(130);
    expect(runCli(['report', 'summary', '--db', 'new.sqlite', '--snapshot', 'growth-a.rdb'], dir).code).toBe(0);
  }, 120_000);
});
