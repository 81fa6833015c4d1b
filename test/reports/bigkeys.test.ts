import { describe, expect, it } from 'vitest';
import { startRedis } from '../../scripts/lib/redis-server.mjs';
import { pickSnapshot } from '../../src/reports/scope.js';
import { storeWithDumps } from '../support/fixture-store.js';
import { rec, syntheticKeyspace } from '../support/records.js';
import { requireRedis } from '../support/redis.js';
import { freshStore, loadRecords } from '../support/store.js';
import { reportRunner } from '../support/reports.js';

const run = reportRunner('bigkeys');

describe('bigkeys report', () => {
  it('top N per type by size and by elements equal a plain sort of the records', async () => {
    const { db, dir } = freshStore();
    const records = syntheticKeyspace(21, { scale: 2 });
    await loadRecords(db, dir, 'a.rdb', records);
    const top = 3;
    const r = run(db, { top });
    const bySize = r.tables.find((t) => t.name === 'by_file_bytes')!.rows;
    const byElements = r.tables.find((t) => t.name === 'by_elements')!.rows;
    for (const type of new Set(records.map((k) => k.type))) {
      const mine = records.filter((k) => k.type === type);
      const want = mine.map((k) => k.valueBytes).sort((a, b) => b - a).slice(0, top);
      expect(bySize.filter((x) => x.type === type).map((x) => x.file_bytes)).toEqual(want);
      if (type !== 'string') {
        expect(byElements.filter((x) => x.type === type).map((x) => x.elements)).toEqual(mine.map((k) => k.elements).sort((a, b) => b - a).slice(0, top));
      }
    }
    const list = bySize.find((x) => x.type === 'list')!;
    expect(list.remedy).toMatch(/LTRIM/);
    expect(bySize.find((x) => x.type === 'stream')!.remedy).toMatch(/XTRIM/);
    // Splitting is for hashes past 512 fields (a hashtable); a smaller one is told about its TTL.
    const hash = bySize.find((x) => x.type === 'hash')!;
    expect(hash.remedy).toMatch((hash.elements as number) > 512 ? /split/ : /^(give it a TTL if it is not permanent)?$/);
    const untimedString = bySize.find((x) => x.type === 'string' && x.ttl_s === null);
    expect(untimedString?.remedy).toMatch(/TTL/);
  });

  it('--match and --type filter keys; ttl is measured at snapshot time', async () => {
    const { db, dir } = freshStore();
    const records = syntheticKeyspace(22);
    await loadRecords(db, dir, 'a.rdb', records);
    const r = run(db, { top: 100, match: 'session:*', type: 'string' });
    const rows = r.tables[0]!.rows;
    const sessions = records.filter((k) => k.keyPrintable.startsWith('session:'));
    expect(rows.length).toBe(sessions.length);
    for (const row of rows) {
      const k = sessions.find((s) => s.keyPrintable === row.key)!;
      expect(row.ttl_s).toBe(Math.trunc((k.expireAtMs! - 1_700_000_000_000) / 1000));
    }
  });

  it('ranks exactly as a sort of the records per type: size, then key bytes for ties; --top past a type\'s keys', async () => {
    const { db, dir } = freshStore();
    const types = ['string', 'list', 'hash', 'zset'] as const;
    // Few distinct sizes, so most ranks are decided by the key; keys with non-ASCII text and bytes.
    const records = Array.from({ length: 400 }, (_, i) =>
      rec(i % 7 === 0 ? `é-key:${i}` : i % 11 === 0 ? new Uint8Array([0xff, i & 0xff, 0x41]) : `key:${(i * 7919) % 1000}`, {
        type: types[i % types.length]!, valueBytes: 100 * ((i * 31) % 5), elements: (i * 17) % 4,
      }));
    await loadRecords(db, dir, 'ties.rdb', records);
    for (const top of [1, 5, 90, 1000]) {
      const r = run(db, { top });
      const reference = (size: (k: (typeof records)[number]) => number, ofType: (t: string) => boolean) =>
        [...new Set(records.map((k) => k.type))].filter(ofType).sort().flatMap((type) =>
          records.filter((k) => k.type === type)
            .sort((a, b) => size(b) - size(a) || Buffer.compare(Buffer.from(a.keyPrintable), Buffer.from(b.keyPrintable)))
            .slice(0, top)
            .map((k, i) => [type, i + 1, k.keyPrintable, size(k)]));
      const got = (name: string, col: string) => r.tables.find((t) => t.name === name)!.rows.map((x) => [x.type, x.rank, x.key, x[col]]);
      expect(got('by_file_bytes', 'file_bytes')).toEqual(reference((k) => k.valueBytes, () => true));
      expect(got('by_elements', 'elements')).toEqual(reference((k) => k.elements, (t) => t !== 'string'));
    }
  });
});

