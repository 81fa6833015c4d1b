import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  RdbWriter, TYPE, buildIntset, buildListpack, buildZiplist, buildZipmap, formatG17,
  type BlobEntry, type ListpackEncoding, type ZiplistEncoding,
} from './rdb-writer.js';
import { lzfCompress } from './lzf-compress.js';
import { ListpackCursor } from '../../src/rdb/listpack.js';
import { ZiplistCursor } from '../../src/rdb/ziplist.js';
import { ZipmapCursor } from '../../src/rdb/zipmap.js';
import { intsetSummary } from '../../src/rdb/intset.js';
import { lzfDecompress } from '../../src/rdb/lzf.js';
import { Crc64 } from '../../src/rdb/crc64.js';

const CORPUS = resolve(__dirname, '../../../shared/corpus');
const corpus = (rel: string): Uint8Array | null => {
  const f = resolve(CORPUS, rel);
  return existsSync(f) ? new Uint8Array(readFileSync(f)) : null;
};
const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Reproduces a real file byte for byte, or skips when the corpus is absent. */
function sameAs(rel: string, build: () => Uint8Array): void {
  const real = corpus(rel);
  if (real === null) return void console.warn(`corpus absent: ${rel}`);
  expect(hexOf(build())).toBe(hexOf(real));
}

describe('RdbWriter reproduces real dumps byte for byte', () => {
  it('redis/hash-zipmap.rdb (v3, zipmap)', () =>
    sameAs('redis/hash-zipmap.rdb', () =>
      new RdbWriter({ version: 3 }).selectDb(0).key(TYPE.HASH_ZIPMAP, 'hash').string(buildZipmap([['f1', 'v1'], ['f2', 'v2']])).finish(),
    ));

  it('hdt3213-rdb/intset_16.rdb (v3, intset)', () =>
    sameAs('hdt3213-rdb/intset_16.rdb', () =>
      new RdbWriter({ version: 3 }).selectDb(0).key(TYPE.SET_INTSET, 'intset_16').string(buildIntset(2, [32764, 32765, 32766])).finish(),
    ));

  it('hdt3213-rdb/multiple_databases.rdb (v3, two SELECTDBs)', () =>
    sameAs('hdt3213-rdb/multiple_databases.rdb', () =>
      new RdbWriter({ version: 3 })
        .selectDb(0).key(TYPE.STRING, 'key_in_zeroth_database').string('zero')
        .selectDb(2).key(TYPE.STRING, 'key_in_second_database').string('second')
        .finish(),
    ));

  it('hdt3213-rdb/keys_with_expiry.rdb (v4, EXPIRETIME_MS)', () =>
    sameAs('hdt3213-rdb/keys_with_expiry.rdb', () =>
      new RdbWriter({ version: 4 }).selectDb(0).expireMs(1671963072573)
        .key(TYPE.STRING, 'expires_ms_precision').string('2022-12-25 10:11:12.573 UTC').finish(),
    ));

  it('redis/hash-ziplist.rdb (v9: AUX with int-encoded values, RESIZEDB, ziplist, CRC64 trailer)', () =>
    sameAs('redis/hash-ziplist.rdb', () =>
      new RdbWriter({ version: 9 })
        .aux('redis-ver', '255.255.255').aux('redis-bits', '64').aux('ctime', '1620466888')
        .aux('used-mem', '830864').aux('aof-preamble', '0')
        .selectDb(0).resizeDb(1, 0)
        .key(TYPE.HASH_ZIPLIST, 'hash').string(buildZiplist(['f1', 'v1', 'f2', 'v2']))
        .finish(),
    ));

  it('redis/list-quicklist.rdb (v8: quicklist of one ziplist with an immediate int, int-encoded string)', () =>
    sameAs('redis/list-quicklist.rdb', () =>
      new RdbWriter({ version: 8 })
        .aux('redis-ver', '4.0.9').aux('redis-bits', '64').aux('ctime', '1629882015')
        .aux('used-mem', '496256').aux('aof-preamble', '0')
        .selectDb(0).resizeDb(2, 0)
        .key(TYPE.LIST_QUICKLIST, 'list').len(1).string(buildZiplist(['7']))
        .key(TYPE.STRING, 'x').string('7')
        .finish(),
    ));

  it('zset scores in redis/encodings.rdb are %.17g text (type 3)', () => {
    const real = corpus('redis/encodings.rdb');
    if (real === null) return;
    // "bbbb" score 5000000000 and "cccc" 123456789 as written by Redis 2.6
    for (const [member, score] of [['bbbb', 5000000000], ['cccc', 123456789], ['bb', 20]] as const) {
      const w = new RdbWriter({ version: 4 });
      const before = w.length;
      w.string(member).stringDouble(score);
      const bytes = w.finish({ checksum: 'none' }).subarray(before, -1);
      expect(Buffer.from(real).indexOf(Buffer.from(bytes)), member).toBeGreaterThan(0);
    }
  });
});

