/**
 * LZF payloads that are measured, not decompressed (string values, collection elements, quicklist
 * plain nodes), must still decode to exactly their announced length and never refer before their
 * start, as Redis' lzf_decompress requires (rdb-format.md §2.3, "Invalid LZF compressed string"):
 * LzfScan and the wasm scan check that without producing the output, also when the payload reaches
 * the parser in pieces; and a blob whose header lies fails before its output is allocated.
 */
import { describe, expect, it } from 'vitest';
import { RdbError } from '../../src/core/errors.js';
import { lzfDecompressInto, LzfScan, lzfValidate } from '../../src/rdb/lzf.js';
import { lzfScanWasm } from '../../src/rdb/lzf-wasm.js';
import { parseRdb } from '../../src/rdb/index.js';
import { lzfCompress } from '../support/lzf-compress.js';
import { parseBytes } from '../support/parse-bytes.js';
import { RdbWriter, TYPE, buildListpack } from '../support/rdb-writer.js';
import { rng } from '../../scripts/lib/fuzz-engine.mjs';
import { lzfSample } from '../support/lzf-samples.js';

const MB = 1024 * 1024;

/** Text literals, repeats near and far, byte runs (lzfSample). */
const sample = (rand: () => number, n: number): Uint8Array => lzfSample(rand, n, (r) => 97 + Math.floor(r() * 26));

/** What the decoder says of data: null when it decodes to exactly outLen bytes, else its error's offset. */
function decoderVerdict(data: Uint8Array, outLen: number, at: number): number | null {
  try {
    lzfDecompressInto(data, 0, data.length, new Uint8Array(outLen), outLen, at);
    return null;
  } catch (e) {
    if (!(e instanceof RdbError) || e.code !== 'BAD_LZF') throw e;
    return e.offset;
  }
}

/** The same of the scan, fed in pieces cut at `cuts`. */
function scanVerdict(data: Uint8Array, outLen: number, at: number, cuts: number[]): number | null {
  const s = new LzfScan();
  s.begin(outLen);
  try {
    let from = 0;
    for (const to of [...cuts, data.length]) {
      s.feed(data, from, to, at + from);
      from = to;
    }
    s.end(at + data.length);
    return null;
  } catch (e) {
    if (!(e instanceof RdbError) || e.code !== 'BAD_LZF') throw e;
    return e.offset;
  }
}

/** Variants of valid data: one byte changed, cut short, or the announced length off by a little. */
function variants(rand: () => number, packed: Uint8Array, n: number): [Uint8Array, number][] {
  const flipped = packed.slice();
  flipped[Math.floor(rand() * packed.length)] = Math.floor(rand() * 256);
  return [
    [packed, n],
    [packed, n + 1],
    [packed, n - 1],
    [flipped, n],
    [packed.subarray(0, Math.max(1, packed.length - 1 - Math.floor(rand() * 3))), n],
  ];
}

describe('LZF validation without decompressing', () => {
  it('the scan accepts and rejects what the decoder does, at the same offset, whole or in pieces', () => {
    const rand = rng(7031);
    for (let t = 0; t < 600; t++) {
      const n = 1 + Math.floor(rand() ** 2 * 20000);
      const packed = lzfCompress(sample(rand, n));
      for (const [data, outLen] of variants(rand, packed, n)) {
        const want = decoderVerdict(data, outLen, 1000);
        expect(scanVerdict(data, outLen, 1000, []), `input ${t}`).toBe(want);
        // pieces cut anywhere, also inside a back-reference or a literal run
        const cuts = [1, 2, 3, 5, 8, 13, 21, 34].map((k) => Math.min(data.length, Math.floor((data.length * k) / 55) + (k % 3))).sort((a, b) => a - b);
        expect(scanVerdict(data, outLen, 1000, cuts), `input ${t}, pieces`).toBe(want);
        expect(lzfScanWasm(data, 0, data.length, outLen), `input ${t}, wasm`).toBe(want === null);
      }
    }
  });

  it('the scan fed one byte at a time agrees with the decoder', () => {
    const rand = rng(99);
    for (let t = 0; t < 100; t++) {
      const n = 1 + Math.floor(rand() * 2000);
      for (const [data, outLen] of variants(rand, lzfCompress(sample(rand, n)), n)) {
        const cuts = Array.from({ length: data.length - 1 }, (_, i) => i + 1);
        expect(scanVerdict(data, outLen, 0, cuts)).toBe(decoderVerdict(data, outLen, 0));
      }
    }
  });

  it('a back-reference before the start is refused at its control byte', () => {
    // literal "a", then a 3-byte copy from 2 bytes back (only 1 byte produced so far)
    const data = Uint8Array.of(0x00, 0x61, 0x20, 0x01);
    expect(scanVerdict(data, 4, 50, [])).toBe(52);
    expect(decoderVerdict(data, 4, 50)).toBe(52);
    expect(lzfScanWasm(data, 0, 4, 4)).toBe(false);
  });
});

