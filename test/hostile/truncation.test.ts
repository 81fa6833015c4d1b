/**
 * Truncation: a dump cut at any byte yields a prefix of the full dump's records (same records, same
 * order, field for field), then one RdbError naming an offset within what was read; never another
 * exception. Cut inside the 9-byte trailer → UNEXPECTED_EOF or CHECKSUM_MISMATCH with every key kept.
 * The same bytes fed in random chunk sizes give the identical outcome (resumable decoding).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RdbError } from '../../src/core/errors.js';
import { openInput } from '../../src/input/open-input.js';
import { parseRdb } from '../../src/rdb/index.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { corpusFiles, fingerprint, fixtureFiles, parseBytes, rng, type ParseOutcome, type SampleFile } from './helpers.js';

/** Every offset below this size; above it, an even spread plus random and structural offsets. */
const DENSE_BELOW = 4096;

function cutsFor(file: SampleFile, recordOffsets: number[], spread: number, seed: number): number[] {
  const n = file.bytes.length;
  const cuts = new Set<number>();
  if (n < DENSE_BELOW) {
    for (let c = 0; c <= n; c++) cuts.add(c);
  } else {
    for (let i = 0; i <= spread; i++) cuts.add(Math.round((i * n) / spread));
    const rand = rng(seed);
    for (let i = 0; i < spread / 5; i++) cuts.add(Math.floor(rand() * n));
    // Record boundaries and the bytes around them are where off-by-one faults hide.
    const step = Math.max(1, Math.floor(recordOffsets.length / 40));
    for (let i = 0; i < recordOffsets.length; i += step) {
      const o = recordOffsets[i]!;
      for (const d of [-1, 0, 1, 2]) if (o + d >= 0 && o + d <= n) cuts.add(o + d);
    }
    for (let c = Math.max(0, n - 12); c <= n; c++) cuts.add(c);
    for (let c = 0; c <= Math.min(n, 24); c++) cuts.add(c);
  }
  return [...cuts].sort((a, b) => a - b);
}

interface Full {
  outcome: ParseOutcome;
  prints: string[];
  /** Offset of the EOF opcode (where keys must all have been yielded). */
  eofAt: number;
  hasTrailer: boolean;
}

async function fullParse(file: SampleFile): Promise<Full> {
  const outcome = await parseBytes(file.bytes);
  expect(outcome.crash, `${file.name}: full parse crashed`).toBeNull();
  const status = outcome.info.checksum.status;
  const hasTrailer = outcome.error === null && (status === 'ok' || status === 'disabled');
  const eofAt = file.bytes.length - (hasTrailer ? 9 : 1);
  return { outcome, prints: outcome.records.map(fingerprint), eofAt, hasTrailer };
}

