import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZipmapCursor, zipmapSummary } from '../../src/rdb/zipmap.js';
import { RdbError } from '../../src/core/errors.js';
import { buildZipmap } from '../support/rdb-writer.js';

const CORPUS = resolve(__dirname, '../../../shared/corpus');
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const latin1 = (b: Uint8Array, s: number, n: number): string => Buffer.from(b.subarray(s, s + n)).toString('latin1');

function pairs(buf: Uint8Array, start = 0, end = buf.length, offset = 0): [string, string][] {
  const c = new ZipmapCursor(buf, start, end, offset);
  const out: [string, string][] = [];
  while (c.next()) out.push([latin1(buf, c.keyStart, c.keyLen), latin1(buf, c.valStart, c.valLen)]);
  expect(c.next()).toBe(false);
  return out;
}

function bad(f: () => unknown, offset?: number): RdbError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RdbError);
    expect((e as RdbError).code).toBe('BAD_ZIPMAP');
    if (offset !== undefined) expect((e as RdbError).offset).toBe(offset);
    return e as RdbError;
  }
  throw new Error('expected BAD_ZIPMAP');
}

describe('ZipmapCursor (rdb-format.md §5.4)', () => {
  it('reads pairs, skipping free padding after values', () => {
    // zmlen 2; "foo" → "bar" with 2 free bytes; "k" → "" with 0 free
    const b = hex('02 03666f6f 0302626172eeee 016b 0000 ff');
    expect(pairs(b)).toEqual([['foo', 'bar'], ['k', '']]);
    expect(zipmapSummary(b, 0, b.length, 0)).toEqual({ pairs: 2, largest: 3 });
    expect(pairs(buildZipmap([['a', 'bb'], ['cc', 'd']], { free: [4, 1] }))).toEqual([['a', 'bb'], ['cc', 'd']]);
  });

  it('254-byte escape: lengths >= 254 are 254 + u32 LE, for keys and values', () => {
    const k = 'k'.repeat(254);
    const v = 'v'.repeat(70000);
    const b = buildZipmap([[k, v], ['x', 'y'.repeat(253)]], { free: 3 });
    expect(b[1]).toBe(254);
    expect(pairs(b)).toEqual([[k, v], ['x', 'y'.repeat(253)]]);
    expect(zipmapSummary(b, 0, b.length, 0)).toEqual({ pairs: 2, largest: 70000 });
    // 254-escape also legal for small lengths
    expect(pairs(hex('01 fe01000000 61 fe02000000 00 6263 ff'))).toEqual([['a', 'bc']]);
  });

  it('zmlen 254 = unknown: any number of pairs; below 254 it must match', () => {
    const many: [string, string][] = Array.from({ length: 300 }, (_, i) => [`f${i}`, `${i}`]);
    const b = buildZipmap(many);
    expect(b[0]).toBe(254);
    expect(new ZipmapCursor(b, 0, b.length, 0).headerCount).toBe(254);
    expect(zipmapSummary(b, 0, b.length, 0).pairs).toBe(300);
    expect(pairs(buildZipmap([['a', 'b']], { count: 254 }))).toEqual([['a', 'b']]);
    expect(pairs(buildZipmap([['a', 'b']], { count: 255 }))).toEqual([['a', 'b']]); // ≥ 254 also unknown
    bad(() => pairs(buildZipmap([['a', 'b']], { count: 2 })), 0);
    bad(() => pairs(buildZipmap([['a', 'b'], ['c', 'd']], { count: 1 })));
    const exact = Array.from({ length: 253 }, (_, i): [string, string] => [`f${i}`, 'v']);
    const zm = buildZipmap(exact);
    expect(zm[0]).toBe(253);
    expect(zipmapSummary(zm, 0, zm.length, 0).pairs).toBe(253);
  });

  it('empty zipmap: 0 pairs (Redis refuses it; the caller reports the empty key)', () => {
    expect(pairs(hex('00ff'))).toEqual([]);
  });

  it('rejects missing terminator, terminator in the middle, and pairs past the end', () => {
    bad(() => new ZipmapCursor(hex('0101610162'), 0, 5, 0), 4);
    bad(() => new ZipmapCursor(hex('ff'), 0, 1, 0));
    bad(() => pairs(hex('01 0161 00 00 ff 00 ff')), 5);
    bad(() => pairs(hex('01 05616263 ff'))); // key of 5 with 3 bytes
    bad(() => pairs(hex('01 0161 05 00 6263 ff'))); // value of 5
    bad(() => pairs(hex('01 0161 01 09 62 ff'))); // free bytes past the end
    bad(() => pairs(hex('01 fe0100 ff'))); // key length cut off
    bad(() => pairs(hex('01 0161 fe01 ff'))); // value length cut off
    bad(() => pairs(hex('01 0161 ff')), 1); // no room for the value length
    bad(() => pairs(hex('01 0161 ff 00 62 ff')), 3);
  });

  it('reports absolute offsets inside a larger buffer', () => {
    const inner = hex('01 05616263 ff');
    const buf = new Uint8Array(inner.length + 4);
    buf.set(inner, 2);
    bad(() => pairs(buf, 2, 2 + inner.length, 40), 41);
  });
});

describe('ZipmapCursor on real blobs', () => {
  const blobAfter = (file: Uint8Array, name: string): [number, number] => {
    const marker = Buffer.from([0x09, name.length, ...Buffer.from(name)]);
    const at = Buffer.from(file).indexOf(marker);
    expect(at, name).toBeGreaterThan(0);
    const p = at + marker.length;
    expect(file[p]! >> 6).toBe(0);
    return [p + 1, p + 1 + file[p]!];
  };

  const hz = resolve(CORPUS, 'redis/hash-zipmap.rdb');
  it.skipIf(!existsSync(hz))('redis/hash-zipmap.rdb = {f1:v1, f2:v2}', () => {
    const b = new Uint8Array(readFileSync(hz));
    const [s, e] = blobAfter(b, 'hash');
    expect(pairs(b, s, e, s)).toEqual([['f1', 'v1'], ['f2', 'v2']]);
  });

  const pf = resolve(CORPUS, 'hdt3213-rdb/parser_filters.rdb');
  it.skipIf(!existsSync(pf))('hdt3213-rdb/parser_filters.rdb zipmaps h2 and h3', () => {
    const b = new Uint8Array(readFileSync(pf));
    let [s, e] = blobAfter(b, 'h2');
    expect(pairs(b, s, e, s)).toEqual([['a', '101010']]);
    [s, e] = blobAfter(b, 'h3');
    expect(pairs(b, s, e, s)).toEqual([['b', 'b2'], ['c', 'c2'], ['d', 'd']]);
  });

  const ce = resolve(CORPUS, 'redis/corrupt_empty_keys.hist-c28c6501.rdb');
  it.skipIf(!existsSync(ce))('redis/corrupt_empty_keys (PR revision): the empty hash_zipmap has 0 pairs', () => {
    const b = new Uint8Array(readFileSync(ce));
    const [s, e] = blobAfter(b, 'hash_zipmap');
    expect(zipmapSummary(b, s, e, s)).toEqual({ pairs: 0, largest: 0 });
  });
});
