/** Faults found by mutation fuzzing (test/hostile), pinned at the parser level. */
import { describe, expect, it } from 'vitest';
import { RdbWriter, TYPE, buildListpack } from '../support/rdb-writer.js';
import { parseBytes } from '../support/parse-bytes.js';
import { lzfCompress } from '../support/lzf-compress.js';
import { RdbError } from '../../src/core/errors.js';
import { parseRdb } from '../../src/rdb/index.js';
import { MAX_DBS_WITH_KEYS } from '../../src/rdb/parser.js';

describe('parser faults found by fuzzing', () => {
  it('keys in more databases than MAX_DBS_WITH_KEYS: a typed error at the first key past them, the keys before kept', async () => {
    const dumpWith = (dbs: number) => {
      const w = new RdbWriter({ version: 11 });
      // A db selected again (its second section) is no new database.
      w.selectDb(0).key(TYPE.STRING, 'first').string('v');
      for (let db = 0; db < dbs; db++) w.selectDb(db).key(TYPE.STRING, 'k').string('v');
      const at = w.length;
      w.selectDb(0).key(TYPE.STRING, 'again').string('v');
      return { bytes: w.finish(), at };
    };
    const full = await parseBytes(dumpWith(MAX_DBS_WITH_KEYS).bytes);
    expect(full.error).toBeNull();
    expect(full.info.keysPerDb.size).toBe(MAX_DBS_WITH_KEYS);
    expect(full.records).toHaveLength(MAX_DBS_WITH_KEYS + 2);
    const over = dumpWith(MAX_DBS_WITH_KEYS + 1);
    const cut = await parseBytes(over.bytes, { chunkSizes: [4096] });
    expect(cut.error?.code).toBe('TOO_MANY_DBS');
    expect(cut.error?.message).toContain(`db ${MAX_DBS_WITH_KEYS} is one more`);
    expect(cut.records).toHaveLength(MAX_DBS_WITH_KEYS + 1);
    expect(cut.records.at(-1)!.db).toBe(MAX_DBS_WITH_KEYS - 1);
    expect(cut.info.complete).toBe(false);
    expect(cut.error!.offset).toBeLessThan(over.at);
    expect(cut.error!.offset).toBeGreaterThan(cut.records.at(-1)!.offset);
  });

  it('a huge db number does not hang the per-db counters', async () => {
    const w = new RdbWriter({ version: 9 });
    w.selectDb(2 ** 31).key(TYPE.STRING, 'a').string('1').selectDb(2 ** 40).key(TYPE.STRING, 'b').string('2');
    const started = Date.now();
    const { records, info, error } = await parseBytes(w.finish());
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeNull();
    expect(records.map((r) => r.db)).toEqual([2 ** 31, 2 ** 40]);
    expect([...info.keysPerDb]).toEqual([[2 ** 31, 1], [2 ** 40, 1]]);
  });

  it('a key whose long value is cut off is not yielded (only keys before the fault)', async () => {
    const w = new RdbWriter({ version: 9 });
    w.key(TYPE.STRING, 'whole').string('x'.repeat(100));
    w.key(TYPE.STRING, 'cut').string('y'.repeat(5000));
    const bytes = w.finish();
    for (const cut of [bytes.length - 9 - 4000, bytes.length - 9 - 1]) {
      for (const sizes of [[cut], [7], [1000]]) {
        const { records, info, error } = await parseBytes(bytes.subarray(0, cut), { chunkSizes: sizes });
        expect(records.map((r) => r.keyPrintable), `cut ${cut} chunks ${sizes}`).toEqual(['whole']);
        expect(info.keys).toBe(1);
        expect(error?.code).toBe('UNEXPECTED_EOF');
      }
    }
  });

  it('an error inside an LZF-compressed blob names the compressed bytes in the file', async () => {
    const lp = buildListpack(Array.from({ length: 40 }, (_, i) => `element-${i % 4}`));
    lp[lp.length - 1] = 0x00; // no terminator: corrupt, found only after decompression
    const w = new RdbWriter({ version: 11 });
    w.key(TYPE.SET_LISTPACK, 'k');
    const at = w.length;
    w.string(lp, { encoding: 'lzf' });
    const bytes = w.finish();
    expect(lzfCompress(lp).length).toBeLessThan(lp.length);
    const { error } = await parseBytes(bytes);
    expect(error?.code).toBe('BAD_LISTPACK');
    expect(error!.offset!).toBeGreaterThanOrEqual(at);
    expect(error!.offset!).toBeLessThan(bytes.length);
    expect(error!.message).toMatch(/inside LZF-compressed data/);
  });

  it("a source's own failure (a stream error) is IO at the bytes that arrived, naming the key being read", async () => {
    const w = new RdbWriter({ version: 11 });
    w.key(TYPE.STRING, 'first').string('1');
    w.key(TYPE.SET, 'members').len(300);
    for (let i = 0; i < 300; i++) w.string(`member-${i}`);
    const bytes = w.finish();
    const delivered = bytes.length - 1000; // inside the set
    async function* source() {
      yield bytes.slice(0, 500);
      yield bytes.slice(500, delivered);
      throw new Error('socket hang up');
    }
    for (const read of ['batches', 'visit'] as const) {
      const parse = parseRdb(source(), { fileName: 'pipe' });
      const keys: string[] = [];
      let error: unknown = null;
      try {
        if (read === 'visit') await parse.visit((r) => void keys.push(r.keyPrintable));
        else for await (const b of parse.batches()) keys.push(...b.map((r) => r.keyPrintable));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RdbError);
      const err = error as RdbError;
      expect([err.code, err.offset, err.key, err.file], read).toEqual(['IO', delivered, 'members', 'pipe']);
      expect(err.message).toContain('socket hang up');
      expect(keys).toEqual(['first']);
      expect(parse.info.complete).toBe(false);
      expect(parse.info.error).toBe(err);
    }
  });
});
