/**
 * Plain string records around the limits of the parser's short-string path (key and value under 64
 * bytes, 6-bit lengths, rdb-format.md §2.1): every field of every record equals what the writer put
 * in, whether the dump is read whole (where that path takes them), fed a byte at a time (where the
 * general path reads them), through batches() or visit().
 */
import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../src/core/record.js';
import { parseRdb } from '../../src/rdb/index.js';
import { chunked } from '../support/parse-bytes.js';
import { RdbWriter, TYPE, type LenForm } from '../support/rdb-writer.js';

interface Expected {
  db: number;
  key: string;
  len: number;
  isInt: boolean;
  valueBytes: number;
  offset: number;
  expireAtMs: number | null;
  idle: number | null;
  freq: number | null;
}

/** Redis keeps a string as an integer when it is int64's canonical decimal text (string2ll). */
function canonicalInt(s: string): boolean {
  if (!/^(0|-?[1-9][0-9]*)$/.test(s) || s.length > 20) return false;
  const v = BigInt(s);
  return v >= -(2n ** 63n) && v < 2n ** 63n;
}

const VALUES = [
  '', '0', '7', '-0', '007', '-', '+1', '1 ', '-1', '123456789012345678', '1234567890123456789', '9223372036854775807',
  '9223372036854775808', '-9223372036854775808', '-9223372036854775809', '12345678901234567890', 'abc', 'x'.repeat(20),
  '1'.repeat(21), 'y'.repeat(62), 'z'.repeat(63), 'w'.repeat(64), 'v'.repeat(200),
];
const KEY_LENGTHS = [0, 1, 19, 62, 63, 64, 100];

function buildDump(): { bytes: Uint8Array; expected: Expected[] } {
  const w = new RdbWriter({ version: 11 });
  w.aux('redis-ver', '7.2.0');
  const expected: Expected[] = [];
  let n = 0;
  for (const db of [0, 3]) {
    w.selectDb(db);
    for (const kl of KEY_LENGTHS) {
      for (const value of VALUES) {
        for (const form of [6, 14] as LenForm[]) {
          if (form === 6 && value.length >= 64) continue;
          const key = `k${n++}:`.padEnd(kl, '0').slice(0, kl); // digits (< 64) after the head: a misread length byte shows
          const offset = w.length;
          const prefix = n % 5;
          const expireAtMs = prefix === 1 ? 1_900_000_000_000 + n : null;
          const idle = prefix === 2 ? n : null;
          const freq = prefix === 3 ? n % 256 : null;
          if (expireAtMs !== null) w.expireMs(expireAtMs);
          if (idle !== null) w.idle(idle);
          if (freq !== null) w.freq(freq);
          w.key(TYPE.STRING, key, { encoding: 'raw' });
          const valueStart = w.length;
          w.string(value, { encoding: 'raw', lenForm: form });
          expected.push({ db, key, len: value.length, isInt: canonicalInt(value), valueBytes: w.length - valueStart, offset, expireAtMs, idle, freq });
        }
      }
    }
  }
  return { bytes: w.finish(), expected };
}

const fields = (r: KeyRecord): Expected => ({
  db: r.db, key: new TextDecoder().decode(r.key), len: r.elements, isInt: r.shape.strIsInt === true, valueBytes: r.valueBytes,
  offset: r.offset, expireAtMs: r.expireAtMs, idle: r.idleSeconds, freq: r.lfuFreq,
});

describe('short plain strings', () => {
  const { bytes, expected } = buildDump();

  it.each([
    ['whole, batches()', undefined, false],
    ['whole, visit()', undefined, true],
    ['a byte at a time, batches()', [1], false],
    ['a byte at a time, visit()', [1], true],
    ['in 130-byte chunks, visit()', [130], true],
  ] as const)('%s: every field as written', async (_name, sizes, visit) => {
    const parse = parseRdb(chunked(bytes, sizes ? [...sizes] : undefined), { verifyChecksum: true });
    const got: Expected[] = [];
    if (visit) await parse.visit((r) => void got.push(fields(r)));
    else for await (const b of parse.batches()) for (const r of b) got.push(fields(r));
    expect(got.length).toBe(expected.length);
    for (let i = 0; i < got.length; i++) expect(got[i], expected[i]!.key).toEqual(expected[i]);
    // Also largestElementBytes = STRLEN, and the type fields.
    expect(parse.info.checksum.status).toBe('ok');
  });

  it('records from batches() keep their keys after the parse has moved on', async () => {
    const parse = parseRdb(chunked(bytes, [4096]), { verifyChecksum: true });
    const kept: KeyRecord[] = [];
    for await (const b of parse.batches()) kept.push(...b);
    expect(kept.map((r) => new TextDecoder().decode(r.key))).toEqual(expected.map((e) => e.key));
    expect(kept.every((r) => r.type === 'string' && r.rdbType === 'string' && r.largestElementBytes === r.elements)).toBe(true);
  });
});
