/**
 * The parser must give identical records and file info whatever the chunking of its input: every
 * read can hit a chunk boundary, and resuming (rdb/byte-reader.ts) must neither lose nor repeat
 * bytes, including inside skipped payloads and across the CRC trailer.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SizeHistogram } from '../../src/core/size-histogram.js';
import { CORPUS_DIR, FIXTURES_DIR, corpusPresent } from '../support/corpus.js';
import { parseBytes } from '../support/parse-bytes.js';

function snapshot(p: Awaited<ReturnType<typeof parseBytes>>): string {
  return JSON.stringify({ records: p.records, info: p.info, error: p.error?.message ?? null }, (_k, v: unknown) => {
    if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
    if (v instanceof Map) return [...v].sort(); // map order is not part of the contract
    if (v instanceof SizeHistogram) return v.toJSON();
    return v;
  });
}

const files = readdirSync(FIXTURES_DIR).filter((f) => f.endsWith('.rdb')).map((f) => path.join(FIXTURES_DIR, f));
if (corpusPresent()) {
  for (const f of ['redis/encodings.rdb', 'hdt3213-rdb/quicklist.rdb', 'hdt3213-rdb/stream_listpacks_1.rdb', 'modern/redis-8.8.0-mixed.rdb', 'modern/valkey-9.0.4-mixed.rdb']) {
    files.push(path.join(CORPUS_DIR, f));
  }
}

describe('chunk boundaries', () => {
  for (const file of files) {
    it(`${path.basename(file)}: same records for 1-byte, odd-sized and large chunks`, async () => {
      const bytes = new Uint8Array(readFileSync(file));
      const whole = await parseBytes(bytes);
      expect(whole.records.length).toBeGreaterThan(0);
      const expected = snapshot(whole);
      // 1-byte chunks are slow on large files: use them on the small ones only.
      const plans = bytes.length < 300_000 ? [[1], [7, 3, 1, 250, 4093], [65536]] : [[13, 1, 997, 5], [65536]];
      for (const sizes of plans) expect(snapshot(await parseBytes(bytes, { chunkSizes: sizes })), `chunks ${sizes}`).toBe(expected);
    });
  }
});