describe('RdbWriter primitives', () => {
  const body = (f: (w: RdbWriter) => void): string => {
    const w = new RdbWriter({ version: 9 });
    f(w);
    return hexOf(w.finish({ checksum: 'none' }).subarray(9, -1));
  };

  it('magic: REDIS%04d and VALKEY%03d', () => {
    expect(Buffer.from(new RdbWriter({ version: 12 }).finish().subarray(0, 9)).toString()).toBe('REDIS0012');
    expect(Buffer.from(new RdbWriter({ magic: 'VALKEY', version: 80 }).finish().subarray(0, 9)).toString()).toBe('VALKEY080');
  });

  it('len: smallest form by default, any form when forced (§2.1)', () => {
    expect(body((w) => w.len(63))).toBe('3f');
    expect(body((w) => w.len(64))).toBe('4040');
    expect(body((w) => w.len(16383))).toBe('7fff');
    expect(body((w) => w.len(16384))).toBe('8000004000');
    expect(body((w) => w.len(0xffffffff))).toBe('80ffffffff');
    expect(body((w) => w.len(0x100000000))).toBe('810000000100000000');
    expect(body((w) => w.len(5, 64))).toBe('810000000000000005');
    expect(body((w) => w.len(5, 14))).toBe('4005');
  });

  it('strings: INT8/16/32 for canonical int32 text, raw otherwise (§2.2)', () => {
    expect(body((w) => w.string('64'))).toBe('c040');
    expect(body((w) => w.string('-1'))).toBe('c0ff');
    expect(body((w) => w.string('128'))).toBe('c18000');
    expect(body((w) => w.string('-32768'))).toBe('c10080');
    expect(body((w) => w.string('2147483647'))).toBe('c2ffffff7f');
    expect(body((w) => w.string('2147483648'))).toBe('0a32313437343833363438');
    expect(body((w) => w.string('007'))).toBe('03303037');
    expect(body((w) => w.string('-0'))).toBe('022d30');
    expect(body((w) => w.string('5', { encoding: 'raw' }))).toBe('0135');
    expect(body((w) => w.string('5', { encoding: 'int', intWidth: 32 }))).toBe('c205000000');
  });

  it('LZF strings decode back (forced, and Redis rule with compress: true)', () => {
    const text = 'abcabcabcabcabcabcabcabcabcabc-' + 'z'.repeat(100);
    const w = new RdbWriter({ version: 9, compress: true });
    w.string(text).string('short but not compressible 1234567890');
    const out = w.finish({ checksum: 'none' });
    expect(out[9]).toBe(0xc3);
    const clen = out[10]!;
    const ulen = ((out[11]! & 0x3f) << 8) | out[12]!;
    expect(ulen).toBe(text.length);
    expect(Buffer.from(lzfDecompress(out, 13, 13 + clen, ulen, 13)).toString()).toBe(text);
    expect(out[13 + clen]).toBe('short but not compressible 1234567890'.length); // stayed raw: LZF would not save 4 bytes
    const forced = new RdbWriter({ version: 9 }).string('hello', { encoding: 'lzf' }).finish({ checksum: 'none' });
    expect(forced[9]).toBe(0xc3);
    expect(Buffer.from(lzfDecompress(forced, 12, 12 + forced[10]!, forced[11]!, 0)).toString()).toBe('hello');
  });

  it('opcodes: AUX, SELECTDB, RESIZEDB, EXPIRETIME_MS/EXPIRETIME, IDLE, FREQ', () => {
    expect(body((w) => w.aux('a', 'b'))).toBe('fa01610162');
    expect(body((w) => w.selectDb(300))).toBe('fe412c');
    expect(body((w) => w.resizeDb(2, 1))).toBe('fb0201');
    expect(body((w) => w.expireMs(1671963072573))).toBe('fc3dd8c34885010000');
    expect(body((w) => w.expireSec(0x01020304))).toBe('fd04030201');
    expect(body((w) => w.idle(100))).toBe('f84064');
    expect(body((w) => w.freq(200))).toBe('f9c8');
  });

  it('doubles: string form with NaN/±inf codes, binary LE', () => {
    expect(body((w) => w.stringDouble(NaN).stringDouble(Infinity).stringDouble(-Infinity))).toBe('fdfeff');
    expect(body((w) => w.stringDouble(1.5))).toBe('03312e35');
    expect(body((w) => w.binaryDouble(1.5))).toBe('000000000000f83f');
    expect(formatG17(0.1)).toBe('0.10000000000000001');
    expect(formatG17(1e20)).toBe('1e+20');
    expect(formatG17(-2.5e-7)).toBe('-2.4999999999999999e-07');
    expect(formatG17(123456789)).toBe('123456789');
  });

  it('finish: CRC64 of everything incl. the EOF byte; zero; none', () => {
    const crc = new RdbWriter({ version: 9 }).selectDb(0).finish();
    const c = new Crc64();
    c.update(crc, 0, crc.length - 8);
    expect(crc[crc.length - 9]).toBe(0xff);
    expect(c.equalsLE(crc, crc.length - 8)).toBe(true);
    expect(hexOf(new RdbWriter({ version: 9 }).finish({ checksum: 'zero' }).subarray(9))).toBe('ff0000000000000000');
    expect(new RdbWriter({ version: 9 }).finish({ checksum: 'none' }).length).toBe(10);
    expect(new RdbWriter({ version: 4 }).finish().length).toBe(10);
  });
});

