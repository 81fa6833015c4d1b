/**
 * Skiplist zset scores as Redis loads them (rdb.c): a type-3 text score is read by
 * rdbLoadDoubleValue with sscanf("%lg") (strtod's syntax: inf/infinity/nan in any case, hex floats,
 * trailing bytes ignored; nothing readable fails the load), and a NaN score of either type is refused
 * ("Zset with NAN score detected"), here as BAD_STRING at the score's offset.
 */
import { describe, expect, it } from 'vitest';
import { strtodPrefix } from '../../src/rdb/double-text.js';
import { parseBytes } from '../support/parse-bytes.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';

describe('strtodPrefix (sscanf "%lg")', () => {
  const cases: [string, number | null][] = [
    ['1.5', 1.5],
    ['-0.000123', -0.000123],
    ['  \t1e3', 1000],
    ['1.5abc', 1.5],
    ['1.', 1],
    ['.5', 0.5],
    ['1e', 1],
    ['1e+', 1],
    ['1e999', Infinity],
    ['-1e999', -Infinity],
    ['inf', Infinity],
    ['-inf', -Infinity],
    ['+INF', Infinity],
    ['Infinity', Infinity],
    ['infinit', Infinity],
    ['0x10', 16],
    ['0X1P-2', 0.25],
    ['-0x.8', -0.5],
    ['0x1.8p1', 3],
    ['0x', 0],
    ['0x0p99999', 0],
    ['0x1fffffffffffff', 2 ** 53 - 1],
    ['1\u00002', 1],
    ['', null],
    ['   ', null],
    ['abc', null],
    ['e5', null],
    ['-', null],
    ['.', null],
  ];
  for (const [text, want] of cases) {
    it(`${JSON.stringify(text)} → ${String(want)}`, () => expect(strtodPrefix(text)).toBe(want));
  }
  it('nan in any case, with an optional (chars), is NaN; -0 keeps its sign', () => {
    for (const t of ['nan', 'NaN', '-nan', 'nan(0x1)', 'NAN()']) expect(strtodPrefix(t)).toBeNaN();
    expect(Object.is(strtodPrefix('-0'), -0)).toBe(true);
  });
});

describe('type-3 zset text scores', () => {
  it('inf, -inf, INFINITY, hex and trailing-garbage scores are read like Redis, and the keys after them too', async () => {
    const w = new RdbWriter({ version: 6 });
    w.key(TYPE.ZSET, 'z').len(5).string('a').stringDouble('inf').string('b').stringDouble('-inf')
      .string('c').stringDouble('INFINITY').string('d').stringDouble('0x10').string('e').stringDouble('2.5xyz');
    w.key(TYPE.STRING, 'after').string('v');
    const { records, error } = await parseBytes(w.finish());
    expect(error).toBeNull();
    expect(records.map((r) => [r.keyPrintable, r.elements])).toEqual([['z', 5], ['after', 1]]);
  });

  it('a score sscanf cannot read fails the load (BAD_STRING), keys before it kept', async () => {
    const w = new RdbWriter({ version: 6 });
    w.key(TYPE.STRING, 'before').string('v');
    w.key(TYPE.ZSET, 'z').len(1).string('a').stringDouble('');
    const { records, error } = await parseBytes(w.finish());
    expect(error?.code).toBe('BAD_STRING');
    expect(records.map((r) => r.keyPrintable)).toEqual(['before']);
  });
});

describe('NaN zset scores are refused, as Redis refuses them', () => {
  const nanForms: [string, number, (w: RdbWriter) => RdbWriter][] = [
    ['type 3, byte 253', 6, (w) => w.stringDouble(NaN)],
    ['type 3, text "nan"', 6, (w) => w.stringDouble('nan')],
    ['type 3, text "-NaN"', 6, (w) => w.stringDouble('-NaN')],
    ['type 5, binary NaN', 9, (w) => w.binaryDouble(NaN)],
  ];
  for (const [what, version, score] of nanForms) {
    it(`${what}: BAD_STRING at the score, keys before it kept`, async () => {
      const w = new RdbWriter({ version });
      w.key(TYPE.STRING, 'before').string('v');
      w.key(version >= 8 ? TYPE.ZSET_2 : TYPE.ZSET, 'z').len(2).string('ok');
      if (version >= 8) w.binaryDouble(1);
      else w.stringDouble(1);
      w.string('bad');
      const scoreAt = w.length;
      score(w);
      w.key(TYPE.STRING, 'after').string('v');
      const dump = w.finish();
      for (const chunkSizes of [undefined, [3]]) {
        const { records, error } = await parseBytes(dump, { chunkSizes });
        expect(error?.code).toBe('BAD_STRING');
        expect(error?.offset).toBe(scoreAt);
        expect(error?.key).toBe('z');
        expect(error?.detail).toMatch(/NaN/);
        expect(records.map((r) => r.keyPrintable)).toEqual(['before']);
      }
    });
  }
});
