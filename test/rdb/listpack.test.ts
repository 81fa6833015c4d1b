import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListpackCursor, listpackSummary } from '../../src/rdb/listpack.js';
import { RdbError } from '../../src/core/errors.js';
import { Crc64 } from '../../src/rdb/crc64.js';
import { lzfDecompress } from '../../src/rdb/lzf.js';
import { buildListpack } from '../support/rdb-writer.js';
import { requireRedis } from '../support/redis.js';
import { startRedis } from '../../scripts/lib/redis-server.mjs';

const CORPUS = resolve(__dirname, '../../../shared/corpus');
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const latin1 = (b: Uint8Array, s: number, n: number): string => Buffer.from(b.subarray(s, s + n)).toString('latin1');

/** Wraps entries (already encoded, incl. backlen) in a header with the right total and a terminator. */
function lp(body: string, count: number): Uint8Array {
  const b = hex(body);
  const out = new Uint8Array(b.length + 7);
  new DataView(out.buffer).setUint32(0, out.length, true);
  new DataView(out.buffer).setUint16(4, count, true);
  out.set(b, 6);
  out[out.length - 1] = 0xff;
  return out;
}

type Item = string | number | bigint;
function walk(buf: Uint8Array, start = 0, end = buf.length, offset = 0): Item[] {
  const c = new ListpackCursor(buf, start, end, offset);
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
  expect(c.next()).toBe(false); // stays at the end
  return out;
}

function bad(f: () => unknown, offset?: number): RdbError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RdbError);
    expect((e as RdbError).code).toBe('BAD_LISTPACK');
    if (offset !== undefined) expect((e as RdbError).offset).toBe(offset);
    return e as RdbError;
  }
  throw new Error('expected BAD_LISTPACK');
}

describe('ListpackCursor on spec bytes (rdb-format.md §5.2, Appendix A)', () => {
  it('A4: set listpack of 7-bit uints and 6-bit strings', () => {
    const b = hex('25000000 0900 0101 0201 0301 83312e3104 83312e3204 83312e3304 816102 816202 816302 ff');
    expect(walk(b)).toEqual([1, 2, 3, '1.1', '1.2', '1.3', 'a', 'b', 'c']);
    expect(listpackSummary(b, 0, b.length, 0)).toEqual({ count: 9, largest: 3 });
  });

  it('A9: int64 expiry timestamps and a 0 in a type-25 listpack', () => {
    const b = hex(`35000000 0900 82663203 82763203 F4E9D5CF18A20100 0009 82663103 82763103 F4F1B6C51EA20100 0009
                   82663303 82763303 0001 ff`);
    expect(walk(b)).toEqual(['f2', 'v2', 0x1a218cfd5e9, 'f1', 'v1', 0x1a21ec5b6f1, 'f3', 'v3', 0]);
  });

  it('decodes every integer width, negative values included', () => {
    const b = lp(
      [
        '00 01', '7f 01', // uint7 0, 127
        'dffb 02', 'cfff 02', 'd000 02', 'c080 02', // int13 -5, 4095, -4096, 128
        'f1ff7f 03', 'f10080 03', 'f1ffff 03', // int16 32767, -32768, -1
        'f2ffff7f 04', 'f2000080 04', 'f2feffff 04', // int24 8388607, -8388608, -2
        'f3ffffff7f 05', 'f300000080 05', // int32 max, min
        'f4ffffffffffff1f00 09', 'f4000000000000e0ff 09', // ±(2^53-1)…
        'f4ffffffffffffff7f 09', 'f40000000000000080 09', 'f4ffffffffffffffff 09', // int64 max, min, -1
      ].join(''),
      19,
    );
    expect(walk(b)).toEqual([
      0, 127, -5, 4095, -4096, 128, 32767, -32768, -1, 8388607, -8388608, -2, 2147483647, -2147483648,
      2 ** 53 - 1, -(2n ** 53n), 9223372036854775807n, -9223372036854775808n, -1,
    ]);
    expect(listpackSummary(b, 0, b.length, 0)).toEqual({ count: 19, largest: 20 });
  });

  it('decodes 12-bit and 32-bit string lengths (high bits in the first byte / u32 LE)', () => {
    const s300 = Buffer.from('y'.repeat(300)).toString('hex');
    const b = lp(`e12c${s300} 02ae` + `f003000000616263 08` + `e003616263 05`, 3);
    // backlen for L = 302: 2 bytes, 302>>7 = 2, (302&127)|128 = 0xAE
    expect(walk(b)).toEqual(['y'.repeat(300), 'abc', 'abc']);
  });

  it('backlen sizes at the 127/128 and 16382/16383 boundaries', () => {
    for (const [strLen, enc] of [[125, 'str12'], [126, 'str12'], [16377, 'str32'], [16378, 'str32']] as const) {
      const b = buildListpack([{ str: 'q'.repeat(strLen), enc }, 'tail']);
      const c = new ListpackCursor(b, 0, b.length, 0);
      expect(c.next()).toBe(true);
      const L = (enc === 'str12' ? 2 : 5) + strLen; // encoding + data
      const expectedBacklen = L <= 127 ? 1 : L < 16383 ? 2 : 3;
      expect(c.entrySize, `len ${strLen}`).toBe(L + expectedBacklen);
      expect(c.next()).toBe(true);
      expect(latin1(b, c.strStart, c.strLen)).toBe('tail');
      expect(c.next()).toBe(false);
    }
    // hand-made 3-byte backlen for L = 16383: 16383 >> 14 = 0, then 0xFF, 0xFF
    const data = Buffer.from('z'.repeat(16378)).toString('hex');
    const b = lp(`f0fa3f0000${data} 00ffff`, 1);
    expect(walk(b)).toEqual(['z'.repeat(16378)]);
  });

  it('65535 = unknown count: any walk length is accepted', () => {
    expect(walk(lp('0101 0201', 65535))).toEqual([1, 2]);
    const many: number[] = [];
    for (let i = 0; i < 70000; i++) many.push(i & 127);
    const b = buildListpack(many);
    expect(b[4] | (b[5]! << 8)).toBe(65535);
    expect(listpackSummary(b, 0, b.length, 0)).toEqual({ count: 70000, largest: 3 });
    expect(new ListpackCursor(b, 0, b.length, 0).headerCount).toBe(65535);
  });

  it('works inside a larger buffer with absolute error offsets', () => {
    const inner = lp('0101 816102', 2);
    const buf = new Uint8Array(inner.length + 20).fill(0xaa);
    buf.set(inner, 10);
    expect(walk(buf, 10, 10 + inner.length, 5000)).toEqual([1, 'a']);
    buf[10 + 6 + 2] = 0xf7; // invalid encoding byte in the 2nd entry (local position 8)
    bad(() => walk(buf, 10, 10 + inner.length, 5000), 5008);
  });
});

