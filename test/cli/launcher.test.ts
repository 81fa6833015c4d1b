/**
 * bin/rdbscope run the way an installed CLI runs (executed, not `node bin/rdbscope`): sh starts node
 * on the same file with the V8 flags that cap the writer thread's young generation and the heaps'
 * growth between full collections (not for info and keys, which stream one dump).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, PROJECT_ROOT } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

const BIN = path.join(PROJECT_ROOT, 'bin', 'rdbscope');
// The launcher execs the `node` on PATH: make it the one running the tests.
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`, RDBSCOPE_DEBUG: '' };

function exec(file: string, args: string[], extraEnv: Record<string, string> = {}) {
  const r = spawnSync(file, args, { encoding: 'utf8', env: { ...env, ...extraEnv } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('bin/rdbscope launcher', () => {
  it('runs the CLI with --max-semi-space-size=4 --heap-growing-percent=30 (info and keys without), also through a symlink (npm bin links)', () => {
    const dir = tempDir();
    const probe = path.join(dir, 'probe.cjs');
    writeFileSync(probe, 'process.stderr.write("execArgv=" + JSON.stringify(process.execArgv) + " arenas=" + process.env.MALLOC_ARENA_MAX + "\\n");');
    const link = path.join(dir, 'rdbscope');
    symlinkSync(BIN, link);
    const version = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    for (const file of [BIN, link]) {
      const r = exec(file, ['--version'], { NODE_OPTIONS: `--require ${probe}` });
      expect(r.code, r.err).toBe(0);
      expect(r.out.trim()).toBe(version);
      expect(r.err).toContain('execArgv=["--max-semi-space-size=4","--heap-growing-percent=30"] arenas=2');
    }
    // The two streaming commands start without V8 flags (they cost node ~20 ms of start-up).
    for (const command of ['info', 'keys']) {
      const r = exec(BIN, [command, '--help'], { NODE_OPTIONS: `--require ${probe}` });
      expect(r.code, r.err).toBe(0);
      expect(r.err).toContain('execArgv=[] arenas=2');
    }
    for (const command of ['load', 'analyze', 'export', 'report']) {
      const r = exec(BIN, [command, '--help'], { NODE_OPTIONS: `--require ${probe}` });
      expect(r.code, r.err).toBe(0);
      expect(r.err).toContain('execArgv=["--max-semi-space-size=4","--heap-growing-percent=30"] arenas=2');
    }
    // A caller's own malloc setting wins.
    const own = exec(BIN, ['--version'], { NODE_OPTIONS: `--require ${probe}`, MALLOC_ARENA_MAX: '8' });
    expect(own.err).toContain('arenas=8');
  });

  it('passes arguments through unchanged (spaces, quotes, globs) and returns the exit code', () => {
    const dir = tempDir();
    const odd = path.join(dir, `a dump "with" * and $HOME.rdb`);
    copyFileSync(path.join(FIXTURES_DIR, 'mixed-7.0.rdb'), odd);
    const direct = exec(BIN, ['info', odd, '--format', 'json']);
    const viaNode = exec(process.execPath, [BIN, 'info', odd, '--format', 'json']);
    expect(direct.code, direct.err).toBe(0);
    expect(direct.out).toBe(viaNode.out);
    const missing = exec(BIN, ['info', path.join(dir, 'missing.rdb')]);
    const missingViaNode = exec(process.execPath, [BIN, 'info', path.join(dir, 'missing.rdb')]);
    expect(missing.code).not.toBe(0);
    expect(missing.code).toBe(missingViaNode.code);
    expect(missing.err).toBe(missingViaNode.err);
  });
});
