/**
 * The byte writer of `keys` lines must give exactly the text of the string code it replaced
 * (test/support/keys-reference.ts: JSON.stringify / csv-stringify / rdbtoolsCsvRow of the same
 * records), on every fixture and corpus dump, whole and in small input chunks, and on records made
 * to hit every escaping and number rule.
 */
import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../src/core/record.js';
import { parseRdb } from '../../src/rdb/index.js';
import { compactLimitsOf, DEFAULT_ENCODING_CONFIG, estimatorFor, profileFromAux } from '../../src/memory/index.js';
import { ByteLines } from '../../src/output/byte-lines.js';
import { keyLineWriter, KEY_LINE_FORMATS, type KeyLineFormat } from '../../src/output/key-lines.js';
import { pythonIsoformat } from '../../src/output/rdbtools-csv.js';
import { chunksOf, corpusFiles, fixtureFiles, rng } from '../hostile/helpers.js';
import { rec } from '../support/records.js';
import { referenceHeader, referenceLines } from '../support/keys-reference.js';

/**
 * What the writer makes of these records (header first), as one string of its bytes. `reuse`: the
 * consumer copies each chunk and gives its buffer back to be filled again (as stdout written
 * synchronously does).
 */
function written(format: KeyLineFormat, recs: readonly KeyRecord[], bufferBytes = 1 << 16, reuse = false): Buffer {
  const chunks: Buffer[] = [];
  const out = new ByteLines((c) => (reuse ? (chunks.push(Buffer.from(c)), true) : (chunks.push(c), false)), bufferBytes);
  const w = keyLineWriter(format);
  w.header(out);
  for (const r of recs) w.line(out, r);
  out.flush();
  return Buffer.concat(chunks);
}

const reference = (format: KeyLineFormat, recs: readonly KeyRecord[]) => Buffer.from(referenceHeader(format) + referenceLines(format, recs), 'utf8');

/** Lines of a dump as `keys` writes them: records handed over by visit(), estimated, written at once. */
async function visitedLines(bytes: Uint8Array, format: KeyLineFormat, sizes?: () => number): Promise<Buffer> {
  const parse = parseRdb(chunksOf(bytes, sizes), { verifyChecksum: true, compactLimits: compactLimitsOf(DEFAULT_ENCODING_CONFIG) });
  const chunks: Buffer[] = [];
  const out = new ByteLines((c) => void chunks.push(c), 4096);
  const w = keyLineWriter(format);
  w.header(out);
  let estimate: ((r: KeyRecord) => KeyRecord['memory']) | null = null;
  try {
    await parse.visit((r) => {
      estimate ??= estimatorFor(profileFromAux(parse.info.aux), DEFAULT_ENCODING_CONFIG);
      r.memory = estimate(r);
      w.line(out, r);
    });
  } catch {
    // a bad dump: the keys read before the fault, like the reference
  }
  out.flush();
  return Buffer.concat(chunks);
}

/** The reference: records of batches() (each its own object), estimated, formatted as strings. */
async function referenceOfDump(bytes: Uint8Array, format: KeyLineFormat): Promise<Buffer> {
  const parse = parseRdb(chunksOf(bytes), { verifyChecksum: true, compactLimits: compactLimitsOf(DEFAULT_ENCODING_CONFIG) });
  const recs: KeyRecord[] = [];
  try {
    for await (const batch of parse.batches()) recs.push(...batch);
  } catch {
    // as above
  }
  const estimate = estimatorFor(profileFromAux(parse.info.aux), DEFAULT_ENCODING_CONFIG);
  for (const r of recs) r.memory = estimate(r);
  return reference(format, recs);
}

