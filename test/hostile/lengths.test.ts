/**
 * Hostile lengths: sizes and counts the input cannot back get a clear RdbError quickly, and no
 * allocation beyond what the input can contain (typed-array allocations are watched directly).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RdbWriter, TYPE, buildIntset, buildListpack, buildZiplist } from '../support/rdb-writer.js';
import { parseBytes, type ParseOutcome } from './helpers.js';

const OrigU8 = globalThis.Uint8Array;
const OrigAB = globalThis.ArrayBuffer;
let largest = 0;

/** Runs a parse while recording the largest Uint8Array / ArrayBuffer the process allocates. */
async function watched(bytes: Uint8Array, sizes?: () => number): Promise<{ got: ParseOutcome; ms: number; largest: number }> {
  largest = 0;
  class SpyU8 extends OrigU8 {
    constructor(...args: unknown[]) {
      if (typeof args[0] === 'number') largest = Math.max(largest, args[0]);
      super(...(args as [number]));
    }
  }
  class SpyAB extends OrigAB {
    constructor(n: number, ...rest: unknown[]) {
      largest = Math.max(largest, n);
      super(n, ...(rest as []));
    }
  }
  globalThis.Uint8Array = SpyU8 as typeof Uint8Array;
  globalThis.ArrayBuffer = SpyAB as typeof ArrayBuffer;
  const t0 = performance.now();
  try {
    const got = await parseBytes(bytes, { sizes });
    return { got, ms: performance.now() - t0, largest };
  } finally {
    globalThis.Uint8Array = OrigU8;
    globalThis.ArrayBuffer = OrigAB;
  }
}

afterEach(() => {
  globalThis.Uint8Array = OrigU8;
  globalThis.ArrayBuffer = OrigAB;
});

const v9 = (): RdbWriter => new RdbWriter({ version: 9 }).aux('redis-ver', '7.0.0').selectDb(0);
const u32le = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];

interface Case {
  name: string;
  bytes: () => Uint8Array;
  codes: string[];
}

