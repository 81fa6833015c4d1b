/**
 * RdbParse.visit: every key handed to the visitor in one reused record must be exactly the key
 * batches() gives as its own record, in the same order, with the same file info and the same error
 * after the same keys; a visitor's own exception comes back unchanged.
 */
import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../src/core/record.js';
import { RdbError } from '../../src/core/errors.js';
import { parseRdb, type RdbFileInfo } from '../../src/rdb/index.js';
import { chunksOf, corpusFiles, fingerprint, fixtureFiles, parseBytes, rng } from '../hostile/helpers.js';

interface Visited {
  prints: string[];
  distinctRecords: number;
  info: RdbFileInfo;
  error: RdbError | null;
}

async function visitBytes(bytes: Uint8Array, sizes?: () => number): Promise<Visited> {
  const parse = parseRdb(chunksOf(bytes, sizes), { verifyChecksum: true });
  const prints: string[] = [];
  const seen = new Set<KeyRecord>();
  let error: RdbError | null = null;
  try {
    await parse.visit((rec) => {
      // Valid during the call only: take everything now.
      prints.push(fingerprint(rec));
      seen.add(rec);
    });
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    error = e;
  }
  return { prints, distinctRecords: seen.size, info: parse.info, error };
}

const infoOf = (i: RdbFileInfo) => ({
  keys: i.keys, keysPerDb: [...i.keysPerDb], keysPerType: [...i.keysPerType].sort(), checksum: i.checksum, complete: i.complete,
  bytesRead: i.bytesRead, trailingBytes: i.trailingBytes, aux: i.aux,
});

describe('RdbParse.visit', () => {
  const files = [...fixtureFiles(), ...corpusFiles(2_000_000)];

  it.each(files.map((f) => [f.name, f] as const))('%s: the same keys, fields and info as batches(), in one reused record', async (_name, file) => {
    const want = await parseBytes(file.bytes);
    const rand = rng(file.bytes.length);
    // Whole, then in small chunks (values continued across chunks, skips paid from later chunks).
    for (const sizes of [undefined, () => 1 + Math.floor(rand() * 700)]) {
      const got = await visitBytes(file.bytes, sizes);
      expect(got.prints).toEqual(want.records.map(fingerprint));
      expect(infoOf(got.info)).toEqual(infoOf(want.info));
      expect(got.error?.code ?? null).toBe(want.error?.code ?? null);
      if (got.prints.length > 1) expect(got.distinctRecords).toBe(1);
    }
  });

  it('cut dumps: the same keys, then the same error at the same offset', async () => {
    const file = fixtureFiles().find((f) => f.name === 'mixed-7.0.rdb')!;
    const rand = rng(5);
    for (let i = 0; i < 40; i++) {
      const cut = file.bytes.subarray(0, Math.floor(rand() * file.bytes.length));
      const want = await parseBytes(cut);
      const got = await visitBytes(cut, () => 1 + Math.floor(rand() * 4096));
      expect(got.prints).toEqual(want.records.map(fingerprint));
      expect([got.error?.code, got.error?.offset]).toEqual([want.error?.code, want.error?.offset]);
      expect(got.info.complete).toBe(false);
    }
  });

  it("rethrows the visitor's own exception unchanged and stops reading", async () => {
    const file = fixtureFiles().find((f) => f.name === 'mixed-7.0.rdb')!;
    const mine = new TypeError('consumer failed');
    let calls = 0;
    let closed = false;
    async function* source() {
      try {
        yield* chunksOf(file.bytes, () => 512);
      } finally {
        closed = true;
      }
    }
    const parse = parseRdb(source());
    await expect(parse.visit(() => {
      if (++calls === 10) throw mine;
    })).rejects.toBe(mine);
    expect(calls).toBe(10);
    expect(parse.info.complete).toBe(false);
    expect(closed).toBe(true);
  });
});
