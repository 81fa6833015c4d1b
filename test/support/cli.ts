import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './corpus.js';

/** The compiled CLI (`npm test` builds it first; `npx tsc -p .` by hand). */
export const CLI_MAIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
export const cliBuilt = existsSync(CLI_MAIN);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], cwd: string): CliRun {
  const r = spawnSync(process.execPath, [CLI_MAIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, RDBSCOPE_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
