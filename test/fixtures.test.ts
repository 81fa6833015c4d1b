/**
 * Every committed fixture (fixtures/*.rdb, saved by Redis 7.0.15 through scripts/make-fixtures.mjs)
 * against the server's own answers recorded beside it in <name>.truth.json: 100 % of keys agree on
 * db, key bytes, type, element count and absolute expiry; stream facts match XINFO; LFU/LRU opcodes
 * match OBJECT FREQ / IDLETIME; compressed copies give identical records.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KeyRecord } from '../src/core/record.js';
import { auxValue } from '../src/rdb/index.js';
import { FIXTURES_DIR, hex, parseDump, recordId, type ParsedDump } from './support/corpus.js';
import { compareKeys, compareStream, firstProblems, loadTruth, truthStream, truthToExpected } from './support/oracle.js';

const truthNames = readdirSync(FIXTURES_DIR)
  .filter((f) => f.endsWith('.truth.json'))
  .map((f) => f.slice(0, -'.truth.json'.length))
  .sort();

const parsed = new Map<string, Promise<ParsedDump>>();
/** Each fixture is parsed once and shared by the tests below. */
function parseFixture(file: string): Promise<ParsedDump> {
  let p = parsed.get(file);
  if (!p) {
    p = parseDump(path.join(FIXTURES_DIR, file));
    parsed.set(file, p);
  }
  return p;
}

describe('committed fixtures', () => {
  it('are present (run `node scripts/make-fixtures.mjs` to regenerate)', () => {
    for (const name of ['mixed-7.0', 'lfu-7.0', 'lru-7.0', 'nocompress-7.0', 'nochecksum-7.0', 'growth-a', 'growth-b']) {
      expect(truthNames).toContain(name);
    }
  });

  for (const name of truthNames) {
    describe(name, () => {
      const truth = loadTruth(name);

      it('parses to the end without error', async () => {
        const { error, info } = await parseFixture(`${name}.rdb`);
        expect(error?.message ?? null).toBeNull();
        expect(info.complete).toBe(true);
        expect(info.error).toBeNull();
      });

      it('agrees with the server on every key (db, key bytes, type, elements, expireAtMs)', async () => {
        const { records } = await parseFixture(`${name}.rdb`);
        expect(firstProblems(compareKeys(truthToExpected(truth.keys), records))).toEqual([]);
        expect(records.length).toBe(truth.keyCount);
      });

      it('reports the header, AUX, key counts and checksum', async () => {
        const { info } = await parseFixture(`${name}.rdb`);
        expect(info.magic).toBe(truth.server.magic);
        expect(info.version).toBe(truth.server.rdbVersion);
        expect(auxValue(info, 'redis-ver')).toBe(truth.server.redis_version);
        expect(info.keys).toBe(truth.keyCount);
        const perDb = new Map<number, number>();
        for (const k of truth.keys) perDb.set(k.db, (perDb.get(k.db) ?? 0) + 1);
        expect(new Map([...info.keysPerDb].filter(([, n]) => n > 0))).toEqual(perDb);
        // rdbchecksum no writes a zero trailer (rdb-format.md §1.4).
        expect(info.checksum.status).toBe(truth.server.config.rdbchecksum === 'no' ? 'disabled' : 'ok');
        expect(info.functions.map((f) => f.name).sort()).toEqual([...truth.server.functions].sort());
        for (const f of info.functions) expect(f.engine.toLowerCase()).toBe('lua');
      });

      if (truth.keys.some((k) => k.stream)) {
        it('agrees with XINFO STREAM / XINFO GROUPS on every stream', async () => {
          const { records } = await parseFixture(`${name}.rdb`);
          const byId = new Map(records.map((r) => [recordId(r), r]));
          const problems: string[] = [];
          for (const k of truth.keys) {
            if (!k.stream) continue;
            const rec = byId.get(`${k.db}:${k.keyHex}`);
            if (rec) problems.push(...compareStream(`db=${k.db} key=${Buffer.from(k.keyHex, 'hex').toString()}`, rec, truthStream(k.stream)));
          }
          expect(problems).toEqual([]);
        });
      }

      if (truth.server.config['maxmemory-policy']?.includes('lfu')) {
        it('reads the FREQ opcode as OBJECT FREQ', async () => {
          const { records } = await parseFixture(`${name}.rdb`);
          const got = new Map(records.map((r) => [recordId(r), r.lfuFreq]));
          const want = new Map(truth.keys.map((k) => [`${k.db}:${k.keyHex}`, k.lfuFreq]));
          expect(got).toEqual(want);
          expect(Math.max(...truth.keys.map((k) => k.lfuFreq ?? 0))).toBeGreaterThan(5); // hot keys exist
        });
      }

      if (truth.server.config['maxmemory-policy']?.includes('lru')) {
        it('reads the IDLE opcode as OBJECT IDLETIME (±1 s: the clock ticks between SAVE and the query)', async () => {
          const { records } = await parseFixture(`${name}.rdb`);
          const byId = new Map(records.map((r) => [recordId(r), r]));
          const problems: string[] = [];
          for (const k of truth.keys) {
            const got = byId.get(`${k.db}:${k.keyHex}`)?.idleSeconds;
            if (got === null || got === undefined || Math.abs(got - (k.idleSeconds ?? -99)) > 1)
              problems.push(`${Buffer.from(k.keyHex, 'hex').toString()}: idle expected ${k.idleSeconds} got ${got}`);
          }
          expect(problems).toEqual([]);
          expect(new Set(truth.keys.map((k) => k.idleSeconds)).size).toBeGreaterThan(1); // idle times differ
        });
      }
    });
  }
});

