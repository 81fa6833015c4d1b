/**
 * Redis 8.6 key metadata (KEY_META, opcode 243) on the real dump written with the test_keymeta
 * module loaded: every class saved to the RDB is reported on its key, with its version and first
 * value, and classes without an RDB save callback (in_rdb = no) are absent — per the .keymeta.tsv
 * the generator recorded from the server.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, corpusPresent, hex, parseDump } from '../support/corpus.js';

const dump = path.join(CORPUS_DIR, 'modern', 'redis-8.6.3-keymeta.rdb');
const tsv = path.join(CORPUS_DIR, 'modern', 'redis-8.6.3-keymeta.keymeta.tsv');

describe.skipIf(!corpusPresent('modern'))('KEY_META on redis-8.6.3-keymeta.rdb', () => {
  it('agrees with .keymeta.tsv on classes, versions and values of every key', async () => {
    const rows = readFileSync(tsv, 'utf8').trimEnd().split('\n').slice(1).map((l) => l.split('\t'));
    const expected = new Map<string, string[]>();
    for (const [db, keyHex, cls, ver, value, inRdb] of rows) {
      if (inRdb !== 'yes') continue;
      const id = `${db}:${keyHex}`;
      expected.set(id, [...(expected.get(id) ?? []), `${cls} v${ver} ${value}`].sort());
    }
    const { records, error } = await parseDump(dump);
    expect(error).toBeNull();
    const got = new Map<string, string[]>();
    for (const r of records) {
      if (!r.keyMeta) continue;
      got.set(`${r.db}:${hex(r.key)}`, r.keyMeta.classes.map((c) => `${c.name} v${c.version} ${c.firstString}`).sort());
    }
    expect(got.size).toBe(173);
    expect(got).toEqual(expected);
  });
});