describe('keys lines: the same bytes as the string writers', () => {
  const files = [...fixtureFiles(), ...corpusFiles(Infinity, ['redis', 'hdt3213-rdb', 'modern'])];

  it.each(files.map((f) => [f.name, f] as const))('%s', async (_name, file) => {
    const rand = rng(file.bytes.length);
    for (const format of KEY_LINE_FORMATS) {
      const want = await referenceOfDump(file.bytes, format);
      expect((await visitedLines(file.bytes, format)).equals(want), `${format}, whole`).toBe(true);
      // Keys moved out of the read window (values continued in a later chunk) are written alike.
      if (file.bytes.length < 400_000) expect((await visitedLines(file.bytes, format, () => 1 + Math.floor(rand() * 300))).equals(want), `${format}, chunked`).toBe(true);
    }
  });

  it('every escaping, quoting, formula and number rule', () => {
    const keys: (string | Uint8Array)[] = [
      'plain', 'a,b', 'say "hi"', 'line1\nline2', 'cr\r\nlf', 'tab\there', 'back\\slash', '=SUM(A1)', '+1', '-2', '@cmd', '\tlead',
      'ünï©ødé', '', ',', '"', '=', "'quoted'", 'key with space', '\u2028sep', '😀',
      Uint8Array.of(0xff, 0x00, 0x41), Uint8Array.of(0xc3), Uint8Array.of(0x7f), Uint8Array.of(0x2d, 0x2c), 'x'.repeat(5000), '='.repeat(70),
    ];
    const numbers = [0, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 1e8, 1e8 - 1, 1e8 + 1, 1_700_000_000_123, 2 ** 53 - 1, 2 ** 53 + 2, -1, -0, 1.5, NaN, Infinity, 1e21, 123456789012345680000];
    const recs: KeyRecord[] = [];
    keys.forEach((k, i) => {
      const n = numbers[i % numbers.length]!;
      recs.push(rec(k, {
        db: i % 20,
        elements: n,
        valueBytes: numbers[(i + 3) % numbers.length]!,
        largestElementBytes: numbers[(i + 7) % numbers.length]!,
        expireAtMs: i % 3 === 0 ? null : numbers[(i + 11) % numbers.length]!,
        idleSeconds: i % 4 === 1 ? n : null,
        lfuFreq: i % 5 === 2 ? 7 : null,
        type: i % 6 === 0 ? 'zset' : i % 6 === 1 ? 'vectorset' : i % 6 === 2 ? '-odd,type' : 'string',
        rdbType: i % 6 === 0 ? 'zset-listpack' : i % 6 === 1 ? 'module' : 'string',
        memory: i % 7 === 3 ? undefined : { encoding: i % 2 ? '=enc"x' : 'embstr', bytes: numbers[(i + 5) % numbers.length]!, exact: true },
        fieldsWithTtl: i % 8 === 4 ? 3 : undefined,
        stream: i % 9 === 5 ? ({ groups: 2, pending: 2 ** 40 } as KeyRecord['stream']) : undefined,
      }));
    });
    for (const format of KEY_LINE_FORMATS) {
      const want = reference(format, recs).toString('utf8');
      // A small buffer: lines longer than it, and flushes in the middle of every few lines.
      for (const size of [64, 1 << 16]) expect(written(format, recs, size).toString('utf8'), `${format}, buffer ${size}`).toBe(want);
    }
  });

  it('random keys and numbers', () => {
    const rand = rng(16);
    const recs: KeyRecord[] = [];
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(rand() * 12);
      const bytes = Uint8Array.from({ length: len }, () => (rand() < 0.8 ? 0x20 + Math.floor(rand() * 95) : Math.floor(rand() * 256)));
      const num = () => (rand() < 0.5 ? Math.floor(rand() * 1000) : Math.floor(rand() * 2 ** (Math.floor(rand() * 60))));
      recs.push(rec(bytes, { db: Math.floor(rand() * 30), elements: num(), valueBytes: num(), largestElementBytes: num(), expireAtMs: rand() < 0.3 ? num() : null,
        memory: { encoding: 'raw', bytes: num(), exact: true } }));
    }
    for (const format of KEY_LINE_FORMATS) expect(written(format, recs, 200).toString('utf8')).toBe(reference(format, recs).toString('utf8'));
  });

  it('runs of alike keys, each line changing one value of the last (a repeated middle is copied, not rewritten)', () => {
    const base: Partial<KeyRecord> = { elements: 8, valueBytes: 9, largestElementBytes: 8, memory: { encoding: 'embstr', bytes: 72, exact: true } };
    const changes: Partial<KeyRecord>[] = [
      {}, {}, { db: 3 }, { expireAtMs: 1_797_105_459_507 }, { expireAtMs: 5 }, { elements: 9 }, { valueBytes: 10 }, { largestElementBytes: 7 },
      { memory: { encoding: 'embstr', bytes: 80, exact: true } }, { memory: { encoding: 'raw', bytes: 72, exact: true } }, { memory: undefined },
      { memory: { encoding: 'embstr', bytes: -1, exact: true } }, { rdbType: 'list', type: 'list', elements: 0, memory: undefined }, { type: 'list', rdbType: 'list', elements: 0 },
      { idleSeconds: 4 }, { lfuFreq: 1 }, { fieldsWithTtl: 2 }, { stream: { groups: 1, pending: 3 } as KeyRecord['stream'] }, { elements: -0 }, { elements: NaN },
    ];
    const recs: KeyRecord[] = [];
    for (let i = 0; i < 600; i++) {
      // Runs of 1 to 5 alike keys, then one value changed.
      const change = i % 7 < 4 ? {} : changes[i % changes.length]!;
      recs.push(rec(`key:${1_000_000 + i}`, { ...base, ...change }));
    }
    for (const format of KEY_LINE_FORMATS) {
      const want = reference(format, recs).toString('utf8');
      // Flushes between a line and the next of its run (the middle is then written again), into
      // new buffers or into the same one given back.
      for (const size of [300, 1000, 1 << 16]) {
        expect(written(format, recs, size).toString('utf8'), `${format}, buffer ${size}`).toBe(want);
        expect(written(format, recs, size, true).toString('utf8'), `${format}, buffer ${size} given back`).toBe(want);
      }
    }
  });

  it('two writers of one format side by side (a run in one is not a run in the other)', () => {
    const a = Array.from({ length: 50 }, (_, i) => rec(`a:${i}`, { elements: 8, valueBytes: 9, memory: { encoding: 'embstr', bytes: 72, exact: true } }));
    const b = Array.from({ length: 50 }, (_, i) => rec(`b:${i}`, { elements: 8, valueBytes: 9, memory: { encoding: 'embstr', bytes: 72, exact: true } }));
    for (const format of KEY_LINE_FORMATS) {
      const w = keyLineWriter(format);
      const got: Buffer[][] = [[], []];
      // Fresh writers whose buffers hold nothing yet where the other wrote its last middle.
      const outs = [0, 1].map((j) => new ByteLines((c) => void got[j]!.push(c), 1 << 16));
      a.forEach((r, i) => {
        w.line(outs[0]!, r);
        w.line(outs[1]!, b[i]!);
      });
      outs.forEach((o) => o.flush());
      expect(Buffer.concat(got[0]!).toString('utf8')).toBe(referenceLines(format, a));
      expect(Buffer.concat(got[1]!).toString('utf8')).toBe(referenceLines(format, b));
    }
  });

  it('rdbtools-csv expiry outside Python datetime\'s years 1-9999 is its number of ms, not a malformed date', () => {
    const cases: [number, string][] = [
      [-62_135_596_800_001, '-62135596800001'],
      [-62_135_596_800_000, '0001-01-01T00:00:00'],
      [-62_135_596_799_999, '0001-01-01T00:00:00.001000'],
      [253_402_300_799_999, '9999-12-31T23:59:59.999000'],
      [253_402_300_800_000, '253402300800000'],
    ];
    for (const [ms, text] of cases) expect(pythonIsoformat(ms), String(ms)).toBe(text);
    const recs = cases.map(([ms], i) => rec(`k${i}`, { expireAtMs: ms }));
    const expiries = written('rdbtools-csv', recs).toString('utf8').trim().split('\n').slice(1).map((l) => l.slice(l.lastIndexOf(',') + 1));
    expect(expiries).toEqual(cases.map(([, text]) => text));
  });

  it('rdbtools-csv expiry dates across the calendar (leap days, centuries, whole seconds, year 9999)', () => {
    const rand = rng(17);
    const times = [0, 1, 999, 1000, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, 253_402_300_799_999, 253_402_300_800_000, 68_169_600_000, 1_709_164_800_000];
    for (let i = 0; i < 20_000; i++) times.push(Math.floor(rand() * 253_402_300_800_000), Math.floor(rand() * 4_102_444_800) * 1000);
    const recs = times.map((t, i) => rec(`k${i}`, { expireAtMs: t }));
    expect(written('rdbtools-csv', recs).toString('utf8')).toBe(reference('rdbtools-csv', recs).toString('utf8'));
  });
});
