/**
 * Opcode records without a length bound (MODULE_AUX items, Valkey SLOT_IMPORT ranges, a KEY_META
 * class's items: rdb-format.md §3.1, §3.3, §8.2) are read one item at a time, as values are. Read
 * as one unit, the read window grew to the record's size and the record was re-read from its start
 * on every chunk: `info` of a 100 MB MODULE_AUX took 78 s and 247 MB (now 3 s, 77 MB), a 100 MB
 * SLOT_IMPORT 26 s.
 */
import { describe, expect, it } from 'vitest';
import { parseRdb } from '../../src/rdb/index.js';
import { RdbError } from '../../src/core/errors.js';
import { largestAllocation, OriginalUint8Array } from '../support/allocation-spy.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';

const OrigU8 = OriginalUint8Array;
const MB = 1024 * 1024;

/** `n` module UINT items (opcode 2, value 5: §8.2), 2 bytes each. */
const uintItems = (n: number): Uint8Array => {
  const b = new OrigU8(2 * n);
  for (let i = 0; i < b.length; i += 2) b.set([2, 5], i);
  return b;
};

async function parseInChunks(bytes: Uint8Array, chunk = 64 << 10) {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < bytes.length; at += chunk) yield bytes.slice(at, at + chunk);
  }
  const { result, largest } = await largestAllocation(async () => {
    const parse = parseRdb(chunks(), { fileName: 'd.rdb' });
    const keys: { key: string; meta: string | null }[] = [];
    let error: RdbError | null = null;
    try {
      await parse.visit((r) => void keys.push({ key: r.keyPrintable, meta: r.keyMeta ? JSON.stringify(r.keyMeta.classes) : null }));
    } catch (e) {
      error = e as RdbError;
    }
    return { keys, error, info: parse.info };
  });
  return { ...result, largest };
}

describe('long opcode records are read item by item', () => {
  it('MODULE_AUX of 8 MiB of items: recorded with its size, the key after it read, no window of its size', async () => {
    const items = uintItems(4 * MB);
    // Module id 1 (name AAAAAAAAA, encver 1), when-opcode 2, when 2, items, EOF item 0.
    const bytes = new RdbWriter({ version: 11 }).byte(247).len(1n, 64).len(2).len(2).raw(items).len(0).selectDb(0).key(TYPE.STRING, 'k').string('v').finish();
    const got = await parseInChunks(bytes);
    expect(got.error).toBeNull();
    expect(got.info.moduleAux).toEqual([{ module: 'AAAAAAAAA', encver: 1, when: 2, bytes: items.length + 1 }]);
    expect(got.keys.map((k) => k.key)).toEqual(['k']);
    expect(got.largest).toBeLessThan(4 * MB);
  });

  it('MODULE_AUX cut inside its items: UNEXPECTED_EOF at the end, nothing recorded', async () => {
    const bytes = new RdbWriter({ version: 11 }).byte(247).len(1n, 64).len(2).len(2).raw(uintItems(MB)).finish({ checksum: 'none' });
    const cut = bytes.subarray(0, bytes.length - 100);
    const got = await parseInChunks(cut);
    expect(got.error?.code).toBe('UNEXPECTED_EOF');
    expect(got.error?.offset).toBe(cut.length);
    expect(got.info.moduleAux).toEqual([]);
  });

  it('Valkey SLOT_IMPORT of 4 M ranges: counted, the key after it read, no window of its size', async () => {
    const ranges = new OrigU8(8 * MB).fill(1);
    const bytes = new RdbWriter({ magic: 'VALKEY', version: 80 })
      .byte(243).string('a'.repeat(40)).len(4 * MB, 32).raw(ranges)
      .selectDb(0).key(TYPE.STRING, 'k').string('v').finish();
    const got = await parseInChunks(bytes);
    expect(got.error).toBeNull();
    expect(got.info.slotImports).toBe(1);
    expect(got.keys.map((k) => k.key)).toEqual(['k']);
    expect(got.largest).toBeLessThan(4 * MB);
  });

  it('KEY_META with a class of 8 MiB of items, then one short class: both apply to the next key only', async () => {
    const spec = (name: string, version: number, flags: number): Uint8Array => {
      const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
      let v = 0;
      for (const c of name) v = v * 64 + A.indexOf(c);
      const u = ((v << 8) | (version << 3) | flags) >>> 0;
      return OrigU8.of(u & 0xff, (u >>> 8) & 0xff, (u >>> 16) & 0xff, u >>> 24);
    };
    const bytes = new RdbWriter({ version: 13 }).selectDb(0)
      .byte(243).len(2)
      .raw(spec('KMT1', 1, 1)).len(5).string('first').raw(uintItems(4 * MB)).len(5).string('second').len(0)
      .raw(spec('KMT2', 2, 0)).len(0)
      .key(TYPE.STRING, 'k').string('v')
      .key(TYPE.STRING, 'plain').string('v')
      .finish();
    const got = await parseInChunks(bytes);
    expect(got.error).toBeNull();
    expect(got.keys).toEqual([
      { key: 'k', meta: JSON.stringify([{ name: 'KMT1', version: 1, flags: 1, firstString: 'first' }, { name: 'KMT2', version: 2, flags: 0, firstString: null }]) },
      { key: 'plain', meta: null },
    ]);
    expect(got.largest).toBeLessThan(4 * MB);
  });
});
