/**
 * Parser bugs found by the hostile-input work, each with the smallest input that showed it; all
 * fixed, kept as regressions (README "Failure behaviour").
 */
import { describe, expect, it } from 'vitest';
import { RdbWriter, TYPE, buildZiplist } from '../support/rdb-writer.js';
import { parseBytes } from './helpers.js';

describe('bugs found by hostile input (all fixed, kept as regressions)', () => {
  it('A1: a huge SELECTDB number does not make the parse crawl (dbCounts is a sparse array walked with forEach)', async () => {
    // Was: db 2^26 took ~1 s and the fuzzer's db 2^31 (fixtures/regressions/hang-9f77acf7.rdb) minutes.
    const bytes = new RdbWriter({ version: 9 }).selectDb(2 ** 31).key(TYPE.STRING, 'k').string('v').finish();
    const t0 = performance.now();
    const got = await parseBytes(bytes);
    const ms = performance.now() - t0;
    expect(got.error).toBeNull();
    expect(got.info.keysPerDb.get(2 ** 31)).toBe(1);
    expect(ms).toBeLessThan(1000); // the bug took seconds to minutes; 1 s leaves room for a busy machine
  });

  it('A2: a key in a db numbered ≥ 2^32-1 is counted in info.keysPerDb', async () => {
    const bytes = new RdbWriter({ version: 9 }).selectDb(2 ** 40).key(TYPE.STRING, 'k').string('v').finish();
    const got = await parseBytes(bytes);
    expect(got.error).toBeNull();
    expect(got.records.map((r) => r.db)).toEqual([2 ** 40]);
    expect(got.info.keys).toBe(1);
    expect([...got.info.keysPerDb]).toEqual([[2 ** 40, 1]]);
  });

  it('B1: a string whose length runs past the end of the input yields no record (its value never arrived)', async () => {
    // "s" claims 2^40 bytes and 3 follow: today the record is yielded with valueBytes 2^40, then UNEXPECTED_EOF.
    const bytes = new RdbWriter({ version: 9 }).key(TYPE.STRING, 'ok').string('v').key(TYPE.STRING, 's').len(2 ** 40, 64).raw('abc').finish({ checksum: 'none' }).subarray(0, -1);
    const got = await parseBytes(bytes);
    expect(got.error?.code).toBe('UNEXPECTED_EOF');
    expect(got.records.map((r) => [r.keyPrintable, r.valueBytes])).toEqual([['ok', 2]]);
  });

  it('B2: a dump cut inside a long string value does not yield that key', async () => {
    const full = new RdbWriter({ version: 9 }).key(TYPE.STRING, 'a').string('x'.repeat(10_000)).key(TYPE.STRING, 'b').string('y').finish();
    const cut = full.subarray(0, 9 + 1 + 2 + 3 + 5_000); // magic, type, key "a", 14-bit length, half the value
    const got = await parseBytes(cut);
    expect(got.error?.code).toBe('UNEXPECTED_EOF');
    expect(got.records.map((r) => r.keyPrintable)).toEqual([]);
  });

  it('C1: a fault inside an LZF-compressed blob names a byte offset inside the file', async () => {
    const zl = buildZiplist(['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)], { count: 7 }); // header lies: 7 entries
    const bytes = new RdbWriter({ version: 9 }).key(TYPE.LIST_ZIPLIST, 'l').string(zl, { encoding: 'lzf' }).finish();
    const got = await parseBytes(bytes);
    expect(got.error?.code).toBe('BAD_ZIPLIST');
    expect(got.error!.offset!).toBeLessThanOrEqual(bytes.length);
  });

  it('C2: the "inside LZF-compressed data" relabelling does not leak into later errors (same parse or the next one)', async () => {
    const zl = buildZiplist(['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)]);
    const good = new RdbWriter({ version: 9 }).key(TYPE.LIST_ZIPLIST, 'l').string(zl, { encoding: 'lzf' }).finish();
    // Same parse: the last key is an LZF blob, the cut is in the CRC trailer.
    const inTrailer = await parseBytes(good.subarray(0, good.length - 3));
    expect(inTrailer.error?.code).toBe('UNEXPECTED_EOF');
    expect(inTrailer.error?.message).not.toContain('inside LZF');
    expect(inTrailer.error?.offset).toBe(good.length - 3);
    // Next parse: a fault in an LZF blob, then an unrelated truncated file (cut inside an AUX field).
    const bad = new RdbWriter({ version: 9 }).key(TYPE.LIST_ZIPLIST, 'l').string(buildZiplist(['a'.repeat(40)], { count: 7 }), { encoding: 'lzf' }).finish();
    expect((await parseBytes(bad)).error?.message).toContain('inside LZF');
    const plain = new RdbWriter({ version: 9 }).aux('redis-ver', '7.2.0').aux('redis-bits', '64').finish();
    const cut = await parseBytes(plain.subarray(0, 30));
    expect(cut.error?.code).toBe('UNEXPECTED_EOF');
    expect(cut.error?.message).not.toContain('inside LZF');
    expect(cut.error?.offset).toBe(30);
  });

  it('D1: an LZF string value whose uncompressed size its payload cannot produce is refused (not reported as a 4 GiB string)', async () => {
    // 4 payload bytes cannot decompress to more than a few hundred bytes (rdb-format.md §2.3), yet
    // the value is measured without decompressing and comes out as a 4 GiB big key.
    const bytes = new RdbWriter({ version: 9 }).key(TYPE.STRING, 'k').lzfString(Uint8Array.of(0, 0x61, 0xe0, 0xff), 4, 0xffffffff).finish();
    const got = await parseBytes(bytes);
    expect(got.records.map((r) => [r.keyPrintable, r.elements])).toEqual([]);
    expect(got.error?.code).toBe('BAD_LZF');
  });
});
