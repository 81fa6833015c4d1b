import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lzfDecompress } from '../../src/rdb/lzf.js';
import { RdbError } from '../../src/core/errors.js';
import { lzfCompress } from '../support/lzf-compress.js';

const CORPUS = resolve(__dirname, '../../../shared/corpus');
const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

function lzfError(f: () => unknown): RdbError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RdbError);
    expect((e as RdbError).code).toBe('BAD_LZF');
    return e as RdbError;
  }
  throw new Error('expected BAD_LZF');
}

describe('lzfDecompress (rdb-format.md §2.3)', () => {
  it('copies a literal run (ctrl < 32 → ctrl+1 bytes)', () => {
    expect(text(lzfDecompress(bytes(0x02, 0x61, 0x62, 0x63), 0, 4, 3, 0))).toBe('abc');
  });

  it('handles a maximal 32-byte literal run', () => {
    const src = new Uint8Array(33);
    src[0] = 31;
    for (let i = 1; i <= 32; i++) src[i] = i;
    expect(Array.from(lzfDecompress(src, 0, 33, 32, 0))).toEqual(Array.from(src.subarray(1)));
  });

  it('decodes a short back-reference: len = (ctrl>>5)+2, distance = ((ctrl&31)<<8)+next+1', () => {
    // "abcd" then copy 3 bytes from 4 back → "abcdabc"
    expect(text(lzfDecompress(bytes(0x03, 0x61, 0x62, 0x63, 0x64, 0x20, 0x03), 0, 7, 7, 0))).toBe('abcdabc');
  });

  it('copies overlapping regions byte by byte (distance 1 = run-length)', () => {
    // "x" then 6×(distance 1): 0xA0 = len 5 → 7 bytes
    expect(text(lzfDecompress(bytes(0x00, 0x78, 0xa0, 0x00), 0, 4, 8, 0))).toBe('xxxxxxxx');
    // "ab" then 4 bytes from distance 2 → "ababab"
    expect(text(lzfDecompress(bytes(0x01, 0x61, 0x62, 0x40, 0x01), 0, 5, 6, 0))).toBe('ababab');
  });

  it('reads the extra length byte when ctrl>>5 == 7 (lengths 9..264)', () => {
    // 'z', then len 7+255+2 = 264 at distance 1
    const out = lzfDecompress(bytes(0x00, 0x7a, 0xe0, 0xff, 0x00), 0, 5, 265, 0);
    expect(out.length).toBe(265);
    expect(out.every((b) => b === 0x7a)).toBe(true);
    // len 7 + 0 + 2 = 9
    expect(text(lzfDecompress(bytes(0x00, 0x7a, 0xe0, 0x00, 0x00), 0, 5, 10, 0))).toBe('z'.repeat(10));
  });

  it('uses 13-bit distances (high 5 bits in ctrl)', () => {
    const lit = new Uint8Array(300);
    for (let i = 0; i < 300; i++) lit[i] = (i * 7) & 0xff;
    const c = lzfCompress(lit);
    const src = new Uint8Array(c.length + 3);
    src.set(c);
    // copy 3 bytes from distance 300: ctrl = (1<<5) | (299>>8), then 299 & 255
    src.set([0x20 | (299 >> 8), 299 & 0xff], c.length);
    const out = lzfDecompress(src, 0, c.length + 2, 303, 0);
    expect(Array.from(out.subarray(300))).toEqual(Array.from(lit.subarray(0, 3)));
  });

  it('decodes real Redis output: key "a"×200 from easily_compressible_string_key.rdb', () => {
    const f = resolve(CORPUS, 'hdt3213-rdb/easily_compressible_string_key.rdb');
    if (!existsSync(f)) return void console.warn(`corpus absent: ${f}`);
    const file = new Uint8Array(readFileSync(f));
    // REDIS0003, FE 00 (select db 0), type 0, then key string: C3 clen ulen data (14-bit lens, §2.1)
    const p = 12;
    expect(file[p]).toBe(0xc3);
    const clen = file[p + 1]! & 0x3f;
    const ulen = ((file[p + 2]! & 0x3f) << 8) | file[p + 3]!;
    expect(ulen).toBe(200);
    const out = lzfDecompress(file, p + 4, p + 4 + clen, ulen, p + 4);
    expect(text(out)).toBe('a'.repeat(200));
  });

  it('decodes real Redis output: "compressible" from redis/encodings.rdb', () => {
    const f = resolve(CORPUS, 'redis/encodings.rdb');
    if (!existsSync(f)) return void console.warn(`corpus absent: ${f}`);
    const file = new Uint8Array(readFileSync(f));
    const key = ascii('compressible');
    const at = Buffer.from(file).indexOf(Buffer.from(key)) + key.length;
    expect(file[at]).toBe(0xc3);
    const clen = file[at + 1]!; // 6-bit len
    const ulen = ((file[at + 2]! & 0x3f) << 8) | file[at + 3]!;
    const out = lzfDecompress(file, at + 4, at + 4 + clen, ulen, 0);
    expect(out.length).toBe(ulen);
    expect(out.every((b) => b === 0x61)).toBe(true); // redis tests: "aaaaaaaaa..." (a long run of 'a')
  });

  it('round-trips the test compressor on mixed data (literals, refs, long refs, overlaps)', () => {
    const parts: string[] = [];
    for (let i = 0; i < 200; i++) parts.push(`key:${i % 17}:${'x'.repeat(i % 40)}|`);
    const input = ascii(parts.join('') + 'q'.repeat(1000));
    const c = lzfCompress(input);
    expect(c.length).toBeLessThan(input.length / 2);
    expect(Array.from(lzfDecompress(c, 0, c.length, input.length, 0))).toEqual(Array.from(input));
  });

  it('respects start/end inside a larger buffer and reports absolute error offsets', () => {
    const blob = bytes(0xee, 0xee, 0x02, 0x61, 0x62, 0x63, 0xee);
    expect(text(lzfDecompress(blob, 2, 6, 3, 1000))).toBe('abc');
    // back-reference at local position 1 pointing before the output start
    const bad = bytes(0xee, 0x00, 0x61, 0x20, 0x05, 0xee);
    const e = lzfError(() => lzfDecompress(bad, 1, 5, 4, 1000));
    expect(e.offset).toBe(1002);
  });

  it('rejects a back-reference before the start of the output', () => {
    lzfError(() => lzfDecompress(bytes(0x20, 0x00), 0, 2, 3, 0));
    lzfError(() => lzfDecompress(bytes(0x00, 0x61, 0x20, 0x01), 0, 4, 4, 0));
  });

  it('rejects output longer than announced (overflow)', () => {
    lzfError(() => lzfDecompress(bytes(0x02, 0x61, 0x62, 0x63), 0, 4, 2, 0));
    lzfError(() => lzfDecompress(bytes(0x00, 0x78, 0xa0, 0x00), 0, 4, 5, 0));
  });

  it('rejects short output', () => {
    const e = lzfError(() => lzfDecompress(bytes(0x02, 0x61, 0x62, 0x63), 0, 4, 5, 0));
    expect(e.detail).toMatch(/3 bytes/);
  });

  it('rejects truncated input: literal past end, back-reference without its offset byte', () => {
    lzfError(() => lzfDecompress(bytes(0x05, 0x61, 0x62), 0, 3, 6, 0));
    lzfError(() => lzfDecompress(bytes(0x00, 0x61, 0x20), 0, 3, 4, 0));
    lzfError(() => lzfDecompress(bytes(0x00, 0x61, 0xe0, 0x01), 0, 4, 11, 0));
  });

  it('rejects empty input and impossible uncompressed lengths before allocating', () => {
    lzfError(() => lzfDecompress(bytes(), 0, 0, 0, 0));
    lzfError(() => lzfDecompress(bytes(0x00, 0x61), 0, 2, 2 * 261 + 1, 0));
    lzfError(() => lzfDecompress(bytes(0x00, 0x61), 0, 2, 2 ** 40, 0));
    lzfError(() => lzfDecompress(bytes(0x00, 0x61), 0, 2, -1, 0));
  });
});

