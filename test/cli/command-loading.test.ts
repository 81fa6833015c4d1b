/**
 * Commands are loaded on demand (src/cli/commands/index.ts): the one a command line names, none for
 * --version, every one for help and usage errors. Each loader must register the command of its own
 * name, or `rdbscope <name>` would find nothing to run.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandsFor } from '../../src/cli/commands/index.js';
import { PROJECT_ROOT } from '../support/corpus.js';

const registered = async (argv: string[]) => {
  const program = new Command();
  for (const register of await commandsFor(argv)) register(program);
  return program.commands.map((c) => c.name());
};

describe('commands loaded on demand', () => {
  it('each name loads exactly its own command', async () => {
    for (const name of Object.keys(COMMANDS)) expect(await registered([name, 'x.rdb', '--format', 'json'])).toEqual([name]);
  });

  it('help, no command and an unknown word load every command; --version none', async () => {
    const all = Object.keys(COMMANDS);
    expect(all).toEqual(['info', 'keys', 'load', 'analyze', 'report', 'sql', 'html', 'export']);
    for (const argv of [['--help'], [], ['bogus'], ['constructor'], ['--version', 'info']]) expect(await registered(argv)).toEqual(all);
    expect(await registered(['--version'])).toEqual([]);
    expect(await registered(['-V'])).toEqual([]);
  });

  it('the built CLI lists every command in --help and refuses an unknown one with exit 2', () => {
    const bin = path.join(PROJECT_ROOT, 'bin', 'rdbscope');
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    const bogus = spawnSync(process.execPath, [bin, 'bogus'], { encoding: 'utf8' });
    expect(bogus.status).toBe(2);
    expect(bogus.stderr).toContain("unknown command 'bogus'");
  });

  it('a load or export that stops at a usage error exits at once, though its parsing thread was started', () => {
    const bin = path.join(PROJECT_ROOT, 'bin', 'rdbscope');
    for (const argv of [['load', 'x.rdb'], ['export', 'x.rdb', '--format', 'parquet']]) {
      const r = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8', timeout: 30_000 });
      expect(r.signal).toBeNull();
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/needs --(db|out)/);
    }
  });
});
