import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { intsetSummary } from '../../src/rdb/intset.js';
import { RdbError } from '../../src/core/errors.js';
import { buildIntset } from '../support/rdb-writer.js';

const CORPUS = resolve(__dirname, '../../../shared/corpus');
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const sum = (b: Uint8Array) => intsetSummary(b, 0, b.length, 0);

function bad(f: () => unknown, offset?: number): RdbError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RdbError);
    expect((e as RdbError).code).toBe('BAD_INTSET');
    if (offset !== undefined) expect((e as RdbError).offset).toBe(offset);
    return e as RdbError;
  }
  throw new Error('expected BAD_INTSET');
}

describe('intsetSummary (rdb-format.md §5.3)', () => {
  it('A3: 32-bit intset 1..5, 1234567890', () => {
    const b = hex('04000000 06000000 01000000 02000000 03000000 04000000 05000000 D2029649');
    expect(sum(b)).toEqual({ width: 4, count: 6, largest: 10 });
  });

  it('16, 32 and 64-bit widths; largest = longest decimal text (negatives count the sign)', () => {
    expect(sum(buildIntset(2, [-32768, 0, 32767]))).toEqual({ width: 2, count: 3, largest: 6 });
    expect(sum(buildIntset(2, [-5, 7]))).toEqual({ width: 2, count: 2, largest: 2 });
    expect(sum(buildIntset(4, [-2147483648, 2147483647]))).toEqual({ width: 4, count: 2, largest: 11 });
    expect(sum(buildIntset(8, [-9223372036854775808n, 9223372036854775807n]))).toEqual({ width: 8, count: 2, largest: 20 });
    expect(sum(buildIntset(8, [1n, 9223372036854775807n]))).toEqual({ width: 8, count: 2, largest: 19 });
    expect(sum(buildIntset(8, [-999999999999999999n, 5n]))).toEqual({ width: 8, count: 2, largest: 19 });
    expect(sum(buildIntset(8, [3n]))).toEqual({ width: 8, count: 1, largest: 1 }); // width never shrinks
  });

  it('ascending order uses signed 64-bit comparison (high word signed, low word unsigned)', () => {
    expect(sum(buildIntset(8, [-1n, 0n, 0xffffffffn, 0x100000000n]))).toEqual({ width: 8, count: 4, largest: 10 });
    bad(() => sum(buildIntset(8, [0x100000000n, 0xffffffffn])), 16);
    bad(() => sum(buildIntset(8, [0n, -1n])), 16);
    bad(() => sum(buildIntset(8, [7n, 7n])), 16);
  });

  it('rejects values that are not strictly ascending (16/32-bit)', () => {
    bad(() => sum(buildIntset(2, [1, 3, 2])), 12);
    bad(() => sum(buildIntset(2, [-1, -1])), 10);
    bad(() => sum(buildIntset(4, [5, -5])), 12);
  });

  it('rejects wrong byte lengths, unknown widths, empty sets, short headers', () => {
    const b = buildIntset(4, [1, 2, 3]);
    bad(() => intsetSummary(b, 0, b.length - 1, 0));
    bad(() => intsetSummary(buildIntset(4, [1, 2, 3], { count: 4 }), 0, b.length, 0));
    bad(() => intsetSummary(buildIntset(4, [1, 2, 3], { count: 2 }), 0, b.length, 0));
    bad(() => sum(buildIntset(4, [1, 2, 3], { count: 0x40000000 })));
    const w3 = b.slice();
    w3[0] = 3;
    bad(() => sum(w3), 0);
    bad(() => sum(buildIntset(2, [])), 4);
    bad(() => intsetSummary(b, 0, 7, 0));
  });

  it('reports absolute offsets inside a larger buffer', () => {
    const inner = buildIntset(2, [1, 0]);
    const buf = new Uint8Array(inner.length + 6);
    buf.set(inner, 3);
    bad(() => intsetSummary(buf, 3, 3 + inner.length, 100), 110);
  });
});

describe('intsetSummary on real blobs', () => {
  /** Key `name` of type 11 followed by a 6-bit raw length (these files are uncompressed). */
  const blobAfter = (file: Uint8Array, name: string): [number, number] => {
    const marker = Buffer.from([0x0b, name.length, ...Buffer.from(name)]);
    const at = Buffer.from(file).indexOf(marker);
    expect(at, name).toBeGreaterThan(0);
    const p = at + marker.length;
    expect(file[p]! >> 6).toBe(0);
    return [p + 1, p + 1 + file[p]!];
  };

  for (const [file, width, values] of [
    ['intset_16', 2, ['32764', '32765', '32766']],
    ['intset_32', 4, ['2147418108', '2147418109', '2147418110']],
    ['intset_64', 8, ['9223090557583032316', '9223090557583032317', '9223090557583032318']],
  ] as const) {
    const f = resolve(CORPUS, `hdt3213-rdb/${file}.rdb`);
    it.skipIf(!existsSync(f))(`hdt3213-rdb/${file}.rdb (MANIFEST: ${values.join(', ')})`, () => {
      const bytes = new Uint8Array(readFileSync(f));
      const [s, e] = blobAfter(bytes, file);
      expect(intsetSummary(bytes, s, e, s)).toEqual({ width, count: 3, largest: Math.max(...values.map((v) => v.length)) });
    });
  }

  const enc = resolve(CORPUS, 'redis/encodings.rdb');
  it.skipIf(!existsSync(enc))('redis/encodings.rdb set_zipped_1/2/3 are 16/32/64-bit intsets', () => {
    const bytes = new Uint8Array(readFileSync(enc));
    const widths = ['set_zipped_1', 'set_zipped_2', 'set_zipped_3'].map((k) => {
      const [s, e] = blobAfter(bytes, k);
      return intsetSummary(bytes, s, e, s).width;
    });
    expect(widths).toEqual([2, 4, 8]);
  });
});