/** A string whose LZF payload decodes to `real` bytes (a run of one byte) and claims `ulen`. */
function lyingPayload(real: number): Uint8Array {
  return lzfCompress(new Uint8Array(real).fill(0x41));
}

describe('measured LZF strings in a dump', () => {
  const cases: [string, (w: RdbWriter, c: Uint8Array, ulen: number) => void][] = [
    ['string value', (w, c, ulen) => w.key(TYPE.STRING, 'bad').lzfString(c, c.length, ulen)],
    ['set member', (w, c, ulen) => w.key(TYPE.SET, 'bad').len(2).string('m').lzfString(c, c.length, ulen)],
    ['hash value', (w, c, ulen) => w.key(TYPE.HASH, 'bad').len(1).string('f').lzfString(c, c.length, ulen)],
    ['zset member', (w, c, ulen) => w.key(TYPE.ZSET_2, 'bad').len(1).lzfString(c, c.length, ulen).binaryDouble(1)],
    ['quicklist plain node', (w, c, ulen) => w.key(TYPE.LIST_QUICKLIST_2, 'bad').len(1).len(1).lzfString(c, c.length, ulen)],
  ];
  for (const [what, put] of cases) {
    for (const [real, ulen] of [[100, 200], [100, 50], [100, 101], [3000, 2999]] as const) {
      it(`${what}: decodes to ${real} bytes, header says ${ulen} → BAD_LZF, keys before it kept (any chunking)`, async () => {
        const w = new RdbWriter({ version: 11 });
        w.key(TYPE.STRING, 'before').string('x'.repeat(30));
        const c = lyingPayload(real);
        put(w, c, ulen);
        w.key(TYPE.STRING, 'after').string('y');
        const dump = w.finish();
        for (const chunkSizes of [undefined, [7], [1], [64, 3]]) {
          const { records, error } = await parseBytes(dump, { chunkSizes });
          expect(error?.code, `chunks ${String(chunkSizes)}`).toBe('BAD_LZF');
          expect(error?.key).toBe('bad');
          expect(records.map((r) => r.keyPrintable)).toEqual(['before']);
        }
      });
    }
  }

  it('a payload referring before its start → BAD_LZF at that control byte', async () => {
    const w = new RdbWriter({ version: 11 });
    w.key(TYPE.STRING, 'bad');
    const payloadAt = w.length + 3; // 0xC3, clen, ulen
    // 30 literal bytes, then a copy from 100 bytes back
    const data = Uint8Array.from([29, ...new Uint8Array(30).fill(0x61), 0x20, 99]);
    w.lzfString(data, data.length, 33);
    const dump = w.finish();
    for (const chunkSizes of [undefined, [5]]) {
      const { error } = await parseBytes(dump, { chunkSizes });
      expect(error?.code).toBe('BAD_LZF');
      expect(error?.offset).toBe(payloadAt + 31);
    }
  });

  it('valid LZF strings and elements are measured as before, in any chunking', async () => {
    const rand = rng(5);
    const w = new RdbWriter({ version: 11, compress: true });
    const big = sample(rand, 300_000);
    w.key(TYPE.STRING, 's').string(big);
    w.key(TYPE.SET, 'set').len(2).string(sample(rand, 500)).string(sample(rand, 40));
    w.key(TYPE.LIST_QUICKLIST_2, 'l').len(1).len(1).string(sample(rand, 9000));
    const dump = w.finish();
    for (const chunkSizes of [undefined, [1000], [37, 4096]]) {
      const { records, error } = await parseBytes(dump, { chunkSizes });
      expect(error).toBeNull();
      expect(records.map((r) => [r.keyPrintable, r.largestElementBytes])).toEqual([['s', 300_000], ['set', 500], ['l', 9000]]);
    }
  });

  it('a string that arrives in many chunks (paid as skip debt) and lies at its very end fails after its last piece', async () => {
    const real = 3 * MB;
    const c = lzfCompress(sample(rng(11), real));
    expect(c.length).toBeGreaterThan(8 * 64 * 1024); // many chunks after its header
    const w = new RdbWriter({ version: 11 });
    w.key(TYPE.STRING, 'ok').lzfString(c, c.length, real);
    w.key(TYPE.STRING, 'bad').lzfString(c, c.length, real + 1);
    const { records, error } = await parseBytes(w.finish(), { chunkSizes: [64 * 1024] });
    expect(records.map((r) => [r.keyPrintable, r.elements])).toEqual([['ok', real]]);
    expect(error?.code).toBe('BAD_LZF');
    expect(error?.key).toBe('bad');
    expect(error?.detail).toMatch(`decompressed to ${real} bytes, header says ${real + 1}`);
  });
});