describe('ListpackCursor rejects corrupt blobs', () => {
  it('header total != blob length, blob shorter than a header', () => {
    const b = lp('0101', 1);
    bad(() => new ListpackCursor(b, 0, b.length - 1, 0));
    const c = b.slice();
    c[0]! += 1;
    bad(() => new ListpackCursor(c, 0, c.length, 0));
    bad(() => new ListpackCursor(hex('060000000000'), 0, 6, 0));
  });

  it('missing terminator, terminator before the end', () => {
    const b = lp('0101', 1);
    b[b.length - 1] = 0x01;
    bad(() => new ListpackCursor(b, 0, b.length, 0));
    bad(() => walk(lp('0101 ff 0201', 1)), 8);
  });

  it('count header that disagrees with the walk', () => {
    bad(() => walk(lp('0101 0201', 3)));
    bad(() => walk(lp('0101 0201', 1)));
    bad(() => walk(lp('', 1)));
    expect(walk(lp('', 0))).toEqual([]);
  });

  it('entries running past the end', () => {
    bad(() => walk(lp('85616263', 1))); // 6-bit string of 5 with 3 bytes
    bad(() => walk(lp('f0ffffffff 6162', 1))); // 32-bit length 4 GiB
    bad(() => walk(lp('f3ffff', 1))); // int32 cut off
    bad(() => walk(lp('f4ffffffffffffff7f', 1))); // int64 without backlen
    bad(() => walk(lp('e1', 1))); // 12-bit length byte missing
    bad(() => walk(lp('c1', 1))); // 13-bit int second byte missing
  });

  it('invalid encoding bytes 0xF5..0xFE', () => {
    for (let e = 0xf5; e <= 0xfe; e++) bad(() => walk(lp(`${e.toString(16)}00000000000000000000`, 1)), 6);
  });

  it('backlen that does not match the entry size or is malformed', () => {
    bad(() => walk(lp('0102', 1)), 7);
    bad(() => walk(lp('816103', 1)));
    const s300 = Buffer.from('y'.repeat(300)).toString('hex');
    bad(() => walk(lp(`e12c${s300} 022e`, 1))); // 2nd byte lacks bit 7
    bad(() => walk(lp(`e12c${s300} 82ae`, 1))); // first byte has bit 7 set
  });
});

