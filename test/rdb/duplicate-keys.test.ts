/**
 * DuplicateKeyCheck: exact (a repeat is confirmed byte for byte), bounded (gives up past its limits).
 * A real server refuses a file with a repeated key; no such file is in ../shared/corpus (they come
 * from dumps merged by concatenating tools), so one is built by the test writer and a real Redis
 * confirms the premise.
 */
import { describe, expect, it } from 'vitest';
import { DuplicateKeyCheck, MAX_KEY_BYTES, MAX_KEYS } from '../../src/rdb/duplicate-keys.js';
import { parseBytes } from '../support/parse-bytes.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { requireRedis } from '../support/redis.js';
import { serverExitLog } from './server-load.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('DuplicateKeyCheck', () => {
  /** Random keys with many repeats, through `check` and through a Map of every key. */
  function compare(check: DuplicateKeyCheck, n: number): number {
    const r = rng(7);
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const db = Math.floor(r() * 3);
      // Few distinct short keys (many repeats), binary bytes, the empty key, and long keys.
      const len = r() < 0.9 ? Math.floor(r() * 3) : 100 + Math.floor(r() * 300);
      const key = Uint8Array.from({ length: len }, () => Math.floor(r() * (len < 3 ? 40 : 256)));
      check.add(db, key);
      const id = `${db}:${Buffer.from(key).toString('hex')}`;
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    expect(check.checked).toBe(true);
    return [...seen.values()].filter((c) => c > 1).length;
  }

  it('counts the keys that repeat in their db, as a Map of every key does', () => {
    const check = new DuplicateKeyCheck();
    const repeated = compare(check, 50_000);
    expect(repeated).toBeGreaterThan(1000);
    expect(check.duplicateKeys).toBe(repeated);
  });

  it('confirms a repeat by the bytes, not the hash: with every hash equal it still counts right', () => {
    const check = new DuplicateKeyCheck(MAX_KEYS, MAX_KEY_BYTES, () => 12345);
    const repeated = compare(check, 3000);
    expect(repeated).toBeGreaterThan(100);
    expect(check.duplicateKeys).toBe(repeated);
  });

  it('tells keys apart that differ in db, length or one byte, and counts a key seen 3 times once', () => {
    const check = new DuplicateKeyCheck();
    const k = (s: string) => new TextEncoder().encode(s);
    for (const [db, key] of [[0, 'a'], [1, 'a'], [0, 'a\0'], [0, 'b'], [0, ''], [0, 'abcdefgh'], [0, 'abcdefgi']] as const) check.add(db, k(key));
    expect(check.duplicateKeys).toBe(0);
    check.add(0, k('a'));
    check.add(0, k('a'));
    check.add(0, k(''));
    expect(check.duplicateKeys).toBe(2);
  });

  it('gives up past its key count or key bytes, and then claims nothing', () => {
    const byCount = new DuplicateKeyCheck(100, 1 << 20);
    for (let i = 0; i < 100; i++) byCount.add(0, new Uint8Array([i]));
    expect(byCount.checked).toBe(true);
    byCount.add(0, new Uint8Array([0]));
    expect(byCount.checked).toBe(false);
    const byBytes = new DuplicateKeyCheck(1000, 64);
    byBytes.add(0, new Uint8Array(60));
    byBytes.add(0, new Uint8Array(60));
    expect(byBytes.checked).toBe(false);
  });
});

requireRedis()('duplicate keys on a real server', () => {
  it('redis-server refuses a dump whose db repeats a key; the check counts it', async () => {
    const w = new RdbWriter({ version: 10 });
    w.selectDb(0).key(TYPE.STRING, 'user:1').string('a').key(TYPE.STRING, 'user:2').string('b');
    w.selectDb(1).key(TYPE.STRING, 'user:1').string('other db: no repeat');
    w.selectDb(0).key(TYPE.SET, 'user:1').len(1).string('merged from a second dump');
    const bytes = w.finish();
    const parsed = await parseBytes(bytes);
    expect(parsed.error).toBeNull();
    const check = new DuplicateKeyCheck();
    for (const rec of parsed.records) check.add(rec.db, rec.key);
    expect(check.duplicateKeys).toBe(1);
    expect(serverExitLog(bytes)).toMatch(/Duplicated key found in RDB file/);
  }, 30_000);
});
