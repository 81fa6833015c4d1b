import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { bigDump, interruptCli } from '../support/interrupted-cli.js';
import { tempDir } from '../support/temp.js';

/**
 * Runs analyze, sends `signal` as soon as its database file appears: the signal handlers are in
 * place before the database is opened, and a later signal races the end of the load.
 */
function interrupt(dir: string, args: string[], dbFile: string, signal: NodeJS.Signals): Promise<number | null> {
  return interruptCli(dir, ['analyze', ...args], () => existsSync(join(dir, dbFile)), signal);
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
