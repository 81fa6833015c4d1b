/**
 * What a PARTIAL snapshot is said to hold: the keys before the fault, or, when the fault is a checksum
 * mismatch (found at the trailer, after the last key), every key, of suspect content (docs/formats.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

describe.skipIf(!cliBuilt)('a PARTIAL snapshot, as load, export and the reports describe it', () => {
  const bytes = readFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb'));
  const keysOf = (dir: string) => Number(/keys\s+(\d+)/.exec(runCli(['info', join(FIXTURES_DIR, 'mixed-7.0.rdb')], dir).stdout)![1]);

  it('a checksum mismatch: every key read, its content suspect', () => {
    const dir = tempDir();
    const keys = keysOf(dir);
    const bad = Buffer.from(bytes);
    bad[bad.length - 1] ^= 0xff;
    writeFileSync(join(dir, 'crc.rdb'), bad);
    const load = runCli(['load', 'crc.rdb', '--db', 'x.sqlite'], dir);
    expect(load.code).toBe(1);
    expect(load.stderr).toMatch(/\[CHECKSUM_MISMATCH\]\n$/);
    expect(load.stdout).toContain(`crc.rdb: kept as PARTIAL snapshot 1: all ${keys} keys read, but the checksum does not match: their content is suspect`);
    const notes = (JSON.parse(runCli(['report', 'summary', '--db', 'x.sqlite', '--format', 'json'], dir).stdout) as { notes: string[] }).notes;
    expect(notes.some((n) => n.startsWith('PARTIAL: every key was read, but the file\'s checksum does not match, so their content is suspect: crc.rdb: checksum mismatch'))).toBe(true);
    const exported = runCli(['export', 'crc.rdb', '--out', 'out'], dir);
    expect(exported.code).toBe(1);
    expect(exported.stdout).toContain(`crc.rdb: exported as PARTIAL: all ${keys} keys read, but the checksum does not match`);
  });

  it('a cut dump: the keys before the fault', () => {
    const dir = tempDir();
    const keys = keysOf(dir);
    writeFileSync(join(dir, 'cut.rdb'), bytes.subarray(0, 60_000));
    const load = runCli(['load', 'cut.rdb', '--db', 'x.sqlite'], dir);
    expect(load.code).toBe(1);
    const read = Number(/kept as PARTIAL snapshot 1: (\d+) keys read before the error/.exec(load.stdout)![1]);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(keys);
    const notes = (JSON.parse(runCli(['report', 'summary', '--db', 'x.sqlite', '--format', 'json'], dir).stdout) as { notes: string[] }).notes;
    expect(notes.some((n) => n.startsWith('PARTIAL: only the keys read before this error are included: cut.rdb: input ends'))).toBe(true);
  });
});
