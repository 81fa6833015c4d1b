import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyPattern } from '../../src/patterns/key-pattern.js';
import { printable } from '../../src/rdb/printable.js';
import { IDLE_BANDS, LFU_BANDS } from '../../src/reports/thresholds.js';
import { loadTruth } from '../support/oracle.js';
import { reportRunner } from '../support/reports.js';
import { storeWithDumps } from '../support/fixture-store.js';
import { NIGHTLY_DIR } from '../support/nightly.js';
import { freshStore, loadRecords } from '../support/store.js';

const eviction = reportRunner('eviction');
const close = (ours: unknown, server: number, tolerance = 0.01) => Math.abs((ours as number) - server) <= server * tolerance;
type Truth = ReturnType<typeof loadTruth>;
const sum = (keys: Truth['keys']) => keys.reduce((s, k) => s + k.memoryUsage, 0);

describe('eviction report against a real server', () => {
  it('volatile-* can evict exactly the keys with a TTL; the sums equal the server\'s MEMORY USAGE (within 1%)', async () => {
    const truth = JSON.parse(JSON.stringify(await import('../../fixtures/nightly/night-4.truth.json', { with: { type: 'json' } }))).default as Truth;
    const { db } = await storeWithDumps([join(NIGHTLY_DIR, 'night-4.rdb')], { server: 'redis-7.0-q16' });
    const r = eviction(db, { top: 5 });
    const byPolicy = r.tables.find((t) => t.name === 'by_policy')!.rows;
    const timed = truth.keys.filter((k) => k.expireAtMs !== null);
    const untimed = truth.keys.filter((k) => k.expireAtMs === null);
    const volatile = byPolicy.find((x) => x.policy === 'volatile-*')!;
    expect(volatile.evictable_keys).toBe(timed.length);
    expect(close(volatile.evictable_memory, sum(timed)), `${volatile.evictable_memory} vs ${sum(timed)}`).toBe(true);
    expect(close(volatile.never_evicted_memory, sum(untimed)), `${volatile.never_evicted_memory} vs ${sum(untimed)}`).toBe(true);
    expect(byPolicy.find((x) => x.policy === 'allkeys-*')).toMatchObject({ evictable_keys: truth.keys.length, evictable_share: 1 });
    expect(byPolicy.find((x) => x.policy === 'noeviction')).toMatchObject({ evictable_keys: 0, evictable_memory: 0 });
    // The immortal patterns: the largest untimed memory first, from the server's own figures.
    const byPattern = new Map<string, number>();
    for (const k of untimed) {
      const p = keyPattern(printable(Buffer.from(k.keyHex, 'hex')));
      byPattern.set(p, (byPattern.get(p) ?? 0) + k.memoryUsage);
    }
    const serverOrder = [...byPattern].sort((a, b) => b[1] - a[1]).slice(0, 5);
    const immortal = r.tables.find((t) => t.name === 'immortal_patterns')!.rows;
    expect(immortal.map((x) => x.pattern)).toEqual(serverOrder.map(([p]) => p));
    for (const [p, bytes] of serverOrder) expect(close(immortal.find((x) => x.pattern === p)!.untimed_memory, bytes), p).toBe(true);
    // No LRU/LFU data under noeviction; the volatile-ttl table sums the keys with a TTL.
    expect(r.notes).toContain('no LRU/LFU data: the server ran noeviction, volatile-ttl or a random policy (only LRU / LFU policies save them)');
    expect(r.tables.some((t) => t.name === 'cold')).toBe(false);
    const ttl = r.tables.find((t) => t.name === 'volatile_ttl')!.rows;
    expect(ttl.reduce((s, x) => s + (x.keys as number), 0)).toBe(timed.length);
    expect(ttl.at(-1)!.cumulative_memory).toBe(volatile.evictable_memory);
  });

  for (const [fixture, kind] of [['cold-lru-7.0', 'lru'], ['cold-lfu-7.0', 'lfu']] as const) {
    it(`${fixture}: cold data bands hold the keys the server's ${kind === 'lru' ? 'OBJECT IDLETIME' : 'OBJECT FREQ'} puts there`, async () => {
      const truth = loadTruth(fixture);
      const { db } = await storeWithDumps([fixture], { server: 'redis-7.0-q16' });
      const r = eviction(db, { top: 10 });
      expect(r.notes.some((n) => n.startsWith(kind === 'lru' ? 'idle times saved with the keys: the server ran an LRU' : 'LFU counters saved with the keys: the server ran an LFU'))).toBe(true);
      const bands = kind === 'lru' ? IDLE_BANDS : LFU_BANDS;
      const bandOf = (k: Truth['keys'][number]) => {
        const v = kind === 'lru' ? (k as { idleSeconds: number }).idleSeconds : (k as { lfuFreq: number }).lfuFreq;
        return bands.find((b) => v < b.below)!.name;
      };
      const cold = r.tables.find((t) => t.name === 'cold')!.rows;
      const measure = kind === 'lru' ? 'idle' : 'lfu_counter';
      for (const band of bands) {
        const inBand = truth.keys.filter((k) => bandOf(k) === band.name);
        const row = cold.find((x) => x[measure] === band.name)!;
        expect(row.keys, band.name).toBe(inBand.length);
        expect(close(row.memory, sum(inBand), 0.02), `${band.name}: ${row.memory} vs ${sum(inBand)}`).toBe(true);
      }
      expect(cold.reduce((s, x) => s + (x.keys as number), 0)).toBe(truth.keys.length);
      // The coldest patterns: those whose keys the server reports idle a week or more / counter below 5.
      const isCold = (k: Truth['keys'][number]) => (kind === 'lru' ? (k as { idleSeconds: number }).idleSeconds >= 7 * 86_400 : (k as { lfuFreq: number }).lfuFreq < 5);
      const coldFamilies = new Set(truth.keys.filter(isCold).map((k) => keyPattern(printable(Buffer.from(k.keyHex, 'hex')))));
      const patterns = r.tables.find((t) => t.name === 'cold_patterns')!.rows;
      expect(new Set(patterns.map((x) => x.pattern))).toEqual(coldFamilies);
      expect(patterns.every((x) => x.cold_share === 1)).toBe(true);
    });
  }
});

describe('eviction of a dump with no keys', () => {
  it('says the dump holds no keys, not that key rows were left out of the database', async () => {
    const { db, dir } = freshStore();
    await loadRecords(db, dir, 'empty.rdb', []);
    const notes = reportRunner('eviction')(db, { top: 5 }).notes;
    expect(notes).toContain('the dump holds no keys: no LRU/LFU data to tell the maxmemory-policy by');
    expect(notes.join('\n')).not.toMatch(/no key rows stored/);
  });
});
