/**
 * A length field that lies (one corrupt byte turning a key length into 0x80 + 4 bytes: "4 GB")
 * near the start of a large dump: the parser must not buffer the rest of the file waiting for a
 * record that cannot fit in it. Measured before the fix: `info` on a 300 MB dump with such a key
 * peaked at 768 MB RSS (the read window doubled up to the file's size), then reported
 * UNEXPECTED_EOF at the end of the file; now the same error comes at once at ~60 MB.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RdbError } from '../../src/core/errors.js';
import { openInput } from '../../src/input/open-input.js';
import { parseRdb, type SizedSource } from '../../src/rdb/index.js';
import { largestAllocation } from '../support/allocation-spy.js';
import { tempDir } from '../support/temp.js';

let largest = 0;

/** Runs `fn` while recording the largest Uint8Array allocated by length (in `largest`). */
async function watchAllocations<T>(fn: () => Promise<T>): Promise<T> {
  const got = await largestAllocation(fn);
  largest = got.largest;
  return got.result;
}

const MB = 1024 * 1024;

/**
 * REDIS0009, SELECTDB 0, the string abc=v, then `lie` (a record whose 32-bit length claims
 * 0xfffffff0 bytes, rdb-format.md §2.1 `10000000` + 4 bytes big-endian), then `fillerMb` MiB of
 * well-formed string records and EOF with a zero (disabled) checksum.
 */
function dumpWithLie(lie: number[], fillerMb: number): Buffer {
  const rec = Buffer.alloc(MB);
  for (let i = 0; i < rec.length; i += 64) {
    rec[i] = 0; // type string
    rec[i + 1] = 10; // key length
    rec.fill(0x6b, i + 2, i + 12);
    rec[i + 12] = 51; // value length
    rec.fill(0x76, i + 13, i + 64);
  }
  return Buffer.concat([
    Buffer.from('REDIS0009', 'latin1'),
    Buffer.from([0xfe, 0x00, 0x00, 3, 0x61, 0x62, 0x63, 1, 0x76]),
    Buffer.from(lie),
    ...Array.from({ length: fillerMb }, () => rec),
    Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 0]),
  ]);
}

const LIES: { what: string; bytes: number[]; key: string | null }[] = [
  { what: 'a key', bytes: [0x00, 0x80, 0xff, 0xff, 0xff, 0xf0], key: null },
  { what: 'an AUX field', bytes: [0xfa, 0x80, 0xff, 0xff, 0xff, 0xf0], key: null },
  { what: 'a FUNCTION2 library', bytes: [0xf5, 0x80, 0xff, 0xff, 0xff, 0xf0], key: null },
  { what: 'a ziplist blob', bytes: [10, 1, 0x6b, 0x80, 0xff, 0xff, 0xff, 0xf0], key: 'k' },
];

describe('a length claiming more than the rest of a plain file', () => {
  for (const lie of LIES) {
    it(`${lie.what}: UNEXPECTED_EOF at the end of the file at once, the key before it kept, no window the size of the file`, async () => {
      const bytes = dumpWithLie(lie.bytes, 24);
      const file = join(tempDir(), 'lie.rdb');
      writeFileSync(file, bytes);
      const { keys, error } = await watchAllocations(async () => {
        const input = await openInput(file);
        const parse = parseRdb(input.chunks, { fileName: input.name });
        const keys: string[] = [];
        let error: unknown = null;
        try {
          await parse.visit((r) => void keys.push(r.keyPrintable));
        } catch (e) {
          error = e;
        }
        return { keys, error };
      });
      expect(error).toBeInstanceOf(RdbError);
      const err = error as RdbError;
      expect(err.code).toBe('UNEXPECTED_EOF');
      // The same outcome the end of the input gave: the offset where the file ends.
      expect(err.offset).toBe(bytes.length);
      expect(err.key).toBe(lie.key);
      expect(err.message).toBe(`${file}: input ends ${0xfffffff0 - (bytes.length - (9 + 9 + lie.bytes.length))} byte(s) short of what the record needs at byte ${bytes.length}${lie.key === null ? '' : ' (key "k")'} [UNEXPECTED_EOF]`);
      expect(keys).toEqual(['abc']);
      // The two 1 MiB read buffers and a window of about one chunk; not the 24 MiB file (32 MiB window).
      expect(largest).toBeLessThan(4 * MB);
    });
  }

  it("openInput's chunks of a plain file carry its size", async () => {
    const file = join(tempDir(), 'd.rdb');
    writeFileSync(file, dumpWithLie([], 1));
    const input = await openInput(file);
    expect((input.chunks as Partial<SizedSource>).streamBytes).toBe(MB + 27);
    for await (const c of input.chunks) void c;
  });

  it('ParseOptions.streamBytes does the same for any source', async () => {
    const bytes = dumpWithLie(LIES[0]!.bytes, 8);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < bytes.length; at += 256 << 10) yield bytes.subarray(at, at + (256 << 10));
    }
    const got = await watchAllocations(async () => {
      const parse = parseRdb(chunks(), { streamBytes: bytes.length });
      try {
        for await (const b of parse.batches()) void b;
      } catch (e) {
        return e;
      }
      return null;
    });
    expect((got as RdbError).code).toBe('UNEXPECTED_EOF');
    expect((got as RdbError).offset).toBe(bytes.length);
    expect(largest).toBeLessThan(4 * MB);
  });
});

describe('a stream length that turns out wrong', () => {
  it('more bytes than announced arrived (a file that grew, a special file of size 0): the record is read, not refused', async () => {
    // A 2 MiB string key: more than the window holds, so the announced end is consulted.
    const key = new Uint8Array(2 * MB).fill(0x6b);
    const head = Buffer.concat([Buffer.from('REDIS0009', 'latin1'), Buffer.from([0xfe, 0x00, 0x00, 0x80]), Buffer.from([0x00, 0x20, 0x00, 0x00])]);
    const bytes = Buffer.concat([head, key, Buffer.from([1, 0x76, 0xff, 0, 0, 0, 0, 0, 0, 0, 0])]);
    for (const announced of [0, 100]) {
      async function* chunks(): AsyncGenerator<Uint8Array> {
        for (let at = 0; at < bytes.length; at += 64 << 10) yield bytes.subarray(at, at + (64 << 10));
      }
      const parse = parseRdb(chunks(), { streamBytes: announced });
      const lengths: number[] = [];
      await parse.visit((r) => void lengths.push(r.keyPrintable.length));
      expect(lengths).toEqual([2 * MB]);
      expect(parse.info.complete).toBe(true);
    }
  });
});
