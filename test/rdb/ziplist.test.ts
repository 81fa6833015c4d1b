import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZiplistCursor, ziplistSummary } from '../../src/rdb/ziplist.js';
import { RdbError } from '../../src/core/errors.js';
import { lzfDecompress } from '../../src/rdb/lzf.js';
import { buildZiplist } from '../support/rdb-writer.js';

const CORPUS = resolve(__dirname, '../../../shared/corpus');
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const latin1 = (b: Uint8Array, s: number, n: number): string => Buffer.from(b.subarray(s, s + n)).toString('latin1');

/** Header (zlbytes, zltail, zllen) + entries + 0xFF; `tail` = local offset of the last entry. */
function zl(body: string, count: number, tail: number): Uint8Array {
  const b = hex(body);
  const out = new Uint8Array(b.length + 11);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, out.length, true);
  dv.setUint32(4, tail, true);
  dv.setUint16(8, count, true);
  out.set(b, 10);
  out[out.length - 1] = 0xff;
  return out;
}

type Item = string | number | bigint;
function walk(buf: Uint8Array, start = 0, end = buf.length, offset = 0): Item[] {
  const c = new ZiplistCursor(buf, start, end, offset);
  const out: Item[] = [];
  while (c.next()) {
    if (c.isInt) {
      out.push(Number.isSafeInteger(c.intValue) ? c.intValue : c.exactInt64());
      expect(c.elementLength()).toBe(String(out[out.length - 1]).length);
    } else {
      out.push(latin1(buf, c.strStart, c.strLen));
      expect(c.elementLength()).toBe(c.strLen);
    }
  }
  expect(c.next()).toBe(false);
  return out;
}

function bad(f: () => unknown, offset?: number): RdbError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RdbError);
    expect((e as RdbError).code).toBe('BAD_ZIPLIST');
    if (offset !== undefined) expect((e as RdbError).offset).toBe(offset);
    return e as RdbError;
  }
  throw new Error('expected BAD_ZIPLIST');
}