describe('LZF blobs and keys whose header lies are refused before allocating', () => {
  it('lzfValidate refuses a 264 MB claim on data that makes 262 MB, without output', () => {
    const c = lyingPayload(262_000_001);
    expect(() => lzfValidate(c, 0, c.length, 264_000_001, 0)).toThrow(/decompressed to 262000001 bytes, header says 264000001/);
  });

  for (const where of ['set-listpack value', 'key'] as const) {
    it(`${where}: 3 MB of LZF claiming 264 MB fails with little memory`, async () => {
      const c = lyingPayload(262_000_001);
      const w = new RdbWriter({ version: 11 });
      if (where === 'key') w.byte(TYPE.STRING).lzfString(c, c.length, 264_000_001).string('v');
      else w.key(TYPE.SET_LISTPACK, 's').lzfString(c, c.length, 264_000_001);
      const dump = w.finish();
      const before = process.memoryUsage().arrayBuffers;
      let peak = 0;
      const parse = parseRdb(
        (async function* () {
          for (let i = 0; i < dump.length; i += MB) {
            peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
            yield dump.slice(i, i + MB);
          }
        })(),
        { fileName: 'bomb.rdb' },
      );
      const err = await (async () => {
        try {
          for await (const _ of parse) void _;
        } catch (e) {
          return e as RdbError;
        }
        return null;
      })();
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
      expect(err?.code).toBe('BAD_LZF');
      expect(peak).toBeLessThan(64 * MB);
    });
  }
});

// A genuine blob is still decoded: its size follows from data that is present.
describe('an honest compressed listpack', () => {
  it('is decoded and walked', async () => {
    const lp = buildListpack([...Array.from({ length: 100 }, (_, i) => 'member-' + String(i).padStart(40, '0'))]);
    const c = lzfCompress(lp);
    const w = new RdbWriter({ version: 11 });
    w.key(TYPE.SET_LISTPACK, 's').lzfString(c, c.length, lp.length);
    const { records, error } = await parseBytes(w.finish(), { chunkSizes: [100] });
    expect(error).toBeNull();
    expect(records[0]?.elements).toBe(100);
  });
});
