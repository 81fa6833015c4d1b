/**
 * Checksum: a flipped byte anywhere in a dump with a CRC64 trailer is detected (CHECKSUM_MISMATCH,
 * or another RdbError when the flip breaks the structure first); --no-verify skips the check and
 * `info` says so.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../support/corpus.js';
import { cliBuilt, runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { parseBytes, rng } from './helpers.js';

const FILES = ['lfu-7.0.rdb', 'nocompress-7.0.rdb', 'mixed-7.0.rdb'];

describe('a flipped byte is detected', () => {
  for (const name of FILES) {
    it(`${name}: 300 positions incl. header, every record region and the trailer`, async () => {
      const bytes = new Uint8Array(readFileSync(path.join(FIXTURES_DIR, name)));
      const base = await parseBytes(bytes);
      expect(base.error).toBeNull();
      expect(base.info.checksum.status).toBe('ok');
      const rand = rng(bytes.length);
      const positions = new Set<number>([0, 5, 8, 9, bytes.length - 9, bytes.length - 8, bytes.length - 1]);
      while (positions.size < 300) positions.add(Math.floor(rand() * bytes.length));
      const missed: string[] = [];
      let mismatches = 0;
      for (const at of positions) {
        const bad = bytes.slice();
        bad[at] ^= 1 << Math.floor(rand() * 8);
        const got = await parseBytes(bad);
        if (got.crash !== null) missed.push(`flip at ${at}: crash ${String(got.crash)}`);
        else if (got.error === null) missed.push(`flip at ${at}: parsed as complete`);
        else if (got.error.code === 'CHECKSUM_MISMATCH') {
          mismatches++;
          expect(got.info.checksum.status).toBe('mismatch');
          // A checksum mismatch comes after the whole file was read: every key is still there.
          expect(got.records.length).toBe(base.records.length);
        }
        // Unverified, the same flip never fails on the checksum.
        const loose = await parseBytes(bad, { verifyChecksum: false });
        if (loose.error?.code === 'CHECKSUM_MISMATCH') missed.push(`flip at ${at}: checksum verified despite verifyChecksum false`);
      }
      expect(missed).toEqual([]);
      expect(mismatches).toBeGreaterThan(30);
    });
  }

  it('verifyChecksum: false reports the checksum as skipped', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(FIXTURES_DIR, 'lfu-7.0.rdb')));
    const got = await parseBytes(bytes, { verifyChecksum: false });
    expect(got.error).toBeNull();
    expect(got.info.checksum.status).toBe('skipped');
  });
});

describe.skipIf(!cliBuilt)('CLI checksum reporting', () => {
  const good = path.join(FIXTURES_DIR, 'lfu-7.0.rdb');
  it('info says ok, and "not verified" with --no-verify', () => {
    const ok = runCli(['info', good], FIXTURES_DIR);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/checksum\s+ok/);
    const skipped = runCli(['info', '--no-verify', good], FIXTURES_DIR);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(/checksum\s+not verified/);
    const json = runCli(['info', '--no-verify', '--format', 'json', good], FIXTURES_DIR);
    expect(JSON.parse(json.stdout).checksum).toEqual({ status: 'skipped' });
  });

  it('a flipped value byte: info prints the mismatch and everything read, exit 1; --no-verify exits 0', () => {
    const dir = tempDir();
    const bytes = new Uint8Array(readFileSync(good));
    bytes[bytes.length - 20] ^= 0x01;
    const p = path.join(dir, 'flipped.rdb');
    writeFileSync(p, bytes);
    const r = runCli(['info', p], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/checksum\s+MISMATCH/);
    expect(r.stdout).toMatch(/keys\s+30/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('CHECKSUM_MISMATCH');
    expect(runCli(['info', '--no-verify', p], dir).code).toBe(0);
  });
});