/** Checks one truncated parse against the full one; returns a failure description or null. */
function judge(file: SampleFile, full: Full, cut: number, got: ParseOutcome): string | null {
  const where = `${file.name} cut at ${cut}/${file.bytes.length}`;
  if (got.crash !== null) return `${where}: threw ${String((got.crash as Error)?.stack ?? got.crash)}`;
  const fullRecs = full.outcome.records;
  if (got.records.length > fullRecs.length) return `${where}: ${got.records.length} records, full file has ${fullRecs.length}`;
  // Records far before the cut were decoded from the same bytes as in the full parse: a cheap
  // identity check suffices there; the last ones (decoded near the cut) are compared field by field.
  const fullFrom = Math.max(0, got.records.length - 20);
  for (let i = 0; i < got.records.length; i++) {
    const a = got.records[i]!;
    const b = fullRecs[i]!;
    const same =
      i >= fullFrom
        ? fingerprint(a) === full.prints[i]
        : a.offset === b.offset && a.valueBytes === b.valueBytes && a.elements === b.elements && a.keyPrintable === b.keyPrintable;
    if (!same) return `${where}: record ${i} (${a.keyPrintable}) differs from the full parse`;
  }
  if (cut === file.bytes.length) {
    if (got.records.length !== fullRecs.length) return `${where}: whole file gave ${got.records.length} records`;
    return null;
  }
  if (got.error === null) {
    // Only a file whose full parse also failed may legitimately stop without a truncation error.
    return `${where}: parsed as complete (${got.records.length} records)`;
  }
  if (got.info.complete || got.info.error !== got.error) return `${where}: info.complete/error inconsistent with the thrown error`;
  if (got.error.offset === null || got.error.offset > cut) return `${where}: error offset ${got.error.offset} is not within the ${cut} bytes read (${got.error.message})`;
  // Every record that ended before the cut must have been yielded: record i ended no later than
  // where record i+1 (or the EOF opcode) starts.
  const bounds = fullRecs.map((_, i) => (i + 1 < fullRecs.length ? fullRecs[i + 1]!.offset : full.eofAt));
  let mustHave = 0;
  while (mustHave < bounds.length && bounds[mustHave]! <= cut && full.outcome.error === null) mustHave++;
  if (got.records.length < mustHave) return `${where}: only ${got.records.length} records, ${mustHave} ended before the cut`;
  if (full.hasTrailer && cut > full.eofAt) {
    if (got.error.code !== 'UNEXPECTED_EOF' && got.error.code !== 'CHECKSUM_MISMATCH') return `${where}: cut in the trailer gave ${got.error.code}`;
    if (got.records.length !== fullRecs.length) return `${where}: cut in the trailer lost records`;
  }
  return null;
}

function sameOutcome(a: ParseOutcome, b: ParseOutcome): string | null {
  if (a.crash !== null || b.crash !== null) return `crash: ${String(a.crash ?? b.crash)}`;
  if (a.records.length !== b.records.length) return `${a.records.length} vs ${b.records.length} records`;
  for (let i = 0; i < a.records.length; i++) if (fingerprint(a.records[i]!) !== fingerprint(b.records[i]!)) return `record ${i} differs`;
  if ((a.error?.code ?? null) !== (b.error?.code ?? null)) return `error ${a.error?.code} vs ${b.error?.code}`;
  if ((a.error?.offset ?? null) !== (b.error?.offset ?? null)) return `error offset ${a.error?.offset} vs ${b.error?.offset}`;
  if ((a.error?.key ?? null) !== (b.error?.key ?? null)) return `error key ${a.error?.key} vs ${b.error?.key}`;
  if (a.info.keys !== b.info.keys || a.info.aux.length !== b.info.aux.length) return 'info differs';
  if (JSON.stringify(a.info.checksum) !== JSON.stringify(b.info.checksum)) return 'checksum outcome differs';
  return null;
}

async function truncationSuite(file: SampleFile, spread: number, rechunkEvery: number): Promise<void> {
  const full = await fullParse(file);
  const cuts = cutsFor(file, full.outcome.records.map((r) => r.offset), spread, file.bytes.length);
  const failures: string[] = [];
  let previous = 0;
  const rand = rng(7 + file.bytes.length);
  for (let i = 0; i < cuts.length && failures.length < 5; i++) {
    const cut = cuts[i]!;
    const bytes = file.bytes.subarray(0, cut);
    const got = await parseBytes(bytes);
    const bad = judge(file, full, cut, got);
    if (bad) failures.push(bad);
    else if (got.records.length < previous) failures.push(`${file.name} cut at ${cut}: fewer records (${got.records.length}) than a shorter cut (${previous})`);
    previous = got.records.length;
    if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve)); // let the runner breathe
    if (i % rechunkEvery === 0) {
      const max = 1 + Math.floor(rand() * 64);
      const again = await parseBytes(bytes, { sizes: () => 1 + Math.floor(rand() * max) });
      const diff = sameOutcome(got, again);
      if (diff) failures.push(`${file.name} cut at ${cut}, chunks of 1..${max}: ${diff}`);
    }
  }
  expect(failures).toEqual([]);
}

