import { describe, expect, it } from 'vitest';
import { formatCsv, formatJson, formatTable, humanBytes, rdbtoolsCsvWriter, terminalSafe, type ReportResult } from '../../src/output/index.js';
import { parseCsv } from '../support/csv-parse.js';
import { rec } from '../support/records.js';

const NASTY = ['plain', 'a,b', 'say "hi"', 'line1\nline2', 'cr\r\nlf', 'tab\there', '\\xff\\x00bin', '=SUM(A1)', '+1', '-2', '@cmd', '\tlead', 'ünï©ødé', ''];

const result = (keys: string[]): ReportResult => ({
  report: 't',
  notes: ['note'],
  tables: [{ name: 'keys', columns: [{ name: 'key', kind: 'text' }, { name: 'bytes', kind: 'bytes' }, { name: 'share', kind: 'percent' }, { name: 'at', kind: 'time' }],
    rows: keys.map((k, i) => ({ key: k, bytes: i * 1000, share: i / 100, at: i ? 1_700_000_000_000 : null })) }],
});

/** What a spreadsheet (or a careful reader) recovers from a neutralised cell. */
const unneutralize = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);

describe('csv', () => {
  it('round-trips keys with separators, quotes, newlines, tabs, escapes and formula prefixes', () => {
    const rows = parseCsv(formatCsv(result(NASTY)));
    expect(rows[0]).toEqual(['key', 'bytes', 'share', 'at']);
    expect(rows.slice(1).map((r) => unneutralize(r[0]!))).toEqual(NASTY);
    expect(rows.slice(1).map((r) => Number(r[1]))).toEqual(NASTY.map((_, i) => i * 1000));
    expect(rows[2]![3]).toBe('2023-11-14T22:13:20.000Z');
    expect(rows[1]![3]).toBe('');
  });
  it('neutralises every cell that would start a formula', () => {
    const rows = parseCsv(formatCsv(result(NASTY)));
    for (const r of rows.slice(1)) expect(r[0]!).not.toMatch(/^[=+\-@\t\r]/);
  });
  it('writes several tables each with a header', () => {
    const two: ReportResult = { report: 't', notes: [], tables: [result(['a']).tables[0]!, { name: 'b', columns: [{ name: 'x', kind: 'int' }], rows: [{ x: 1 }] }] };
    expect(formatCsv(two).split('\n\n')[1]).toBe('x\n1\n');
  });
});

describe('json', () => {
  it('keeps exact numbers and strings', () => {
    const j = JSON.parse(formatJson(result(NASTY)));
    expect(j.tables.keys.map((r: { key: string }) => r.key)).toEqual(NASTY);
    expect(j.tables.keys[3].share).toBe(0.03);
    expect(j.tables.keys[1].at).toBe('2023-11-14T22:13:20.000Z');
    expect(j.notes).toEqual(['note']);
  });
  it('prints large bigints as strings, small ones as numbers', () => {
    const r: ReportResult = { report: 'x', notes: [], tables: [{ name: 'r', columns: [{ name: 'n', kind: 'int' }], rows: [{ n: 5n }, { n: 2n ** 63n - 1n }] }] };
    expect(JSON.parse(formatJson(r)).tables.r).toEqual([{ n: 5 }, { n: '9223372036854775807' }]);
  });
});