describe('ListpackCursor on real blobs (hdt3213-rdb/listpack.rdb, Redis 7.0.4)', () => {
  const f = resolve(CORPUS, 'hdt3213-rdb/listpack.rdb');
  it.skipIf(!existsSync(f))('walks the zset "z" and hash "h" listpacks', () => {
    const file = new Uint8Array(readFileSync(f));
    const found: Record<string, Item[]> = {};
    // type 17 / 16, key of 1 byte, then a raw (6/14-bit length) or LZF blob
    for (const [type, key] of [[0x11, 'z'], [0x10, 'h']] as const) {
      const at = Buffer.from(file).indexOf(Buffer.from([type, 0x01, key.charCodeAt(0)]));
      expect(at, key).toBeGreaterThan(0);
      const blob = readBlob(file, at + 3);
      found[key] = walk(blob.bytes, blob.start, blob.end, blob.offset);
    }
    // MANIFEST: z has 12 members incl 11=-8589934592, 9=-268435456, 7=-1048576;
    // h has 11 fields incl 1=1, 10=8589934592, 11=8589934592
    const z = found['z']!;
    expect(z.length).toBe(24); // 12 members, each with its score
    const zpairs = new Map<string, string>();
    for (let i = 0; i < z.length; i += 2) zpairs.set(String(z[i]), String(z[i + 1]));
    expect(zpairs.get('11')).toBe('-8589934592');
    expect(zpairs.get('9')).toBe('-268435456');
    expect(zpairs.get('7')).toBe('-1048576');
    const h = found['h']!;
    expect(h.length).toBe(22);
    const hpairs = new Map<string, string>();
    for (let i = 0; i < h.length; i += 2) hpairs.set(String(h[i]), String(h[i + 1]));
    expect(hpairs.get('1')).toBe('1');
    expect(hpairs.get('10')).toBe('8589934592');
    expect(hpairs.get('11')).toBe('8589934592');
  });
});

/** A string (§2.2) that is a plain 6/14-bit length or an LZF blob with 6/14-bit lengths. */
function readBlob(file: Uint8Array, p: number): { bytes: Uint8Array; start: number; end: number; offset: number } {
  const len = (): number => {
    const b = file[p]!;
    expect(b >> 6, 'expected a 6/14-bit length').toBeLessThan(2);
    const v = b >> 6 === 0 ? b & 0x3f : ((b & 0x3f) << 8) | file[p + 1]!;
    p += b >> 6 === 0 ? 1 : 2;
    return v;
  };
  if (file[p] === 0xc3) {
    p++;
    const clen = len();
    const ulen = len();
    const bytes = lzfDecompress(file, p, p + clen, ulen, p);
    return { bytes, start: 0, end: ulen, offset: 0 };
  }
  const n = len();
  return { bytes: file, start: p, end: p + n, offset: p };
}

const describeRedis = requireRedis();
describeRedis('buildListpack and ListpackCursor against a real server (DUMP of a listpack hash)', () => {
  let server: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    server = await startRedis({ extraArgs: ['--rdbcompression', 'no', '--hash-max-listpack-value', '100000', '--hash-max-listpack-entries', '1000'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const values = [
    '0', '127', '128', '-1', '-5', '4095', '-4096', '4096', '32767', '-32768', '32768', '8388607', '-8388608',
    '8388608', '2147483647', '-2147483648', '2147483648', '9223372036854775807', '-9223372036854775808',
    '9223372036854775808', '-0', '007', '+1', '1.5', '', 'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(125),
    'x'.repeat(126), 'x'.repeat(4095), 'x'.repeat(4096), 'x'.repeat(16377), 'x'.repeat(16378),
  ];

  it('produces the same bytes Redis writes and decodes them to the same elements', async () => {
    const args: string[] = [];
    values.forEach((v, i) => args.push(`f${i}`, v));
    await server.client.call('HSET', 'h', ...args);
    expect(String(await server.client.call('OBJECT', 'ENCODING', 'h'))).toBe('listpack');
    const dump = new Uint8Array((await server.client.call('DUMP', 'h')) as Buffer);
    // DUMP payload: type, value string, 2-byte RDB version, CRC64 LE of everything before (§1.5)
    const crc = new Crc64();
    crc.update(dump, 0, dump.length - 8);
    expect(crc.equalsLE(dump, dump.length - 8)).toBe(true);
    expect(dump[0]).toBe(16); // HASH_LISTPACK
    expect(dump[1]).toBe(0x80); // 32-bit string length
    const len = new DataView(dump.buffer, dump.byteOffset).getUint32(2, false);
    const blob = dump.subarray(6, 6 + len);
    expect(blob.length).toBe(dump.length - 6 - 10);

    const expected = buildListpack(args);
    expect(Buffer.from(blob).equals(Buffer.from(expected))).toBe(true);
    expect(walk(blob).map(String)).toEqual(args.map((a) => (/^-?[1-9]\d*$|^0$/.test(a) && BigInt(a) <= 2n ** 63n - 1n && BigInt(a) >= -(2n ** 63n) ? String(BigInt(a)) : a)));
    expect(listpackSummary(blob, 0, blob.length, 0)).toEqual({ count: args.length, largest: 16378 });
  });
});
