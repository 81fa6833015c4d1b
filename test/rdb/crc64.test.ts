import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Crc64, crc64HasWasm, crc64Hex } from '../../src/rdb/crc64.js';

const CORPUS = resolve(__dirname, '../../../shared/corpus');

/** Bit-at-a-time reference straight from the definition (§1.4), independent of the tables. */
function referenceCrc64(buf: Uint8Array): string {
  const poly = 0x95ac9329ac4bc9b5n;
  let crc = 0n;
  for (const b of buf) {
    crc ^= BigInt(b);
    for (let i = 0; i < 8; i++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc.toString(16).padStart(16, '0');
}

function pseudoRandom(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function engines(buf: Uint8Array, start = 0, end = buf.length): string[] {
  return (['js', 'wasm'] as const).map((e) => {
    const c = new Crc64();
    c.updateUsing(e, buf, start, end);
    return c.hex();
  });
}

describe('Crc64 (CRC-64/Jones, rdb-format.md §1.4)', () => {
  it('gives the check value e9c6d914c4b8d9ca for "123456789"', () => {
    expect(crc64Hex(new TextEncoder().encode('123456789'))).toBe('e9c6d914c4b8d9ca');
    expect(engines(new TextEncoder().encode('123456789'))).toEqual(['e9c6d914c4b8d9ca', 'e9c6d914c4b8d9ca']);
  });

  it('is 0 for no input (init 0, no xorout)', () => {
    expect(crc64Hex(new Uint8Array(0))).toBe('0000000000000000');
  });

  it('the WebAssembly engine is available on Node 20', () => {
    expect(crc64HasWasm()).toBe(true);
  });

  it('matches a bit-by-bit reference for every length 0..300 and both engines', () => {
    const data = pseudoRandom(300, 7);
    for (let n = 0; n <= 300; n += n < 40 ? 1 : 13) {
      const want = referenceCrc64(data.subarray(0, n));
      expect(engines(data, 0, n)).toEqual([want, want]);
    }
  });

  it('is the same for any split into incremental updates, at any offsets inside the buffer', () => {
    const data = pseudoRandom(5000, 99);
    const want = referenceCrc64(data.subarray(3, 4990));
    const splits = [[3, 4990], [3, 4, 5, 300, 301, 4990], [3, 19, 35, 2000, 2017, 4990], [3, 259, 515, 4990]];
    for (const points of splits) {
      const c = new Crc64();
      for (let i = 0; i + 1 < points.length; i++) c.update(data, points[i]!, points[i + 1]!);
      expect(c.hex()).toBe(want);
    }
    // random splits, mixing engines between pieces
    let seed = 1;
    for (let round = 0; round < 20; round++) {
      const c = new Crc64();
      let p = 3;
      while (p < 4990) {
        seed = (Math.imul(seed, 48271) + 11) >>> 0;
        const q = Math.min(4990, p + (seed % 700));
        c.updateUsing(seed & 1 ? 'wasm' : 'js', data, p, q);
        p = q;
      }
      expect(c.hex()).toBe(want);
    }
  });

  it('handles inputs larger than the 1 MiB wasm staging area', () => {
    const data = pseudoRandom((1 << 20) * 2 + 123, 5);
    const [js, wasm] = engines(data);
    expect(wasm).toBe(js);
    // compare with the reference on a prefix to tie both to the definition
    expect(engines(data, 0, 4096)[1]).toBe(referenceCrc64(data.subarray(0, 4096)));
  });

  it('equalsLE compares with an 8-byte little-endian trailer', () => {
    const c = new Crc64();
    c.update(new TextEncoder().encode('123456789'), 0, 9);
    const trailer = Uint8Array.from([0x00, 0xca, 0xd9, 0xb8, 0xc4, 0x14, 0xd9, 0xc6, 0xe9]);
    expect(c.equalsLE(trailer, 1)).toBe(true);
    expect(c.equalsLE(trailer, 0)).toBe(false);
    for (let i = 1; i < 9; i++) {
      const t = trailer.slice();
      t[i] = t[i]! ^ 0x80;
      expect(c.equalsLE(t, 1)).toBe(false);
    }
  });

  it('verifies the trailers of real dumps (version >= 5, non-zero checksum)', () => {
    const files: string[] = [];
    for (const dir of ['redis', 'hdt3213-rdb', 'modern']) {
      const d = resolve(CORPUS, dir);
      if (existsSync(d)) for (const f of readdirSync(d)) if (f.endsWith('.rdb')) files.push(resolve(d, f));
    }
    if (files.length === 0) return void console.warn(`corpus absent: ${CORPUS}`);
    let checked = 0;
    for (const f of files) {
      const b = new Uint8Array(readFileSync(f));
      const magic = Buffer.from(b.subarray(0, 9)).toString('latin1');
      const version = magic.startsWith('VALKEY') ? Number(magic.slice(6)) : Number(magic.slice(5));
      if (!(version >= 5) || b.length < 17 || b[b.length - 9] !== 0xff) continue; // no trailer / trailing data
      if (b.subarray(b.length - 8).every((x) => x === 0)) continue; // checksum disabled
      const c = new Crc64();
      c.update(b, 0, b.length - 8);
      expect(c.equalsLE(b, b.length - 8), f).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });
});
