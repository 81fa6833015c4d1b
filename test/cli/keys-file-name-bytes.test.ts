/**
 * `keys` and `info` on a dump whose file name is not UTF-8 (`caf\xe9.rdb`, a Latin-1 directory):
 * Node decodes argv as UTF-8 with U+FFFD in place of such bytes, and opening that name found no
 * file. The name must be opened by the bytes the shell passed, in every input path (plain, gzip,
 * LZ4 on its worker thread), and named in messages with those bytes escaped.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { positionalBytes } from '../../src/cli/argv-bytes.js';
import { CLI_MAIN, cliBuilt } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

const linux = existsSync('/proc/self/cmdline');

/** Runs the CLI through sh with `name` in bytes (printf escapes), so the argument keeps them. */
function viaShell(command: string, dir: string, printfName: string): { code: number | null; out: string; err: string } {
  const r = spawnSync('/bin/sh', ['-c', `cd "$DIR" && exec "$NODE" "$MAIN" ${command} "$(printf '${printfName}')"`], {
    encoding: 'utf8',
    env: { ...process.env, NODE: process.execPath, MAIN: CLI_MAIN, DIR: dir, RDBSCOPE_DEBUG: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe.skipIf(!cliBuilt || !linux)('a dump file name that is not UTF-8', () => {
  it.each(['mixed-7.0.rdb', 'mixed-7.0.rdb.gz', 'mixed-7.0.rdb.lz4'])('keys and info read %s saved as caf\\xe9', (fixture) => {
    const dir = tempDir();
    // The name in bytes, 63 61 66 e9 on disk (a Buffer path).
    copyFileSync(path.join(FIXTURES_DIR, fixture), Buffer.from(path.join(dir, 'caf\xe9'), 'latin1'));
    const keys = spawnSync('/bin/sh', ['-c', `cd "$DIR" && exec "$NODE" "$MAIN" keys "$(printf 'caf\\351')"`], {
      encoding: 'utf8',
      env: { ...process.env, NODE: process.execPath, MAIN: CLI_MAIN, DIR: dir },
    });
    expect(keys.stderr).toBe('');
    expect(keys.status).toBe(0);
    expect(keys.stdout.trimEnd().split('\n')).toHaveLength(123);
    const info = viaShell('info', dir, 'caf\\351');
    expect(info.err).toBe('');
    expect(info.out).toMatch(/status +complete/);
  });

  it('a missing or damaged one is named with its bytes escaped', () => {
    const dir = tempDir();
    expect(viaShell('keys', dir, 'caf\\351').err).toBe('rdbscope: caf\\xe9: no such file [IO]\n');
    writeFileSync(Buffer.from(path.join(dir, 'caf\xe9'), 'latin1'), 'REDIS0010');
    const r = viaShell('info', dir, 'caf\\351');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^rdbscope: caf\\xe9: .* at byte \d+ \[\w+\]\n$/);
  });
});

describe.skipIf(!cliBuilt || !linux)('a --redis-conf file name that is not UTF-8', () => {
  it('is read by its bytes: its thresholds change the encodings', () => {
    const dir = tempDir();
    writeFileSync(Buffer.from(path.join(dir, 'r\xe9.conf'), 'latin1'), 'hash-max-listpack-entries 1\n');
    const dump = path.join(FIXTURES_DIR, 'mixed-7.0.rdb');
    const hashtables = (args: string) => {
      const r = spawnSync('/bin/sh', ['-c', `cd "$DIR" && exec "$NODE" "$MAIN" keys "$DUMP" ${args}`], {
        encoding: 'utf8',
        env: { ...process.env, NODE: process.execPath, MAIN: CLI_MAIN, DIR: dir, DUMP: dump, RDBSCOPE_DEBUG: '' },
      });
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter((l) => l.includes('"encoding":"hashtable"')).length;
    };
    const plain = hashtables('');
    expect(hashtables(`--redis-conf "$(printf 'r\\351.conf')"`)).toBeGreaterThan(plain);
    expect(hashtables(`--redis-conf="$(printf 'r\\351.conf')"`)).toBeGreaterThan(plain);
  });
});

describe('positionalBytes', () => {
  const line = (...args: (string | Buffer)[]) => () => Buffer.concat(args.flatMap((a) => [Buffer.isBuffer(a) ? a : Buffer.from(a), Buffer.alloc(1)]));
  const latin = Buffer.from([0x63, 0x61, 0x66, 0xe9]);

  it('a UTF-8 name needs nothing', () => {
    expect(positionalBytes('café', ['node', 'm.js', 'keys', 'café'], () => null)).toBeNull();
  });

  it('the bytes of the argument that decodes to the name', () => {
    expect(positionalBytes('caf\uFFFD', ['node', 'm.js', 'keys', 'caf\uFFFD'], line('node', 'm.js', 'keys', latin))).toEqual(latin);
  });

  it('two arguments that decode alike: the one that exists, else none', () => {
    const other = Buffer.from([0x63, 0x61, 0x66, 0xe8]);
    const argv = ['node', 'm.js', 'keys', 'caf\uFFFD', '--match', 'caf\uFFFD'];
    expect(positionalBytes('caf\uFFFD', argv, line('node', 'm.js', 'keys', latin, '--match', other), (p) => p.equals(latin))).toEqual(latin);
    expect(positionalBytes('caf\uFFFD', argv, line('node', 'm.js', 'keys', latin, '--match', other), () => false)).toBeNull();
  });
});