describe('compressed copies', () => {
  /** What must be identical however the bytes were wrapped. */
  const summary = (recs: KeyRecord[]) =>
    recs.map((r) => ({
      db: r.db,
      key: hex(r.key),
      type: r.type,
      rdbType: r.rdbType,
      elements: r.elements,
      expireAtMs: r.expireAtMs,
      valueBytes: r.valueBytes,
      offset: r.offset,
    }));

  for (const [suffix, compression] of [
    ['.gz', 'gzip'],
    ['.lz4', 'lz4'],
  ] as const) {
    const file = `mixed-7.0.rdb${suffix}`;
    it.skipIf(!existsSync(path.join(FIXTURES_DIR, file)))(`${file} is detected as ${compression} and gives identical records`, async () => {
      const plain = await parseFixture('mixed-7.0.rdb');
      const wrapped = await parseFixture(file);
      expect(wrapped.compression).toBe(compression);
      expect(plain.compression).toBe('none');
      expect(wrapped.error?.message ?? null).toBeNull();
      expect(summary(wrapped.records)).toEqual(summary(plain.records));
      expect(wrapped.info.checksum).toEqual(plain.info.checksum);
      expect(wrapped.info.bytesRead).toBe(plain.info.bytesRead);
    });
  }
});

describe('what the mixed fixture covers (guards the generator, not the parser)', () => {
  const truth = loadTruth('mixed-7.0');
  it('has every Redis 7.0 type/encoding, TTLs, awkward keys and several dbs', () => {
    const encodings = new Set(truth.keys.map((k) => `${k.type}/${k.encoding}`));
    for (const e of [
      'string/int', 'string/embstr', 'string/raw', 'list/quicklist', 'hash/listpack', 'hash/hashtable',
      'set/intset', 'set/hashtable', 'zset/listpack', 'zset/skiplist', 'stream/stream',
    ]) expect(encodings).toContain(e);
    expect(new Set(truth.keys.map((k) => k.db))).toEqual(new Set([0, 1, 5, 15]));
    expect(truth.keys.filter((k) => k.expireAtMs !== null).length).toBeGreaterThanOrEqual(8);
    const keys = new Set(truth.keys.map((k) => k.keyHex));
    for (const awkward of ['', '00', 'ff', 'c32861', Buffer.from('line\nbreak').toString('hex')]) expect(keys).toContain(awkward);
    expect(truth.keys.some((k) => k.stream && k.stream.pending > 0 && k.stream.consumers > 0)).toBe(true);
    expect(truth.server.functions).toEqual(['mylib']);
  });
});

describe('damaged copies of a real dump (mixed-7.0.rdb)', () => {
  const original = readFileSync(path.join(FIXTURES_DIR, 'mixed-7.0.rdb'));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rdbscope-damaged-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const keysOf = (recs: KeyRecord[]) => recs.map((r) => `${r.db}:${hex(r.key)}:${r.elements}`);

  it('truncated anywhere: yields a prefix of the records, then UNEXPECTED_EOF with an offset', async () => {
    const full = keysOf((await parseFixture('mixed-7.0.rdb')).records);
    // Cut points spread over the whole file, including inside the header and the CRC trailer.
    const cuts = [5, 9, 40, ...Array.from({ length: 12 }, (_, i) => Math.floor(((i + 1) * original.length) / 13)), original.length - 4, original.length - 1];
    for (const cut of cuts) {
      const file = path.join(tmp, `cut-${cut}.rdb`);
      writeFileSync(file, original.subarray(0, cut));
      const d = await parseDump(file);
      const got = keysOf(d.records);
      expect(got, `cut at ${cut}`).toEqual(full.slice(0, got.length));
      expect(d.error?.code, `cut at ${cut}`).toBe(cut < 9 ? 'NOT_RDB' : 'UNEXPECTED_EOF');
      expect(d.info.complete).toBe(false);
      if (cut >= 9) expect(d.error?.offset, `cut at ${cut}`).not.toBeNull();
    }
  });

  it('one flipped byte inside a string value: every key still parses, then CHECKSUM_MISMATCH', async () => {
    // The value of str:raw:random is 700 random alphanumerics written verbatim (not LZF-compressible).
    const at = original.indexOf(Buffer.from('str:raw:random')) + 'str:raw:random'.length + 3 + 300;
    const damaged = Buffer.from(original);
    damaged[at] = (damaged[at] ?? 0) ^ 0x01;
    const file = path.join(tmp, 'flipped.rdb');
    writeFileSync(file, damaged);
    const d = await parseDump(file);
    expect(keysOf(d.records)).toEqual(keysOf((await parseFixture('mixed-7.0.rdb')).records));
    expect(d.error?.code).toBe('CHECKSUM_MISMATCH');
    expect(d.info.checksum.status).toBe('mismatch');
  });
});
