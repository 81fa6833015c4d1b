/**
 * Reconciliation with `used-mem` (issue 6): on a dump written by a server that was restarted on its
 * own dump before saving, Σ key estimates + allocation gap + dict buckets / expires entries + the
 * empty server must explain 97–103 % of the dump's `used-mem`. Uses the dataset of the accuracy bench
 * (bench/lib/memory-dataset.mjs), smaller elements so it stays fast; 40 k keys ≈ 150 MB, next to
 * which the ~1 MB empty-server baseline is small.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverProfileId, writeMemoryDataset } from '../../bench/lib/memory-dataset.mjs';
import { startRedis } from '../../scripts/lib/redis-server.mjs';
import { openInput } from '../../src/input/open-input.js';
import {
  allocationGap,
  EMPTY_SERVER_BYTES,
  estimateMemory,
  keyspaceOverhead,
  parseProfile,
  reconcile,
  type Reconciliation,
  type ServerProfile,
} from '../../src/memory/index.js';
import { parseRdb } from '../../src/rdb/index.js';
import { DEFAULT_PATTERN_OPTIONS } from '../../src/patterns/options.js';
import { PREFIX_KEYS } from '../../src/store/build-guess.js';
import { DEFAULT_MEMORY_SPEC, modelFromSpec, settleBuild } from '../../src/store/memory-spec.js';
import { produceRows, type LoadEnd } from '../../src/store/produce-rows.js';
import { requireRedis } from '../support/redis.js';

const KEYS = 40_000;
const describeRedis = requireRedis();

describe('reconcile (pure)', () => {
  const p = parseProfile('redis-7.4');
  it('adds keys, gap, keyspace and baseline and divides by used-mem', () => {
    const r = reconcile({ aux: [{ key: 'used-mem', value: '20000000' }], perDb: [{ keys: 1000, expires: 10 }], allocationGapBytes: -500 }, 18_000_000, p);
    // 1024 + 16 buckets of 8 bytes, 10 expires entries of 24
    expect(r.keyspaceBytes).toBe(8 * (1024 + 16) + 24 * 10);
    expect(r.baselineBytes).toBe(EMPTY_SERVER_BYTES);
    expect(r.explainedBytes).toBe(18_000_000 - 500 + r.keyspaceBytes + EMPTY_SERVER_BYTES);
    expect(r.usedMem).toBe(20_000_000);
    expect(r.shareExplained).toBeCloseTo(r.explainedBytes / 20_000_000, 12);
  });

  it('falls back to RESIZEDB hints; no used-mem → no share', () => {
    const r = reconcile({ resizeDb: [{ db: 0, keys: 5, expires: 0 }] }, 100, p);
    expect(r.keyspace.mainDictBuckets).toBe(8);
    expect(r.usedMem).toBeNull();
    expect(r.shareExplained).toBeNull();
    expect(reconcile({ usedMem: 1000, aux: [{ key: 'used-mem', value: '5' }] }, 0, p).usedMem).toBe(1000);
  });

  it('counts A(24) − 24 per key and A(24) per expires entry on quantum-16 builds', () => {
    const q16 = keyspaceOverhead([{ keys: 100, expires: 4 }], parseProfile('redis-7.0-q16'));
    expect(q16.entrySlackBytes).toBe(800);
    expect(q16.bytes).toBe(8 * (128 + 4) + 32 * 4 + 800);
    expect(keyspaceOverhead([{ keys: 100, expires: 4 }], parseProfile('redis-7.0')).entrySlackBytes).toBe(0);
  });
});

describeRedis('used-mem reconciliation on a restarted redis-server', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdbscope-reconcile-'));
  let profile: ServerProfile;
  let result: Reconciliation;
  let parsedKeys = 0;
  let gapOnModern = 0;
  let dumpPath = '';
  let dumpPerDb: { keys: number; expires: number }[] = [];
  const liveDump = path.join(dir, 'live.rdb');

  beforeAll(async () => {
    let redis = await startRedis({ dir });
    try {
      profile = parseProfile((await serverProfileId(redis.client)).id);
      await writeMemoryDataset(redis.client, { seed: 6101, keys: KEYS, maxElements: 200 });
      // the dump of the running server, before the restart
      copyFileSync(await redis.save(), liveDump);
    } finally {
      await redis.stop();
    }
    // a new process loads dump.rdb from the same dir: the state a restarted server is in
    redis = await startRedis({ dir });
    let dump: string;
    try {
      dump = await redis.save();
    } finally {
      await redis.stop();
    }
    dumpPath = dump;
    const parse = parseRdb((await openInput(dump)).chunks, { fileName: dump });
    const perDb = new Map<number, { keys: number; expires: number }>();
    let keysBytes = 0;
    let gap = 0;
    const modern = parseProfile('redis-8.6');
    for await (const batch of parse.batches()) {
      for (const rec of batch) {
        const est = estimateMemory(rec, profile);
        keysBytes += est.bytes;
        gap += allocationGap(rec, est.encoding, profile);
        gapOnModern += Math.abs(allocationGap(rec, estimateMemory(rec, modern).encoding, modern));
        const d = perDb.get(rec.db) ?? { keys: 0, expires: 0 };
        d.keys++;
        if (rec.expireAtMs !== null) d.expires++;
        perDb.set(rec.db, d);
        parsedKeys++;
      }
    }
    dumpPerDb = [...perDb.values()];
    result = reconcile({ aux: parse.info.aux, perDb: dumpPerDb, allocationGapBytes: gap }, keysBytes, profile);
  }, 180_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('explains 97–103 % of used-mem', () => {
    expect(parsedKeys).toBe(KEYS);
    const r = result;
    console.log(
      `${profile.id}: used-mem ${r.usedMem}; keys ${r.keysBytes} + gap ${r.allocationGapBytes} + keyspace ${r.keyspaceBytes} + ` +
        `baseline ${r.baselineBytes} = ${r.explainedBytes} → ${((r.shareExplained ?? 0) * 100).toFixed(2)} % explained`,
    );
    expect(r.usedMem).not.toBeNull();
    expect(r.baselineBytes / r.usedMem!).toBeLessThan(0.02);
    expect(r.shareExplained!).toBeGreaterThanOrEqual(0.97);
    expect(r.shareExplained!).toBeLessThanOrEqual(1.03);
  });

  it('the summary report of the loaded dump shows the same reconciliation', () => {
    const bin = path.resolve(__dirname, '../../bin/rdbscope');
    const sqlite = path.join(dir, 'summary.sqlite');
    const load = spawnSync(process.execPath, [bin, 'load', dumpPath, '--db', sqlite, '--quiet', '--server', profile.id], { encoding: 'utf8' });
    expect(load.status, load.stderr).toBe(0);
    const out = spawnSync(process.execPath, [bin, 'report', 'summary', '--db', sqlite, '--format', 'json'], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    const row = JSON.parse(out.stdout).tables.reconciliation[0];
    expect(row.used_mem).toBe(result.usedMem);
    expect(row.key_estimates).toBe(result.keysBytes);
    expect(row.allocation_gap).toBe(result.allocationGapBytes);
    expect(row.share_explained).toBeCloseTo(result.shareExplained!, 6);
    expect(row.share_explained).toBeGreaterThanOrEqual(0.97);
    expect(row.share_explained).toBeLessThanOrEqual(1.03);
  });

  it('without --server, a load tells the build from used-mem: this server\'s own quantum, named in the summary', async () => {
    const bin = path.resolve(__dirname, '../../bin/rdbscope');
    const sqlite = path.join(dir, 'auto.sqlite');
    // awaited child processes: a synchronous spawn would stall the test worker for every load
    const cli = (args: string[]) => promisify(execFile)(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
    for (const dump of [liveDump, dumpPath]) await cli(['load', dump, '--db', sqlite, '--quiet']);
    await cli(['load', liveDump, '--db', path.join(dir, 'fixed.sqlite'), '--quiet', '--server', 'redis-7.0']);
    const summaryOf = async (db: string, snapshot: string) =>
      JSON.parse((await cli(['report', 'summary', '--db', db, '--snapshot', snapshot, '--format', 'json'])).stdout) as {
        notes: string[];
        tables: { reconciliation: { share_explained: number }[] };
      };
    const notesOf = async (db: string, snapshot: string) => (await summaryOf(db, snapshot)).notes;
    const official = profile.id.replace(/-q16$/, '');
    for (const snapshot of ['1', '2']) {
      const notes = await notesOf(sqlite, snapshot);
      console.log(notes.filter((n) => n.startsWith('profile ')).join('\n'));
      expect(notes).toContain(`memory: estimated by the memory model (profile ${profile.id})`);
      if (profile.quantum === 16) {
        const note = notes.find((n) => n.startsWith(`profile ${profile.id}: `));
        expect(note).toMatch(new RegExp(`^profile ${profile.id}: from redis-ver [\\d.]+, explains (9\\d|1\\d\\d)\\.\\d% of used-mem, ${official} \\d+\\.\\d%`));
        // the share named is the loaded snapshot's own reconciliation, not the first pass's sample
        const share = (await summaryOf(sqlite, snapshot)).tables.reconciliation[0]!.share_explained;
        expect(note).toContain(`explains ${(share * 100).toFixed(1)}% of used-mem`);
      }
    }
    expect(await notesOf(path.join(dir, 'fixed.sqlite'), '1')).toContain('profile redis-7.0: given by --server');
  });

  it('the first keys already point to that build, so a load reads the dump once', async () => {
    expect(KEYS).toBeGreaterThan(2 * PREFIX_KEYS); // the prefix is scaled to the file, not the whole dump
    const messages = produceRows(
      async () => {
        const input = await openInput(dumpPath);
        return { input, parse: parseRdb(input.chunks, { fileName: dumpPath }) };
      },
      { mtimeMs: 0, patterns: DEFAULT_PATTERN_OPTIONS, memoryModel: modelFromSpec(DEFAULT_MEMORY_SPEC) },
    );
    let end: LoadEnd | null = null;
    for await (const m of messages) if (m.t === 'end') end = m.end;
    expect(end!.profile).toBe(profile.id);
    expect(end!.twinIsDefault).toBe(profile.quantum === 16);
    const settled = settleBuild(DEFAULT_MEMORY_SPEC, end!, result.usedMem, dumpPerDb);
    expect(settled.rerun).toBeNull();
    if (profile.quantum === 16) expect(settled.reason).toMatch(/explains \d+\.\d% of used-mem, redis-\d\.\d \d+\.\d% \(build told by used-mem/);
  });

  it('charges no allocation gap on releases that report allocations (Redis 8.4+)', () => {
    expect(gapOnModern).toBe(0);
  });
});