describe('truncation of committed fixtures', () => {
  for (const file of fixtureFiles(300_000)) {
    it(`${file.name} (${file.bytes.length} bytes)`, async () => {
      await truncationSuite(file, file.bytes.length > 100_000 ? 250 : 500, 12);
    });
  }
});

const corpus = corpusFiles(120_000);
describe.skipIf(corpus.length === 0)('truncation of shared corpus files', () => {
  it.skipIf(corpus.length > 0)('corpus absent: skipped', () => {});
  for (const file of corpus) {
    it(`${file.name} (${file.bytes.length} bytes)`, async () => {
      await truncationSuite(file, 150, 12);
    });
  }
});

describe('whole files fed in tiny chunks decode identically', () => {
  const files = [...fixtureFiles(130_000), ...corpusFiles(60_000)];
  for (const file of files) {
    it(`${file.name}`, async () => {
      const whole = await parseBytes(file.bytes);
      const rand = rng(file.bytes.length);
      const ones = file.bytes.length <= 40_000 ? await parseBytes(file.bytes, { sizes: () => 1 }) : null;
      const mixed = await parseBytes(file.bytes, { sizes: () => 1 + Math.floor(rand() * (rand() < 0.5 ? 8 : 4096)) });
      if (ones) expect(sameOutcome(whole, ones)).toBeNull();
      expect(sameOutcome(whole, mixed)).toBeNull();
    });
  }
});

describe('truncated compressed inputs', () => {
  const plain = new Uint8Array(readFileSync(path.join(FIXTURES_DIR, 'mixed-7.0.rdb')));
  for (const ext of ['gz', 'lz4'] as const) {
    it(`mixed-7.0.rdb.${ext} cut at 150 offsets: prefix of the records, then BAD_COMPRESSION or UNEXPECTED_EOF`, async () => {
      const packed = new Uint8Array(readFileSync(path.join(FIXTURES_DIR, `mixed-7.0.rdb.${ext}`)));
      const full = await parseBytes(plain);
      const prints = full.records.map(fingerprint);
      const rand = rng(ext === 'gz' ? 1 : 2);
      const cuts = new Set<number>([0, 1, 2, 3, 4, 5, 10, 20, packed.length - 1, packed.length - 4, packed.length - 8]);
      while (cuts.size < 150) cuts.add(Math.floor(rand() * packed.length));
      const failures: string[] = [];
      for (const cut of [...cuts].sort((a, b) => a - b)) {
        const input = await openInput(Readable.from([Buffer.from(packed.subarray(0, cut))]), `cut-${cut}.${ext}`);
        const parse = parseRdb(input.chunks, { fileName: input.name });
        let n = 0;
        let err: unknown = null;
        try {
          for await (const rec of parse) {
            if (n >= prints.length || fingerprint(rec) !== prints[n]) failures.push(`cut ${cut}: record ${n} differs`);
            n++;
          }
        } catch (e) {
          err = e;
        }
        if (!(err instanceof RdbError)) failures.push(`cut ${cut}: ended with ${err === null ? 'success' : String((err as Error).stack ?? err)}`);
        else if (!['BAD_COMPRESSION', 'UNEXPECTED_EOF', 'NOT_RDB', 'CHECKSUM_MISMATCH'].includes(err.code)) failures.push(`cut ${cut}: ${err.code} ${err.message}`);
        else if (!err.message.includes(`cut-${cut}.${ext}`)) failures.push(`cut ${cut}: message does not name the file: ${err.message}`);
        // An LZ4 frame cut short names where the compressed input ends (the RDB offset is where its bytes stop).
        else if (ext === 'lz4' && err.code === 'BAD_COMPRESSION' && !err.message.includes(`at compressed byte ${cut}`)) failures.push(`cut ${cut}: ${err.message}`);
        if (err instanceof RdbError && err.offset === null) failures.push(`cut ${cut}: ${err.code} without an offset`);
      }
      expect(failures.slice(0, 5).join("\n")).toEqual("");
    });
  }
});