describe('ZiplistCursor on spec bytes (rdb-format.md §5.1, Appendix A2)', () => {
  it('A2: hash of immediate ints and 6-bit strings', () => {
    const b = hex(`39000000 32000000 0C00 00F2 02F3 02F4 02F5 02F6 02F7 0203372e30 0503382e30
                   050473747231 060473747232 060473747233 060473747234 FF`);
    expect(walk(b)).toEqual([1, 2, 3, 4, 5, 6, '7.0', '8.0', 'str1', 'str2', 'str3', 'str4']);
    expect(ziplistSummary(b, 0, b.length, 0)).toEqual({ count: 12, largest: 4 });
  });

  it('decodes every integer encoding: imm 0..12, int8/16/24/32/64 incl. negatives', () => {
    const entries = [
      'f1', 'fd', // imm 0, 12
      'fe7f', 'fe80', 'feff', // int8 127, -128, -1
      'c0ff7f', 'c00080', 'c0f3ff', // int16 32767, -32768, -13
      'f0ffff7f', 'f0000080', 'f0feffff', // int24 8388607, -8388608, -2
      'd0ffffff7f', 'd000000080', // int32
      'e0ffffffffffffff7f', 'e00000000000000080', 'e000e40b5402000000', // int64 max, min, 10^10
    ];
    let body = '';
    let prev = 0;
    let tail = 10;
    for (const e of entries) {
      tail = 10 + body.length / 2;
      body += prev.toString(16).padStart(2, '0') + e;
      prev = 1 + e.length / 2;
    }
    const b = zl(body, entries.length, tail);
    expect(walk(b)).toEqual([
      0, 12, 127, -128, -1, 32767, -32768, -13, 8388607, -8388608, -2, 2147483647, -2147483648,
      9223372036854775807n, -9223372036854775808n, 10 ** 10,
    ]);
    // all immediates 0xF1..0xFD
    let imm = '';
    for (let e = 0xf1; e <= 0xfd; e++) imm += (e === 0xf1 ? '00' : '02') + e.toString(16);
    expect(walk(zl(imm, 13, 10 + 24))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('decodes 6/14/32-bit string lengths, which are BIG-endian', () => {
    const s300 = 'y'.repeat(300);
    const s70 = 'z'.repeat(70);
    // 14-bit: 0x41 0x2C = 300; 32-bit: 0x80 00 00 00 46 = 70 (a writer may use any form)
    const body = `00 412c${Buffer.from(s300).toString('hex')}` + `fe2f010000 8000000046${Buffer.from(s70).toString('hex')}`;
    const b = zl(body, 2, 10 + 1 + 2 + 300);
    expect(walk(b)).toEqual([s300, s70]);
  });

  it('accepts 5-byte prevlens, also ones holding a value < 254 (left by cascade updates)', () => {
    const b = buildZiplist([{ str: 'a' }, { str: 'b', prevlen5: true }, 'c']);
    expect(b[10 + 3]).toBe(0xfe);
    expect(walk(b)).toEqual(['a', 'b', 'c']);
    const big = 'q'.repeat(300);
    expect(walk(buildZiplist([big, 'x', big, 7]))).toEqual([big, 'x', big, 7]);
  });

  it('empty ziplist: tail = header size, count 0', () => {
    expect(walk(zl('', 0, 10))).toEqual([]);
    bad(() => walk(zl('', 0, 11)));
  });

  it('65535 = unknown count; real count checked otherwise', () => {
    expect(walk(zl('00f2 02f3', 65535, 12))).toEqual([1, 2]);
    const many = Array.from({ length: 70000 }, (_, i) => i % 13);
    const b = buildZiplist(many);
    expect(new ZiplistCursor(b, 0, b.length, 0).headerCount).toBe(65535);
    expect(ziplistSummary(b, 0, b.length, 0)).toEqual({ count: 70000, largest: 2 });
    bad(() => walk(zl('00f2 02f3', 3, 12)));
    bad(() => walk(zl('00f2 02f3', 1, 12)));
  });

  it('works inside a larger buffer with absolute error offsets', () => {
    const inner = zl('00f2 02f3', 2, 12);
    const buf = new Uint8Array(inner.length + 9).fill(0x11);
    buf.set(inner, 4);
    expect(walk(buf, 4, 4 + inner.length, 700)).toEqual([1, 2]);
    buf[4 + 12] = 0x05; // second entry's prevlen (local 12) wrong
    bad(() => walk(buf, 4, 4 + inner.length, 700), 712);
  });
});

describe('ZiplistCursor rejects corrupt blobs', () => {
  it('zlbytes != blob length, too short, missing terminator', () => {
    const b = zl('00f2', 1, 10);
    bad(() => new ZiplistCursor(b, 0, b.length - 1, 0));
    const c = b.slice();
    c[0]! += 1;
    bad(() => new ZiplistCursor(c, 0, c.length, 0));
    const d = b.slice();
    d[d.length - 1] = 0;
    bad(() => new ZiplistCursor(d, 0, d.length, 0));
    bad(() => new ZiplistCursor(hex('0a00000000000000ff00'), 0, 10, 0));
  });

  it('terminator in the middle', () => {
    bad(() => walk(zl('00f2 ff 02f3', 1, 10)), 12);
  });

  it('wrong prevlen (first entry must have 0)', () => {
    bad(() => walk(zl('01f2', 1, 10)), 10);
    bad(() => walk(zl('00f2 03f3', 2, 12)), 12);
    bad(() => walk(zl('00f2 fe03000000f3', 2, 12)), 12);
  });

  it('zltail not pointing at the last entry', () => {
    bad(() => walk(zl('00f2 02f3', 2, 10)));
    bad(() => new ZiplistCursor(zl('00f2', 1, 500), 0, 14, 0));
  });

  it('invalid encoding bytes', () => {
    for (const e of [0xc1, 0xcf, 0xd1, 0xdf, 0xe1, 0xef, 0xff]) bad(() => walk(zl(`00${e.toString(16)}00000000000000000000`, 1, 10)), 10);
  });

  it('entries running past the end', () => {
    bad(() => walk(zl('00 05616263', 1, 10))); // 6-bit string of 5, 3 bytes
    bad(() => walk(zl('00 4100', 1, 10))); // 14-bit len 256
    bad(() => walk(zl('00 80ffffffff61', 1, 10))); // 32-bit len
    bad(() => walk(zl('00 e0ffffff', 1, 10))); // int64 cut off
    bad(() => walk(zl('00 d0ff', 1, 10)));
    bad(() => walk(zl('00 fe', 1, 10)));
    bad(() => walk(zl('00f2 fe0200', 2, 12))); // 5-byte prevlen cut off
  });
});

describe('ZiplistCursor on real blobs', () => {
  const enc = resolve(CORPUS, 'redis/encodings.rdb');
  const keyAt = (file: Uint8Array, key: string): number => {
    const at = Buffer.from(file).indexOf(Buffer.from(key, 'latin1'));
    expect(at, key).toBeGreaterThan(0);
    return at + key.length;
  };

  it.skipIf(!existsSync(enc))('redis/encodings.rdb: list_zipped, hash_zipped, zset_zipped (Redis 2.6 int16/int32/int64)', () => {
    const file = new Uint8Array(readFileSync(enc));
    const blob = (key: string): Item[] => {
      const p = keyAt(file, key);
      const len = file[p]!; // 6-bit length
      expect(len >> 6).toBe(0);
      return walk(file, p + 1, p + 1 + len, p + 1);
    };
    // Redis tests/integration/convert-zipmap... "encodings.rdb" CSV: list_zipped = 1,2,3,a,b,c,100000,6000000000
    expect(blob('list_zipped')).toEqual([1, 2, 3, 'a', 'b', 'c', 100000, 6000000000]);
    expect(blob('hash_zipped')).toEqual(['a', 1, 'b', 2, 'c', 3]);
    expect(blob('zset_zipped')).toEqual(['a', 1, 'b', 2, 'c', 3]);
  });

  const pf = resolve(CORPUS, 'hdt3213-rdb/parser_filters.rdb');
  it.skipIf(!existsSync(pf))('hdt3213-rdb/parser_filters.rdb: l10, l11, l12 (MANIFEST golden values)', () => {
    const file = new Uint8Array(readFileSync(pf));
    const list = (key: string): Item[] => {
      const marker = Buffer.from([0x0a, key.length, ...Buffer.from(key)]);
      const at = Buffer.from(file).indexOf(marker);
      expect(at, key).toBeGreaterThan(0);
      let p = at + marker.length;
      if (file[p] === 0xc3) {
        const clen = file[p + 1]!;
        const ulen = file[p + 2]!;
        const out = lzfDecompress(file, p + 3, p + 3 + clen, ulen, p + 3);
        return walk(out);
      }
      const len = file[p]!;
      p += 1;
      return walk(file, p, p + len, p);
    };
    expect(list('l10')).toEqual([100001, 100002, 100003, 100004]);
    expect(list('l11')).toEqual([9999999999, 9999999998, 9999999997]);
    expect(list('l12')).toEqual([9999999997, 9999999998, 9999999999]);
  });

  const cz = resolve(CORPUS, 'redis/corrupt_ziplist.rdb');
  it.skipIf(!existsSync(cz))('redis/corrupt_ziplist.rdb: the intact quicklist node passes, the damaged hash ziplist is refused', () => {
    const file = new Uint8Array(readFileSync(cz));
    const node = keyAt(file, 'mylist') + 1; // 1 node, then the ziplist string
    const len = file[node]!;
    expect(walk(file, node + 1, node + 1 + len, node + 1)).toEqual(['xxxxx', 'xxxxx', 'xxxxx', 'xxxxx', 'xxxxx']);
    // type 13 (hash ziplist) for key:000000000091 whose "ziplist" is the 5-byte string "xxxxx"
    const p = keyAt(file, '\x0d\x10key:000000000091');
    expect(file[p]).toBe(5);
    bad(() => new ZiplistCursor(file, p + 1, p + 6, p + 1), p + 1);
  });
});
