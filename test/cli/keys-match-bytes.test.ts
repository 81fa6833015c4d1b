/**
 * `keys --match` with bytes that are not UTF-8 (`--match $'\xff*'`): Redis matches the glob's raw
 * bytes, and Node hands the program argv decoded as UTF-8 with U+FFFD in place of such bytes. The
 * glob must be matched as the shell passed it, or refused, never matched as U+FFFD.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { argumentBytes } from '../../src/cli/argv-bytes.js';
import { UsageError } from '../../src/cli/exit.js';
import { CLI_MAIN, cliBuilt } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';

const DUMP = path.join(FIXTURES_DIR, 'mixed-7.0.rdb');
const linux = existsSync('/proc/self/cmdline');

/** Runs `keys DUMP <args>` through sh, so printf can put raw bytes in an argument. */
function keysViaShell(args: string): { code: number | null; keys: string[]; err: string } {
  const r = spawnSync('/bin/sh', ['-c', `exec "$NODE" "$MAIN" keys "$DUMP" ${args}`], {
    encoding: 'utf8',
    env: { ...process.env, NODE: process.execPath, MAIN: CLI_MAIN, DUMP, RDBSCOPE_DEBUG: '' },
  });
  const keys = r.stdout.split('\n').filter(Boolean).map((l) => `${(JSON.parse(l) as { db: number }).db}:${(JSON.parse(l) as { keyHex: string }).keyHex}`);
  return { code: r.status, keys, err: r.stderr };
}

describe.skipIf(!cliBuilt || !linux)('keys --match on bytes that are not UTF-8', () => {
  it('a lone \\xff matches the one-byte key \\xff in each db, as SCAN MATCH does', () => {
    const r = keysViaShell(`--match "$(printf '\\377')"`);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.keys.sort()).toEqual(['0:ff', '1:ff']);
  });

  it('--match=<bytes>, a prefix and a range of high bytes', () => {
    expect(keysViaShell(`--match="$(printf '\\303*')"`).keys).toEqual(['0:c32861']);
    const range = keysViaShell(`--db 1 --match "$(printf '[\\200-\\377]*')"`);
    expect(range.code).toBe(0);
    expect(range.keys).toEqual(['1:ff']);
  });

  it('the last --match given wins, as commander keeps it', () => {
    expect(keysViaShell(`--match "$(printf '\\376')" --match "$(printf '\\377')" --db 0`).keys).toEqual(['0:ff']);
  });
});

describe('argumentBytes', () => {
  const argv = ['node', 'main.js', 'keys', 'd.rdb', '--match', '\uFFFD*'];
  const cmdline = (...args: (string | Buffer)[]) => () => Buffer.concat(args.flatMap((a) => [Buffer.isBuffer(a) ? a : Buffer.from(a), Buffer.alloc(1)]));

  it('UTF-8 text is its own bytes, whatever the command line', () => {
    expect(argumentBytes('é*', '--match', argv, () => null)).toEqual(Buffer.from('é*'));
  });

  it('reads the raw bytes after node and its flags', () => {
    const got = argumentBytes('\uFFFD*', '--match', argv, cmdline('node', '--stack-size=2000', 'main.js', 'keys', 'd.rdb', '--match', Buffer.from([0xff, 0x2a])));
    expect([...got]).toEqual([0xff, 0x2a]);
  });

  it('a U+FFFD the user typed stays U+FFFD', () => {
    expect(argumentBytes('\uFFFD*', '--match', argv, cmdline('node', 'main.js', 'keys', 'd.rdb', '--match', '\uFFFD*'))).toEqual(Buffer.from('\uFFFD*'));
  });

  it('without the raw command line, or one that does not agree with argv, a usage error', () => {
    expect(() => argumentBytes('\uFFFD*', '--match', argv, () => null)).toThrow(UsageError);
    expect(() => argumentBytes('\uFFFD*', '--match', argv, cmdline('node', 'main.js', 'keys', 'other.rdb', '--match', Buffer.from([0xff, 0x2a])))).toThrow(/not UTF-8/);
  });
});
