import { describe, expect, it } from 'vitest';
import { keyPattern } from '../../src/patterns/key-pattern.js';
import { printable } from '../../src/rdb/printable.js';
import { loadTruth } from '../support/oracle.js';
import { rec } from '../support/records.js';
import { reportRunner } from '../support/reports.js';
import { freshStore, loadRecords } from '../support/store.js';
import { storeWithDumps } from '../support/fixture-store.js';
import { NIGHTLY_DIR } from '../support/nightly.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const summary = reportRunner('summary');
const patterns = reportRunner('patterns');

/** Nearest rank: the value at rank ⌈p·n/100⌉ of the ascending values (worked by hand, not by the SQL). */
function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p * sorted.length) / 100) - 1]!;
}

function expected(values: number[], label: string): Record<string, number> {
  return { [`p50_${label}`]: nearestRank(values, 50), [`p90_${label}`]: nearestRank(values, 90), [`p99_${label}`]: nearestRank(values, 99), [`max_${label}`]: Math.max(...values) };
}

describe('size percentiles (nearest rank)', () => {
  it('of 1..200 and of a skewed family, per type and per pattern', async () => {
    const { db, dir } = freshStore();
    // Sizes 1..200 in a shuffled order; element counts 1000 - size.
    const sizes = Array.from({ length: 200 }, (_, i) => ((i * 73) % 200) + 1);
    const recs = sizes.map((s, i) => rec(`a:${i}`, { valueBytes: s, elements: 1000 - s }));
    // One giant among small ones.
    const skew = [5, 5, 5, 5, 5, 5, 5, 5, 5, 90_000];
    skew.forEach((s, i) => recs.push(rec(`b:${i}`, { type: 'list', rdbType: 'quicklist2', rdbTypeId: 18, valueBytes: s, elements: s })));
    await loadRecords(db, dir, 'p.rdb', recs);
    const byType = summary(db, { top: 10 }).tables.find((t) => t.name === 'by_type')!.rows;
    expect(byType.find((r) => r.type === 'string')).toMatchObject({ p50_file_bytes: 100, p90_file_bytes: 180, p99_file_bytes: 198, max_file_bytes: 200, p50_elements: 899, p90_elements: 979, max_elements: 999 });
    expect(byType.find((r) => r.type === 'list')).toMatchObject({ p50_file_bytes: 5, p90_file_bytes: 5, p99_file_bytes: 90_000, max_file_bytes: 90_000 });
    const rows = patterns(db, { top: 10 }).tables[0]!.rows;
    expect(rows.find((r) => r.pattern === 'a:*')).toMatchObject(expected(sizes, 'file_bytes'));
    expect(rows.find((r) => r.pattern === 'b:*')).toMatchObject({ ...expected(skew, 'file_bytes'), ...expected(skew, 'elements') });
    // Fixed prefixes (--depth): not given, and said so.
    const fixed = patterns(db, { top: 10, depth: 1 });
    expect(fixed.notes).toContain('percentiles are given for inferred patterns only, not with --depth');
    expect(fixed.tables[0]!.rows.every((r) => r.p50_file_bytes === null)).toBe(true);
    // A --top past the patterns that get percentiles says nothing of a limit the ranking does not reach.
    const wide = patterns(db, { top: 100_000 });
    expect(wide.tables[0]!.rows.find((r) => r.pattern === 'a:*')).toMatchObject(expected(sizes, 'file_bytes'));
    expect(wide.notes.filter((n) => n.startsWith('percentiles for the first'))).toEqual([]);
  });

  it('are not available (null, with a note) when per-key rows were limited at load', async () => {
    const { db } = await storeWithDumps(['mixed-7.0'], { server: 'redis-7.0-q16', keysMinBytes: 2000 });
    const s = summary(db, { top: 10 });
    expect(s.notes.some((n) => /percentiles not available: the snapshot was loaded with --keys-min-bytes 2000, so only \d+ of 123 keys have a row/.test(n))).toBe(true);
    for (const r of s.tables.find((t) => t.name === 'by_type')!.rows) expect(r.p50_memory).toBeNull();
    const p = patterns(db, { top: 5 });
    expect(p.notes.some((n) => n.startsWith('percentiles not available'))).toBe(true);
    expect(p.tables[0]!.rows.every((r) => r.p99_memory === null && r.max_elements === null)).toBe(true);
  });

  it('equal those of the real server\'s MEMORY USAGE answers (the last nightly dump, as a server loading it holds it)', async () => {
    const truth = JSON.parse(readFileSync(join(NIGHTLY_DIR, 'night-4.truth.json'), 'utf8')) as ReturnType<typeof loadTruth>;
    const { db } = await storeWithDumps([join(NIGHTLY_DIR, 'night-4.rdb')], { server: 'redis-7.0-q16' });
    const byType = summary(db, { top: 10 }).tables.find((t) => t.name === 'by_type')!.rows;
    const byPattern = patterns(db, { top: 1000 }).tables[0]!.rows;
    const groups = (key: (k: (typeof truth.keys)[number]) => string) => {
      const m = new Map<string, { memory: number[]; elements: number[] }>();
      for (const k of truth.keys) {
        const g = m.get(key(k)) ?? { memory: [], elements: [] };
        g.memory.push(k.memoryUsage);
        g.elements.push(k.elements);
        m.set(key(k), g);
      }
      return m;
    };
    let compared = 0;
    for (const [g, v] of groups((k) => `${k.type}/${k.encoding}`)) {
      const [type, encoding] = g.split('/');
      const row = byType.find((r) => r.type === type && r.encoding === encoding)!;
      expect(row, g).toMatchObject({ ...expected(v.memory, 'memory'), ...expected(v.elements, 'elements') });
      compared++;
    }
    for (const [g, v] of groups((k) => `${keyPattern(printable(Buffer.from(k.keyHex, 'hex')))}\0${k.type}`)) {
      const [pattern, type] = g.split('\0');
      const row = byPattern.find((r) => r.pattern === pattern && r.type === type)!;
      expect(row, g).toMatchObject({ ...expected(v.memory, 'memory'), ...expected(v.elements, 'elements') });
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  });
});