describe('table', () => {
  it('shows a figure in its row\'s unit where the table mixes bytes and keys (Column.unitFrom), raw elsewhere', () => {
    const mixed: ReportResult = { report: 't', notes: [], tables: [{ name: 'total', columns: [{ name: 'measure', kind: 'text' }, { name: 'unit', kind: 'text' }, { name: 'last', kind: 'int', unitFrom: 'unit' }], rows: [
      { measure: 'used_mem', unit: 'bytes', last: 2_120_408 }, { measure: 'keys', unit: 'keys', last: 1302 },
    ] }] };
    const human = formatTable(mixed, { human: true });
    expect(human).toMatch(/used_mem\s+bytes\s+2\.02 MB/);
    expect(human).toMatch(/keys\s+keys\s+1302/);
    expect(formatTable(mixed, { human: false })).toMatch(/used_mem\s+bytes\s+2120408/);
    expect(parseCsv(formatCsv(mixed))[1]).toEqual(['used_mem', 'bytes', '2120408']);
  });
  it('shows a time to the second in UTC on a terminal, as ISO 8601 when piped', () => {
    const at: ReportResult = { report: 't', notes: [], tables: [{ name: 'wall', columns: [{ name: 'threshold', kind: 'text' }, { name: 'reached_at', kind: 'time' }], rows: [
      { threshold: 'alarm', reached_at: Date.UTC(2026, 11, 16, 4, 17, 49, 38) },
    ] }] };
    expect(formatTable(at, { human: true })).toMatch(/alarm\s+2026-12-16 04:17:49 UTC/);
    expect(formatTable(at, { human: false })).toMatch(/alarm\s+2026-12-16T04:17:49\.038Z/);
  });
  it('shows an empty text (the empty key) as "", on a terminal and piped; csv keeps it empty', () => {
    const empty: ReportResult = { report: 't', notes: [], tables: [{ name: 'k', columns: [{ name: 'key', kind: 'text' }, { name: 'b', kind: 'int' }], rows: [{ key: '', b: 1 }] }] };
    for (const human of [true, false]) expect(formatTable(empty, { human }).split('\n')).toContain('""   1');
    expect(parseCsv(formatCsv(empty))[1]).toEqual(['', '1']);
  });
  it('lets no control character or escape sequence through', () => {
    const out = formatTable(result(['\x1b[31mred\x1b[0m', 'bell\x07', 'nl\nx', 'c1\u009b2J', 'bidi\u202eevil']), { human: true });
    // eslint-disable-next-line no-control-regex
    expect(out.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(out).toContain('\\x1b[31mred\\x1b[0m');
    expect(out).toContain('nl\\nx');
  });
  it('cuts a text cell past 65 536 characters in any table (a key name of up to 512 MB), never a whole cell (a command)', () => {
    const long = 'k'.repeat(200_000);
    const cut = formatTable(result([long, 'short']), { human: false });
    expect(cut).toContain(`${'k'.repeat(65_536)}…(+134464 characters)`);
    expect(cut).not.toContain('k'.repeat(65_537));
    expect(cut).toContain('short');
    const whole: ReportResult = { report: 't', notes: [], tables: [{ name: 'c', columns: [{ name: 'command', kind: 'text', whole: true }], rows: [{ command: long }] }] };
    expect(formatTable(whole, { human: false })).toContain(long);
  });
  it('aligns columns and uses human units only when asked', () => {
    const human = formatTable(result(['a', 'bb']), { human: true }).split('\n');
    expect(human[2]).toMatch(/^key\s+bytes\s+share\s+at$/);
    expect(human[5]).toContain('1000 B');
    expect(human[5]).toContain('1.0%');
    const exact = formatTable(result(['a', 'bb', 'ccc']), { human: false });
    expect(exact).toContain('2000');
    const lens = exact.split('\n').slice(3, 6).map((l) => l.indexOf('2023') >= 0 ? l.indexOf('2023') : -1).filter((x) => x >= 0);
    expect(new Set(lens).size).toBe(1);
  });
  it('measures cells in code points: a surrogate pair is one, a lone surrogate one', () => {
    // The right-aligned share column ends the same number of code points into every line.
    const keys = ['ascii', '\u{1F600}\u{1F680}x', 'é中文', '\ud800z', 'z\udc00', '\u{10FFFF}'];
    const lines = formatTable(result(keys), { human: false }).split('\n').slice(4, 4 + keys.length);
    const percentAt = lines.map((l) => [...l].indexOf('%'));
    expect(new Set(percentAt).size, lines.join('\n')).toBe(1);
    expect(percentAt[0]).toBeGreaterThan(0);
  });
  it('prints a million rows (sql output of a whole snapshot)', () => {
    const keys = Array.from({ length: 1_000_000 }, (_, i) => `k${i}`);
    const out = formatTable(result(keys), { human: false });
    const lines = out.split('\n');
    expect(lines).toHaveLength(1_000_000 + 5);
    expect(lines[lines.length - 2]).toMatch(/^k999999 {2}999999000 {2}/);
    // widths come from every row: k0's bytes are right-aligned under the widest value
    expect(lines[4]).toMatch(/^k0 {5} {2} {8}0 {2}/);
  });
  it('humanBytes', () => {
    expect(humanBytes(512)).toBe('512 B');
    expect(humanBytes(1536)).toBe('1.50 KB');
    expect(humanBytes(5 * 1024 ** 3)).toBe('5.00 GB');
    expect(humanBytes(-2048)).toBe('-2.00 KB');
  });
  it('terminalSafe keeps ordinary text', () => {
    expect(terminalSafe('user:42 ünï')).toBe('user:42 ünï');
  });
});

describe('rdbtools csv', () => {
  it('writes the rdb-tools memory columns, properly quoted', () => {
    let out = '';
    const w = rdbtoolsCsvWriter((s) => { out += s; });
    const recs = NASTY.map((k, i) => rec(k, { db: i % 3, valueBytes: 100 + i, elements: i, largestElementBytes: 7, expireAtMs: i === 1 ? 1_700_000_000_500 : i === 2 ? 1_700_000_000_000 : null, type: i === 3 ? 'zset' : 'string', rdbType: i === 3 ? 'zset-listpack' : 'string' }));
    w.writeBatch(recs.slice(0, 5));
    for (const r of recs.slice(5)) w.write(r);
    const rows = parseCsv(out);
    expect(rows[0]).toEqual(['database', 'type', 'key', 'size_in_bytes', 'encoding', 'num_elements', 'len_largest_element', 'expiry']);
    expect(rows.length).toBe(NASTY.length + 1);
    rows.slice(1).forEach((r, i) => {
      // The key column is the printable key (control characters and backslashes escaped redis-cli style).
      expect(r[2]).toBe(recs[i]!.keyPrintable);
      expect(r[0]).toBe(String(i % 3));
      expect(r[3]).toBe(String(100 + i));
    });
    expect(rows[2]![7]).toBe('2023-11-14T22:13:20.500000');
    expect(rows[3]![7]).toBe('2023-11-14T22:13:20');
    expect(rows[4]![1]).toBe('sortedset');
    expect(rows[1]![7]).toBe('');
  });
  it('prefers the memory estimate when present', () => {
    let out = '';
    rdbtoolsCsvWriter((s) => { out += s; }).write(rec('k', { memory: { encoding: 'embstr', bytes: 56, exact: true } }));
    expect(parseCsv(out)[1]).toEqual(['0', 'string', 'k', '56', 'embstr', '1', '10', '']);
  });
});
