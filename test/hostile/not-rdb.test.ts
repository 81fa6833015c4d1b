/**
 * Not an RDB, through the real CLI: every bad input gives exactly one line on stderr naming the
 * file, exit code 1, and never a stack trace. Bad usage gives one line and exit code 2.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../support/corpus.js';
import { cliBuilt, runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

function expectOneLine(stderr: string, mustName: string | null): void {
  expect(stderr).not.toContain('    at ');
  const lines = stderr.split('\n').filter((l) => l.length > 0);
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^rdbscope: /);
  if (mustName !== null) expect(lines[0]).toContain(mustName);
}

const mixed = (): Buffer => readFileSync(path.join(FIXTURES_DIR, 'mixed-7.0.rdb'));

type Make = (dir: string) => string;
const BAD_INPUTS: [string, Make, RegExp][] = [
  ['an empty file', (d) => file(d, 'empty.rdb', ''), /empty|NOT_RDB/],
  ['a 3-byte file', (d) => file(d, 'short.rdb', 'RED'), /NOT_RDB/],
  ['a text file', (d) => file(d, 'notes.txt', 'hello, this is not a dump\n'.repeat(20)), /NOT_RDB/],
  ['an AOF file', (d) => file(d, 'appendonly.aof', '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n'), /AOF/],
  ['a directory', (d) => { const p = path.join(d, 'adir.rdb'); mkdirSync(p); return p; }, /directory/],
  ['a missing file', (d) => path.join(d, 'missing.rdb'), /no such file/],
  ['a truncated gzip', (d) => { const gz = gzipSync(mixed()); return file(d, 'cut.rdb.gz', gz.subarray(0, gz.length >> 1)); }, /BAD_COMPRESSION|UNEXPECTED_EOF/],
  ['a corrupt gzip', (d) => { const gz = Buffer.from(gzipSync(mixed())); for (let i = 100; i < 200; i++) gz[i] = 0x55; return file(d, 'corrupt.rdb.gz', gz); }, /BAD_COMPRESSION/],
  ['a gzip of a text file', (d) => file(d, 'text.gz', gzipSync(Buffer.from('just text\n'))), /NOT_RDB/],
  ['a truncated LZ4 frame', (d) => { const lz = readFileSync(path.join(FIXTURES_DIR, 'mixed-7.0.rdb.lz4')); return file(d, 'cut.rdb.lz4', lz.subarray(0, lz.length >> 1)); }, /BAD_COMPRESSION|UNEXPECTED_EOF/],
  ['an LZ4 magic with garbage behind it', (d) => file(d, 'bad.lz4', Buffer.concat([Buffer.from([0x04, 0x22, 0x4d, 0x18]), Buffer.alloc(64, 0xaa)])), /BAD_COMPRESSION/],
  ['a truncated RDB', (d) => file(d, 'cut.rdb', mixed().subarray(0, 5000)), /UNEXPECTED_EOF/],
  // Backups in a format rdbscope does not decompress: named by their magic numbers, with what to do.
  ['a zstd file', (d) => file(d, 'dump.rdb.zst', Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(64, 0x11)])), /compressed with zstd, which rdbscope does not read; decompress it first: zstd -dc FILE > dump\.rdb; info and keys also read a pipe: zstd -dc FILE \| rdbscope keys -\) at byte 0 \[NOT_RDB\]/],
  ['an xz file', (d) => file(d, 'dump.rdb.xz', Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.alloc(64, 0x11)])), /compressed with xz, which rdbscope does not read; decompress it first: xz -dc /],
  ['a bzip2 file', (d) => file(d, 'dump.rdb.bz2', Buffer.concat([Buffer.from('BZh91AY&SY'), Buffer.alloc(64, 0x11)])), /compressed with bzip2, which rdbscope does not read; decompress it first: bzip2 -dc /],
  ['a zip file', (d) => file(d, 'dump.zip', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 0x11)])), /compressed with zip, which rdbscope does not read; decompress it first: unzip -p /],
];

function file(dir: string, name: string, content: string | Uint8Array): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe.skipIf(!cliBuilt)('not an RDB: one line, exit 1 (real CLI)', () => {
  for (const [what, make, pattern] of BAD_INPUTS) {
    for (const command of ['info', 'keys'] as const) {
      it(`${command}: ${what}`, () => {
        const dir = tempDir();
        const p = make(dir);
        const r = runCli([command, p], dir);
        expect(r.code, r.stderr).toBe(1);
        expectOneLine(r.stderr, p);
        expect(r.stderr).toMatch(pattern);
      });
    }
  }

  it('a file without read permission (skipped when running as root, where chmod 000 does not block reads)', (ctx) => {
    const dir = tempDir();
    const p = file(dir, 'secret.rdb', mixed());
    chmodSync(p, 0o000);
    let readable = true;
    try {
      readFileSync(p);
    } catch {
      readable = false;
    }
    if (readable) {
      console.log('skipped: running as root, chmod 000 does not block reads');
      ctx.skip();
      return;
    }
    const r = runCli(['info', p], dir);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, p);
    expect(r.stderr).toMatch(/permission denied/);
  });
});

describe.skipIf(!cliBuilt)('bad usage: one line, exit 2', () => {
  const fixture = path.join(FIXTURES_DIR, 'lfu-7.0.rdb');
  const cases: [string, string[]][] = [
    ['unknown option', ['info', '--frobnicate', fixture]],
    ['missing argument', ['info']],
    ['missing argument (keys)', ['keys']],
    ['bad --format (info)', ['info', '--format', 'xml', fixture]],
    ['bad --format (keys)', ['keys', '--format', 'yaml', fixture]],
    ['unknown command', ['frobnicate']],
  ];
  for (const [what, args] of cases) {
    it(what, () => {
      const dir = tempDir();
      const r = runCli(args, dir);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).not.toContain('    at ');
      const lines = r.stderr.split('\n').filter((l) => l.length > 0);
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0], r.stderr).toMatch(/^rdbscope: /);
    });
  }
});
