/**
 * bin/rdbscope run the way an installed CLI runs (executed, not `node bin/rdbscope`): sh starts node
 * on the same file with the V8 flags that cap the writer thread's young generation and the heaps'
 * growth between full collections (not for info and keys, which stream one dump).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import lz4 from 'lz4js';
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

  it('runs the bundled CLI (scripts/bundle.mjs): a command and its threads load a few files from dist/bundle/, none from the rest of dist/', () => {
    const dir = tempDir();
    const log = path.join(dir, 'loaded.txt');
    // Module hooks that log every file node resolves; registered in the main thread and in each
    // worker (the --import in NODE_OPTIONS runs in both).
    const hooks = path.join(dir, 'hooks.mjs');
    writeFileSync(hooks, `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}\n`);
    const register = path.join(dir, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const dist = pathToFileURL(path.join(PROJECT_ROOT, 'dist')).href + '/';
    const filesLoadedBy = (args: string[]) => {
      writeFileSync(log, '');
      const r = exec(BIN, args, { NODE_OPTIONS: `--import ${pathToFileURL(register).href}` });
      expect(r.code, r.err).toBe(0);
      return [...new Set(readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith(dist)))].map((u) => u.slice(dist.length));
    };
    // `info` of an .lz4 backup decompresses it on a thread (lz4-worker); unbundled it loads 54 modules of dist/.
    const lz4Dump = path.join(dir, 'dump.rdb.lz4');
    writeFileSync(lz4Dump, lz4.compress(readFileSync(path.join(FIXTURES_DIR, 'mixed-7.0.rdb'))));
    const info = filesLoadedBy(['info', lz4Dump]);
    for (const entry of ['main.js', 'lz4-worker.js']) expect(info).toContain(`bundle/${entry}`);
    expect(info.filter((f) => !f.startsWith('bundle/'))).toEqual([]);
    expect(info.length).toBeLessThan(30);
    // `load` parses on a thread (load-worker); unbundled it loads 114 modules of dist/.
    const load = filesLoadedBy(['load', path.join(FIXTURES_DIR, 'mixed-7.0.rdb'), '--db', path.join(dir, 'x.sqlite'), '--quiet']);
    for (const entry of ['main.js', 'load-worker.js']) expect(load).toContain(`bundle/${entry}`);
    expect(load.filter((f) => !f.startsWith('bundle/'))).toEqual([]);
    expect(load.length).toBeLessThan(50);
  });
});