requireRedis()('bigkeys ttl_s of a real server\'s keys', () => {
  it('is whole seconds, rounded as Redis\'s TTL rounds the milliseconds left at snapshot time, as v_keys.ttl_seconds', async () => {
    const server = await startRedis();
    try {
      // Expiry times with milliseconds (PX), as clients set them: the dump's ctime is whole seconds.
      const ttlsMs = [1_234, 59_500, 3_600_499, 86_400_777, 700_001];
      await server.client.pipeline(ttlsMs.map((ms, i) => ['SET', `tok:${i}`, 'v'.repeat(10 + i), 'PX', String(ms)]));
      const expireAt = (await server.client.pipeline(ttlsMs.map((_, i) => ['PEXPIRETIME', `tok:${i}`]))) as number[];
      const { db } = await storeWithDumps([await server.save()]);
      const snapshotMs = pickSnapshot(db, undefined, undefined).snapshot_time_ms!;
      const rows = run(db, { top: 10 }).tables[0]!.rows;
      // The v_keys view of `rdbscope sql` gives the same seconds (schema v9; it truncated before).
      const viewed = new Map((db.prepare('SELECT key, ttl_seconds FROM v_keys').all() as { key: string; ttl_seconds: number }[]).map((r) => [r.key, r.ttl_seconds]));
      db.close();
      // R:expire.c ttlGenericCommand: TTL answers (ttl + 500) / 1000 of the milliseconds left.
      const want = expireAt.map((at) => Math.floor((at - snapshotMs + 500) / 1000));
      expect(ttlsMs.map((_, i) => rows.find((r) => r.key === `tok:${i}`)!.ttl_s)).toEqual(want);
      expect(ttlsMs.map((_, i) => viewed.get(`tok:${i}`))).toEqual(want);
      // Rounding, not truncation, decides some of them: the comparison above can fail.
      expect(expireAt.some((at) => Math.trunc((at - snapshotMs) / 1000) !== Math.floor((at - snapshotMs + 500) / 1000))).toBe(true);
    } finally {
      await server.stop();
    }
  });
});

requireRedis()('bigkeys remedy of hashes from a real server', () => {
  it('splitting is advised for a hash past 512 fields (a hashtable), not for a small listpack one', async () => {
    const server = await startRedis();
    try {
      const fields = (n: number) => Array.from({ length: n }, (_, i) => [`f${i}`, `v${i}`]).flat();
      await server.client.pipeline([['HSET', 'profile:1', ...fields(3)], ['HSET', 'index:1', ...fields(1100)], ['HSET', 'cached:1', ...fields(3)], ['EXPIRE', 'cached:1', '3600']]);
      const { db } = await storeWithDumps([await server.save()]);
      const rows = run(db, { top: 10, type: 'hash' }).tables[0]!.rows;
      db.close();
      const remedy = (key: string) => rows.find((r) => r.key === key)!;
      // Redis keeps a hash of at most hash-max-listpack-entries (512) fields as a listpack.
      expect(remedy('index:1')).toMatchObject({ encoding: 'hashtable', remedy: 'split into smaller hashes (bucket the fields by id)' });
      expect(remedy('profile:1')).toMatchObject({ encoding: 'listpack', remedy: 'give it a TTL if it is not permanent' });
      expect(remedy('cached:1')).toMatchObject({ encoding: 'listpack', remedy: '' });
    } finally {
      await server.stop();
    }
  });
});

describe('bigkeys of keys already expired at snapshot time', () => {
  it('gives them no remedy to apply (a server drops them on load), and the others theirs', async () => {
    const { db, dir } = freshStore();
    const now = 1_700_000_000_000;
    await loadRecords(db, dir, 'a.rdb', [
      rec('gone', { valueBytes: 500, expireAtMs: now - 60_000 }),
      rec('now', { valueBytes: 400, expireAtMs: now }),
      rec('soon', { valueBytes: 300, expireAtMs: now + 60_000 }),
      rec('kept', { valueBytes: 200 }),
    ], { ctimeS: now / 1000 });
    const rows = run(db, { top: 10 }).tables[0]!.rows;
    expect(rows.map((r) => [r.key, r.remedy])).toEqual([
      ['gone', 'none: expired at snapshot time, a server drops it on load'],
      // Expiring at the snapshot's millisecond: not yet expired (R:db.c keyIsExpired: now > when).
      ['now', 'expires by itself; if the value is large, compress or split it'],
      ['soon', 'expires by itself; if the value is large, compress or split it'],
      ['kept', 'give it a TTL (EXPIRE) if it is a cache entry'],
    ]);
    expect(rows.every((r) => !('expired' in r))).toBe(true);
  });
});
