/** Length and string encodings (rdb-format.md §2.1, §2.2) at their edge values. */
import { describe, expect, it } from 'vitest';
import { ByteReader, INCOMPLETE } from '../../src/rdb/byte-reader.js';
import { lenResult, readLength, readLengthBig, readLengthOrEncoding } from '../../src/rdb/length.js';
import { measureString, measured, readStringBytes } from '../../src/rdb/rdb-string.js';
import { RdbError } from '../../src/core/errors.js';

function reader(bytes: number[], eof = true): ByteReader {
  const r = new ByteReader(null);
  r.append(new Uint8Array(bytes));
  r.eof = eof;
  return r;
}

const be = (v: bigint, n: number) => Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * (n - 1 - i))) & 0xffn));

describe('readLength', () => {
  it.each([
    [[0x00], 0], [[0x3f], 63],
    [[0x40, 0x40], 64], [[0x7f, 0xff], 16383],
    [[0x80, ...be(16384n, 4)], 16384], [[0x80, 0xff, 0xff, 0xff, 0xff], 0xffffffff],
    [[0x81, ...be(0x1_0000_0000n, 8)], 0x1_0000_0000], [[0x81, ...be(2n ** 53n - 1n, 8)], Number.MAX_SAFE_INTEGER],
    [[0x81, ...be(5n, 8)], 5], // a wider form than needed is legal
  ])('%j → %d', (bytes, want) => {
    const r = reader(bytes);
    expect(readLength(r)).toBe(want);
    expect(r.pos).toBe(bytes.length);
  });

  it('refuses lengths above 2^53, the 0x82..0xBF forms and a string-encoding byte', () => {
    for (const bytes of [[0x81, ...be(2n ** 53n, 8)], [0x82], [0xbf], [0xc0, 1]]) {
      const r = reader(bytes);
      expect(() => readLength(r)).toThrow(RdbError);
    }
  });

  it('readLengthBig keeps all 64 bits (stream IDs, entries_read = 2^64-1)', () => {
    expect(readLengthBig(reader([0x81, ...be(2n ** 64n - 1n, 8)]))).toBe(2n ** 64n - 1n);
    expect(readLengthBig(reader([0x05]))).toBe(5n);
  });

  it('reports special encodings separately from lengths', () => {
    const r = reader([0xc3]);
    readLengthOrEncoding(r);
    expect(lenResult).toEqual({ value: 3, special: true });
  });

  it('throws INCOMPLETE (not an error) when more input may come, UNEXPECTED_EOF at the end', () => {
    expect(() => readLength(reader([0x80, 0, 0], false))).toThrow();
    try {
      readLength(reader([0x80, 0, 0], false));
    } catch (e) {
      expect(e).toBe(INCOMPLETE);
    }
    try {
      readLength(reader([0x80, 0, 0], true));
      expect.unreachable();
    } catch (e) {
      expect((e as RdbError).code).toBe('UNEXPECTED_EOF');
    }
  });
});

describe('strings', () => {
  const text = (b: Uint8Array) => new TextDecoder().decode(b);

  it('INT8 / INT16 / INT32 become decimal text with their sign', () => {
    expect(text(readStringBytes(reader([0xc0, 0x80])))).toBe('-128');
    expect(text(readStringBytes(reader([0xc0, 0x7f])))).toBe('127');
    expect(text(readStringBytes(reader([0xc1, 0x00, 0x80])))).toBe('-32768');
    expect(text(readStringBytes(reader([0xc2, 0xff, 0xff, 0xff, 0x7f])))).toBe('2147483647');
    expect(text(readStringBytes(reader([0xc2, 0x00, 0x00, 0x00, 0x80])))).toBe('-2147483648');
  });

  it('an empty string and a raw binary string', () => {
    expect(readStringBytes(reader([0x00]))).toEqual(new Uint8Array(0));
    expect(readStringBytes(reader([0x03, 0x00, 0xff, 0x0a]))).toEqual(new Uint8Array([0, 255, 10]));
  });

  it('LZF strings decompress to exactly ulen bytes (§2.3: literal run then back-reference)', () => {
    // 10 × 'a' in 5 compressed bytes: literal run of 1 ('a'), then a back-reference with ctrl 0xE0
    // (len 7 → one extra length byte 0x00 → copies 7 + 2 = 9 bytes) at offset 0x00 + 1, overlapping.
    const r = reader([0xc3, 0x05, 0x0a, 0x00, 0x61, 0xe0, 0x00, 0x00]);
    expect(text(readStringBytes(r))).toBe('a'.repeat(10));
  });

  it('unknown special encodings 0xC4.. are refused', () => {
    expect(() => readStringBytes(reader([0xc4]))).toThrow(/unknown string encoding/);
  });

  it('measureString: canonical ints are ints, "007" and "-0" are not; long payloads are skipped', () => {
    const m = (bytes: number[]) => {
      measureString(reader(bytes));
      return { len: measured.len, isInt: measured.isInt };
    };
    const raw = (s: string) => [s.length, ...Buffer.from(s)];
    expect(m(raw('12345'))).toEqual({ len: 5, isInt: true });
    expect(m(raw('-9223372036854775808'))).toEqual({ len: 20, isInt: true });
    expect(m(raw('9223372036854775808'))).toEqual({ len: 19, isInt: false });
    expect(m(raw('007'))).toEqual({ len: 3, isInt: false });
    expect(m(raw('-0'))).toEqual({ len: 2, isInt: false });
    expect(m([0xc1, 0x39, 0x30])).toEqual({ len: 5, isInt: true });
    const r = reader([0x40, 100, ...new Array(10).fill(0x61)], false); // 100 bytes announced, 10 present
    measureString(r);
    expect(measured.len).toBe(100);
    expect(r.pendingSkip).toBe(90);
  });
});
