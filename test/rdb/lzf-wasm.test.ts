/**
 * The wasm LZF decoder (lzf-wasm.ts) against the JS one (lzf.ts), which follows Redis'
 * lzf_decompress and has its own tests: same bytes on every construct, and a refusal (null) on
 * every fault the JS decoder rejects, so that the caller's JS retry reports it.
 */
import { describe, expect, it } from 'vitest';
import { lzfDecompress } from '../../src/rdb/lzf.js';
import { LZF_WASM_IN_CAP, LZF_WASM_OUT_CAP, lzfDecompressWasm } from '../../src/rdb/lzf-wasm.js';
import { crc64HasWasm } from '../../src/rdb/crc64.js';
import { lzfCompress } from '../support/lzf-compress.js';
import { rng } from '../../scripts/lib/fuzz-engine.mjs';
import { lzfSample } from '../support/lzf-samples.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

/** Random bytes literals, repeats near and far, byte runs (lzfSample). */
const sample = (rand: () => number, n: number): Uint8Array => lzfSample(rand, n, (r) => Math.floor(r() * 256));

describe('wasm LZF decoder', () => {
  it('is available (Node has WebAssembly)', () => {
    expect(crc64HasWasm()).toBe(true);
    expect(lzfDecompressWasm(bytes(0x00, 0x61), 0, 2, 1, 0)).not.toBeNull();
  });

  it('gives the bytes the JS decoder gives, on 2000 seeded inputs of 1 B to 70 KB', () => {
    const rand = rng(20261125);
    for (let t = 0; t < 2000; t++) {
      const n = 1 + Math.floor(rand() ** 3 * 70000);
      const input = sample(rand, n);
      const packed = lzfCompress(input);
      // inside a larger buffer, as the parser's window holds it
      const src = new Uint8Array(packed.length + 11);
      src.set(packed, 5);
      const got = lzfDecompressWasm(src, 5, 5 + packed.length, n, (t & 1) as 0 | 1);
      expect(got, `input ${t} (${n} bytes)`).not.toBeNull();
      expect(Buffer.compare(Buffer.from(got!), Buffer.from(input)), `input ${t}`).toBe(0);
      expect(Buffer.from(lzfDecompress(src, 5, 5 + packed.length, n, 0)).equals(Buffer.from(input))).toBe(true);
    }
  });

  it('keeps the other slot intact (a stream node key and its listpack are held together)', () => {
    const a = sample(rng(1), 5000);
    const b = sample(rng(2), 6000);
    const pa = lzfCompress(a);
    const pb = lzfCompress(b);
    const outA = lzfDecompressWasm(pa, 0, pa.length, a.length, 0)!;
    const outB = lzfDecompressWasm(pb, 0, pb.length, b.length, 1)!;
    expect(Buffer.from(outA).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(outB).equals(Buffer.from(b))).toBe(true);
  });

  it('refuses every fault the JS decoder rejects', () => {
    const faulty: [Uint8Array, number][] = [
      [bytes(0x20, 0x00), 3], // back-reference before the start
      [bytes(0x00, 0x61, 0x20, 0x01), 4],
      [bytes(0x02, 0x61, 0x62, 0x63), 2], // more output than announced
      [bytes(0x00, 0x78, 0xa0, 0x00), 5],
      [bytes(0x02, 0x61, 0x62, 0x63), 5], // less
      [bytes(0x05, 0x61, 0x62), 6], // literal past the end
      [bytes(0x00, 0x61, 0x20), 4], // reference without its offset byte
      [bytes(0x00, 0x61, 0xe0, 0x01), 11], // long reference cut after its length byte
      [bytes(0x00, 0x61, 0xe0), 11],
    ];
    for (const [src, outLen] of faulty) {
      expect(() => lzfDecompress(src, 0, src.length, outLen, 0)).toThrow();
      expect(lzfDecompressWasm(src, 0, src.length, outLen, 0), Array.from(src).join(',')).toBeNull();
    }
  });

  it('declines what does not fit its regions (the caller decodes in JS)', () => {
    const big = new Uint8Array(LZF_WASM_OUT_CAP + 1);
    const packed = lzfCompress(big);
    expect(lzfDecompressWasm(packed, 0, packed.length, big.length, 0)).toBeNull();
    expect(lzfDecompressWasm(new Uint8Array(LZF_WASM_IN_CAP + 1), 0, LZF_WASM_IN_CAP + 1, 10, 0)).toBeNull();
  });
});
