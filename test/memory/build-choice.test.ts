/**
 * Telling the allocator build from used-mem (memory/build-choice.ts): the official-build default
 * stays unless the quantum-16 twin explains used-mem clearly better; a load does that on its own
 * and names the profile and why in the summary. Official builds' dumps (shared/corpus/modern) keep
 * quantum 8; dumps of Debian's server are in reconciliation.test.ts (live server).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseBuild, EMPTY_SERVER_BYTES, MIN_RESIDUAL_BYTES, parseProfile, twinProfile } from '../../src/memory/index.js';

const q8 = parseProfile('redis-7.0');
const q16 = parseProfile('redis-7.0-q16');
const MB = 1_000_000;
const perDb = [{ keys: 1000, expires: 0 }];
/** Evidence whose explained bytes are `explained` (keyspace: 1024 buckets of 8, + 8 per key on q16). */
const evidence = (p: typeof q8, explained: number) => ({
  profile: p,
  keysBytes: explained - EMPTY_SERVER_BYTES - 8 * 1024 - (p.quantum === 16 ? 8 * 1000 : 0),
  allocationGapBytes: 0,
});

describe('chooseBuild', () => {
  it('pairs each profile with its other-quantum twin', () => {
    expect(twinProfile(q8).id).toBe('redis-7.0-q16');
    expect(twinProfile(parseProfile('valkey-9.1-q16')).id).toBe('valkey-9.1');
  });

  it('switches when the default leaves ≥ 4 MiB and the twin at most half of it, within 8 %', () => {
    const c = chooseBuild(400 * MB, perDb, evidence(q8, 350 * MB), evidence(q16, 385 * MB));
    expect(c.switched).toBe(true);
    expect(c.profile.id).toBe('redis-7.0-q16');
    expect(c.reason).toMatch(/^explains 96\.3% of used-mem, redis-7\.0 87\.5%/);
  });

  it('keeps the default when the residual is small in bytes (live-server state alone)', () => {
    const c = chooseBuild(10 * MB, perDb, evidence(q8, 10 * MB - MIN_RESIDUAL_BYTES / 20), evidence(q16, 10 * MB));
    expect(c.switched).toBe(false);
    expect(c.profile.id).toBe('redis-7.0');
    expect(c.reason).toMatch(/too close to tell the build apart \(redis-7\.0 9\d\.\d%, redis-7\.0-q16 100\.0%\)/);
  });

  it('keeps the default when the twin over-explains or leaves too much', () => {
    expect(chooseBuild(100 * MB, perDb, evidence(q8, 90 * MB), evidence(q16, 104 * MB)).switched).toBe(false); // +4 % > 3 %
    expect(chooseBuild(100 * MB, perDb, evidence(q8, 80 * MB), evidence(q16, 91 * MB)).switched).toBe(false); // 9 % left > 8 %
    expect(chooseBuild(100 * MB, perDb, evidence(q8, 90 * MB), evidence(q16, 94 * MB)).switched).toBe(false); // 6 % > half of 10 %
  });

  it('without used-mem, or below 4 MiB of it, there is nothing to tell the build by', () => {
    const none = chooseBuild(null, perDb, evidence(q8, MB), evidence(q16, MB));
    expect(none).toMatchObject({ switched: false, profile: q8 });
    expect(none.reason).toContain('no used-mem');
    const small = chooseBuild(MIN_RESIDUAL_BYTES - 1, perDb, evidence(q8, 1000), evidence(q16, MIN_RESIDUAL_BYTES - 1));
    expect(small).toMatchObject({ switched: false, profile: q8 });
    expect(small.reason).toContain('used-mem too small');
  });
});

const CORPUS = '/work/shared/corpus/modern';
/** The CLI as a child process, awaited (a synchronous spawn would stall the test worker for the whole load). */
const cli = (args: string[]) => promisify(execFile)(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
describe.skipIf(!existsSync(CORPUS))('load of an official build\'s dump', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdbscope-build-'));
  const bin = path.resolve(__dirname, '../../bin/rdbscope');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps quantum 8 and says why in the summary', async () => {
    const db = path.join(dir, 'corpus.sqlite');
    for (const name of ['redis-8.4.3-modern', 'valkey-9.1.0-modern']) await cli([bin, 'load', `${CORPUS}/${name}.rdb`, '--db', db, '--quiet']);
    for (const [snapshot, profile, ver] of [['1', 'redis-8.4', 'redis-ver 8.4.3'], ['2', 'valkey-9.1', 'valkey-ver 9.1.0']] as const) {
      const out = await cli([bin, 'report', 'summary', '--db', db, '--snapshot', snapshot, '--format', 'json']);
      const notes = (JSON.parse(out.stdout) as { notes: string[] }).notes;
      const note = notes.find((n) => n.startsWith('profile '));
      expect(note).toMatch(new RegExp(`^profile ${profile}: from ${ver}, official build assumed; used-mem is too close to tell the build apart \\(${profile} \\d+\\.\\d%, ${profile}-q16 \\d+\\.\\d%\\)$`));
    }
  });
});