describe('blob builders round-trip through the decoders', () => {
  type Item = string | number | bigint;
  const decodeLp = (b: Uint8Array): Item[] => {
    const c = new ListpackCursor(b, 0, b.length, 0);
    const out: Item[] = [];
    while (c.next()) out.push(c.isInt ? (Number.isSafeInteger(c.intValue) ? c.intValue : c.exactInt64()) : Buffer.from(b.subarray(c.strStart, c.strStart + c.strLen)).toString('latin1'));
    return out;
  };
  const decodeZl = (b: Uint8Array): Item[] => {
    const c = new ZiplistCursor(b, 0, b.length, 0);
    const out: Item[] = [];
    while (c.next()) out.push(c.isInt ? (Number.isSafeInteger(c.intValue) ? c.intValue : c.exactInt64()) : Buffer.from(b.subarray(c.strStart, c.strStart + c.strLen)).toString('latin1'));
    return out;
  };

  const ints = [0, 1, 12, 13, 127, 128, -1, -128, -129, 4095, -4096, 32767, -32768, 32768, 8388607, -8388608, 8388608,
    2147483647, -2147483648, 2147483648, 2 ** 53 - 1, -(2 ** 53 - 1)];
  const big = [9223372036854775807n, -9223372036854775808n];
  const strs = ['', 'a', 'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(4095), 'x'.repeat(4096), 'x'.repeat(16383), 'x'.repeat(16384), '007', '-0', '1.5'];

  it('listpack: natural encodings', () => {
    const entries: BlobEntry<ListpackEncoding>[] = [...ints, ...big, ...strs, ...ints.map(String)];
    expect(decodeLp(buildListpack(entries))).toEqual([...ints, ...big, ...strs, ...ints]);
  });

  it('listpack: forced wider encodings still decode to the same values', () => {
    const forced: BlobEntry<ListpackEncoding>[] = [
      { int: 5, enc: 'int13' }, { int: 5, enc: 'int16' }, { int: -5, enc: 'int24' }, { int: 5, enc: 'int32' }, { int: 5, enc: 'int64' },
      { str: 'ab', enc: 'str12' }, { str: 'ab', enc: 'str32' }, { str: '12', enc: 'str6' },
    ];
    expect(decodeLp(buildListpack(forced))).toEqual([5, 5, -5, 5, 5, 'ab', 'ab', '12']);
  });

  it('ziplist: natural encodings (strings of 32+ chars are never integer-encoded)', () => {
    const entries: BlobEntry<ZiplistEncoding>[] = [...ints, ...big, ...strs, ...ints.map(String)];
    expect(decodeZl(buildZiplist(entries))).toEqual([...ints, ...big, ...strs, ...ints]);
    const b = buildZiplist(['1'.repeat(19), '0'.repeat(32)]);
    expect(decodeZl(b)).toEqual([1111111111111111111n, '0'.repeat(32)]);
  });

  it('ziplist: forced encodings and 5-byte prevlens', () => {
    const forced: BlobEntry<ZiplistEncoding>[] = [
      { int: 3, enc: 'int8' }, { int: 3, enc: 'int16' }, { int: 3, enc: 'int24', prevlen5: true }, { int: -3, enc: 'int32' },
      { int: 3, enc: 'int64' }, { str: 'ab', enc: 'str14' }, { str: 'ab', enc: 'str32', prevlen5: true },
    ];
    expect(decodeZl(buildZiplist(forced))).toEqual([3, 3, 3, -3, 3, 'ab', 'ab']);
  });

  it('intset and zipmap', () => {
    expect(intsetSummary(buildIntset(8, [-5n, 10n ** 18n]), 0, 24, 0)).toEqual({ width: 8, count: 2, largest: 19 });
    const zm = buildZipmap([['k', 'v'.repeat(300)], ['', 'x']], { free: 2 });
    const c = new ZipmapCursor(zm, 0, zm.length, 0);
    const seen: [number, number][] = [];
    while (c.next()) seen.push([c.keyLen, c.valLen]);
    expect(seen).toEqual([[1, 300], [0, 1]]);
  });

  it('lzfCompress output is smaller on repetitive data and decodes exactly', () => {
    for (const input of ['', 'a', 'ab'.repeat(1000), 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(3)]) {
      const src = new TextEncoder().encode(input);
      const c = lzfCompress(src);
      if (src.length === 0) {
        expect(c.length).toBe(0);
        continue;
      }
      expect(hexOf(lzfDecompress(c, 0, c.length, src.length, 0))).toBe(hexOf(src));
    }
    expect(lzfCompress('ab'.repeat(1000)).length).toBeLessThan(40);
  });
});

describe('decoders on mutated builder output: only RdbError, never a crash or a hang', () => {
  const walkAll = (name: string, b: Uint8Array, end: number): void => {
    switch (name) {
      case 'listpack': {
        const c = new ListpackCursor(b, 0, end, 0);
        while (c.next()) c.elementLength();
        break;
      }
      case 'ziplist': {
        const c = new ZiplistCursor(b, 0, end, 0);
        while (c.next()) c.elementLength();
        break;
      }
      case 'zipmap': {
        const c = new ZipmapCursor(b, 0, end, 0);
        while (c.next());
        break;
      }
      case 'intset':
        intsetSummary(b, 0, end, 0);
        break;
      case 'lzf':
        lzfDecompress(b, 0, end, 700, 0);
        break;
    }
  };
  const samples: [string, Uint8Array][] = [
    ['listpack', buildListpack([1, -5, 300, 70000, 2 ** 40, 'abc', 'x'.repeat(70), 'y'.repeat(200)])],
    ['ziplist', buildZiplist([1, 13, -200, 70000, 2 ** 40, 'abc', 'x'.repeat(70), 'y'.repeat(300)])],
    ['zipmap', buildZipmap([['a', 'b'], ['k'.repeat(260), 'v'], ['c', '']], { free: 1 })],
    ['intset', buildIntset(4, [-3, 1, 2, 100000])],
    ['lzf', lzfCompress('abcabcabc' + 'z'.repeat(300) + 'hello world '.repeat(30))],
  ];

  for (const [name, blob] of samples) {
    it(name, () => {
      let seed = 12345;
      const rnd = (n: number): number => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed % n;
      };
      let errors = 0;
      for (let round = 0; round < 3000; round++) {
        const b = blob.slice();
        const flips = 1 + rnd(3);
        for (let i = 0; i < flips; i++) b[rnd(b.length)] = rnd(256);
        const end = round % 4 === 0 ? rnd(b.length + 1) : b.length;
        try {
          walkAll(name, b, end);
        } catch (e) {
          if (!(e instanceof Error) || e.name !== 'RdbError') throw e;
          errors++;
        }
      }
      expect(errors).toBeGreaterThan(100);
    });
  }
});