const CASES: Case[] = [
  { name: 'a key claiming 2^40 bytes (64-bit length) with 3 bytes behind', bytes: () => v9().byte(TYPE.STRING).len(2 ** 40, 64).raw('abc').finish({ checksum: 'none' }).subarray(0, -1), codes: ['UNEXPECTED_EOF', 'BAD_LENGTH'] },
  { name: 'a string value claiming 2^40 bytes', bytes: () => v9().key(TYPE.STRING, 'k').len(2 ** 40, 64).raw('abc').finish(), codes: ['UNEXPECTED_EOF', 'BAD_LENGTH'] },
  { name: 'a string value claiming 2^32-1 bytes (32-bit form)', bytes: () => v9().key(TYPE.STRING, 'k').len(0xffffffff, 32).raw('abc').finish(), codes: ['UNEXPECTED_EOF', 'BAD_LENGTH'] },
  { name: 'a 64-bit length of 2^64-1', bytes: () => v9().key(TYPE.STRING, 'k').byte(0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff).raw('abc').finish(), codes: ['BAD_LENGTH'] },
  { name: 'a 64-bit length of 2^53+1', bytes: () => v9().key(TYPE.SET, 'k').len(2n ** 53n + 1n, 64).raw('abc').finish(), codes: ['BAD_LENGTH'] },
  { name: 'an LZF key claiming 1 GiB uncompressed from 4 bytes', bytes: () => v9().byte(TYPE.STRING).lzfString(OrigU8.of(0, 0x61, 0xe0, 0xff), 4, 2 ** 30).string('v').finish(), codes: ['BAD_LZF'] },
  { name: 'an LZF ziplist claiming 1 GiB', bytes: () => v9().key(TYPE.LIST_ZIPLIST, 'k').lzfString(OrigU8.of(0, 0x61, 0xe0, 0xff), 4, 2 ** 30).finish(), codes: ['BAD_LZF'] },
  { name: 'a set of 2^32 members with three bytes behind it', bytes: () => v9().key(TYPE.SET, 's').len(2 ** 32, 64).raw(OrigU8.of(1, 0x61, 1)).finish({ checksum: 'none' }).subarray(0, -1), codes: ['UNEXPECTED_EOF'] },
  { name: 'a list of 2^32-1 elements (32-bit form) then EOF', bytes: () => v9().key(TYPE.LIST, 'l').len(0xffffffff, 32).string('a').finish(), codes: ['UNEXPECTED_EOF', 'BAD_STRING', 'BAD_LENGTH'] },
  { name: 'a hash of 2^50 fields', bytes: () => v9().key(TYPE.HASH, 'h').len(2 ** 50, 64).string('f').string('v').finish(), codes: ['UNEXPECTED_EOF', 'BAD_STRING', 'BAD_LENGTH'] },
  { name: 'a quicklist of 2^40 nodes', bytes: () => v9().key(TYPE.LIST_QUICKLIST_2, 'q').len(2 ** 40, 64).len(2).string(buildListpack(['a'])).finish(), codes: ['UNEXPECTED_EOF', 'BAD_STRING', 'BAD_LENGTH', 'BAD_QUICKLIST'] },
  { name: 'a listpack whose header claims 4 GiB total bytes', bytes: () => { const lp = buildListpack(['a', 'b']); lp.set(u32le(0xffffffff), 0); return v9().key(TYPE.HASH_LISTPACK, 'h').string(lp).finish(); }, codes: ['BAD_LISTPACK'] },
  { name: 'a listpack whose header lies about its count', bytes: () => v9().key(TYPE.SET_LISTPACK, 's').string(buildListpack(['a', 'b'], { count: 60000 })).finish(), codes: ['BAD_LISTPACK'] },
  { name: 'a listpack entry running past its end', bytes: () => { const lp = buildListpack(['a'.repeat(30)]); lp[6] = 0xf0; lp.set(u32le(0x7fffffff), 7); return v9().key(TYPE.SET_LISTPACK, 's').string(lp).finish(); }, codes: ['BAD_LISTPACK'] },
  { name: 'a ziplist whose header lies about its count', bytes: () => v9().key(TYPE.LIST_ZIPLIST, 'l').string(buildZiplist(['a', 'b'], { count: 65000 })).finish(), codes: ['BAD_ZIPLIST'] },
  { name: 'a ziplist whose zlbytes claims 4 GiB', bytes: () => { const zl = buildZiplist(['a', 'b']); zl.set(u32le(0xffffffff), 0); return v9().key(TYPE.LIST_ZIPLIST, 'l').string(zl).finish(); }, codes: ['BAD_ZIPLIST'] },
  { name: 'a ziplist entry running past its end (str32 of 2 GiB)', bytes: () => { const zl = buildZiplist([{ str: 'x'.repeat(20), enc: 'str32' }]); zl.set([0x80, 0x7f, 0xff, 0xff, 0xff], 11); return v9().key(TYPE.LIST_ZIPLIST, 'l').string(zl).finish(); }, codes: ['BAD_ZIPLIST'] },
  { name: 'an intset claiming 2^32-1 members', bytes: () => v9().key(TYPE.SET_INTSET, 's').string(buildIntset(8, [1, 2], { count: 0xffffffff })).finish(), codes: ['BAD_INTSET'] },
  { name: 'a stream claiming 2^40 node listpacks', bytes: () => v9().key(TYPE.STREAM_LISTPACKS_2, 'x').len(2 ** 40, 64).raw(new OrigU8(16)).string(buildListpack([1])).finish(), codes: ['UNEXPECTED_EOF', 'BAD_STREAM', 'BAD_LISTPACK', 'BAD_STRING', 'BAD_LENGTH'] },
];

describe('hostile lengths', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const bytes = c.bytes();
      for (const sizes of [undefined, () => 3]) {
        const { got, ms, largest: maxAlloc } = await watched(bytes, sizes);
        expect(got.crash).toBeNull();
        expect(got.error, 'an RdbError').not.toBeNull();
        expect(c.codes).toContain(got.error!.code);
        expect(got.error!.offset).not.toBeNull();
        expect(got.error!.offset!).toBeLessThanOrEqual(bytes.length);
        expect(got.error!.message).not.toContain('\n');
        expect(ms).toBeLessThan(2000);
        // Nothing allocated beyond the parser's fixed read window (≈ 1 MiB) and what the input
        // could back (LZF expands at most ~100×; 300× is generous).
        expect(maxAlloc).toBeLessThan(2 * 1024 * 1024 + bytes.length * 300);
      }
    });
  }
});
