import { execFile, spawnSync } from 'node:child_process';
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

/** runCli without blocking the test worker's event loop (long runs, many in one file). */
export function runCliAsync(args: string[], cwd: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_MAIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, RDBSCOPE_DEBUG: '' } }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}
