import { describe, expect, it } from 'vitest';
import { formatResult } from '../../src/output/format-result.js';
import { PAGE_ROWS, resultPieces, STREAM_PAGE_ROWS } from '../../src/output/paged-writer.js';
import type { Column, OutputFormat, ReportResult, ResultTable, Row, RowSource } from '../../src/output/result.js';

const NASTY = ['plain', 'a,b', 'say "hi"', 'line1\nline2', 'tab\there', '=SUM(A1)', '-2', 'ünï©ødé', '', 'bin\\x00'];
const columns: Column[] = [
  { name: 'key', kind: 'text' },
  { name: 'n', kind: 'int' },
  { name: 'big', kind: 'int' },
  { name: 'maybe', kind: 'text' },
  { name: 'at', kind: 'time' },
];
const rows: Row[] = Array.from({ length: 37 }, (_, i) => ({
  key: NASTY[i % NASTY.length]! + i,
  n: i * 997,
  big: BigInt(2) ** BigInt(60) + BigInt(i),
  maybe: i % 3 === 0 ? null : `v${'x'.repeat(i % 7)}`,
  at: i % 4 === 0 ? null : 1_700_000_000_000 + i,
}));

/** Rows produced on demand, counting what was pulled and whether the iteration was closed. */
function counted(all: Row[]): RowSource & { pulled: number; closed: number } {
  const source = {
    pulled: 0,
    closed: 0,
    *[Symbol.iterator]() {
      try {
        for (const row of all) {
          source.pulled++;
          yield row;
        }
      } finally {
        source.closed++;
      }
    },
  };
  return source;
}

const one = (all: Row[] | RowSource): ReportResult => ({ report: 'sql', notes: [], tables: [{ name: 'rows', columns, rows: all }] });

/** Notes, titles, an empty table, array and lazy tables: every joint resultPieces writes. */
function several(lazy: boolean): ReportResult {
  const src = (r: Row[]) => (lazy ? counted(r) : r);
  const tables: ResultTable[] = [
    { name: 'first', title: 'First table', columns, rows: src(rows) },
    { name: 'empty', title: 'Nothing here', columns, rows: src([]) },
    { name: 'untitled', columns: columns.slice(0, 2), rows: src(rows.slice(0, 3)) },
    { name: 'last', title: 'Last', columns, rows: src(rows.slice(5, 6)) },
  ];
  return { report: 'demo', notes: ['a note', 'note with "quotes"\nand a line break'], tables };
}

const paged = (result: ReportResult, format: OutputFormat, pageRows: number) => [...resultPieces(result, format, false, pageRows)].join('');
const whole = (result: ReportResult, format: OutputFormat) => formatResult(result, format, false);

describe('resultPieces (paged output)', () => {
  for (const format of ['csv', 'json'] as const) {
    it(`${format}: pages joined are exactly the one-piece output, at any page size`, () => {
      for (const size of [1, 2, 5, 36, 37, 1000]) {
        expect(paged(one(rows), format, size), `page ${size}`).toBe(whole(one(rows), format));
        expect(paged(one(counted(rows)), format, size), `lazy, page ${size}`).toBe(whole(one(rows), format));
        expect(paged(several(true), format, size), `several tables, page ${size}`).toBe(whole(several(false), format));
      }
      expect(paged(one([]), format, 10)).toBe(whole(one([]), format));
      expect(paged(one(rows.slice(0, 1)), format, 10)).toBe(whole(one(rows.slice(0, 1)), format));
      const bare: ReportResult = { report: 'none', notes: ['n'], tables: [] };
      expect(paged(bare, format, 10)).toBe(whole(bare, format));
    });
  }

  it('csv and json: every kind of cell and column name as the one-piece writers (csv-stringify, JSON.stringify) print it', () => {
    // The paged writers format cell by cell; formatResult goes through csv-stringify and
    // JSON.stringify with its replacer, so each case below is checked against those libraries.
    const texts = ['', ' ', 'a,b', '"', 'say ""hi""', 'cr\rlf', 'lf\n', '\r\n', '=1', '+1', '-1', '@a', '\tx', '\rx', "'q", 'ünï', '\u2028', '\ud800 lone', 'x\u0000y', '\\x00'];
    const numbers: (number | bigint)[] = [0, -0, 1.5, -2, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n), -(2n ** 63n), 2n ** 63n - 1n, 0n, -5n];
    const cells: (string | number | bigint | null)[] = [...texts, ...numbers, null];
    const named = (names: string[], kinds: Column['kind'][]): Column[] => names.map((name, i) => ({ name, kind: kinds[i % kinds.length]! }));
    const columnSets: Column[][] = [
      named(['text', 'int', 'at', 'x'], ['text', 'int', 'time', 'bytes']),
      named(['=formula', 'a,b', 'quote"d', 'ünï', 'line\nbreak'], ['text']),
      // Names a JavaScript object does not keep in order, or keeps once: JSON.stringify decides.
      named(['b', '2', '1', 'a'], ['text', 'int']),
      named(['__proto__', 'k'], ['text']),
      named(['k', 'k'], ['int']),
      named(['4294967295', '01', '-1'], ['text']),
      [],
    ];
    for (const columns of columnSets) {
      const rowsOf = Array.from({ length: cells.length }, (_, r) => {
        const row = Object.create(null) as Row; // as `sql` makes its rows: any name is a member
        columns.forEach((c, i) => {
          row[c.name] = cells[(r + i * 7) % cells.length]!; // times too: 1e21, NaN and Infinity as well
        });
        return row;
      });
      const result: ReportResult = { report: 'x', notes: [], tables: [{ name: 'rows', columns, rows: rowsOf }] };
      for (const format of ['csv', 'json'] as const) {
        for (const size of [1, 3, 100]) expect(paged(result, format, size), `${format} ${columns.map((c) => c.name)} page ${size}`).toBe(whole(result, format));
      }
    }
  });

  it('pages: csv and json read STREAM_PAGE_ROWS rows at a time, a text table PAGE_ROWS (its widths)', () => {
    const many = Array.from({ length: PAGE_ROWS + 3 }, (_, i) => ({ ...rows[i % rows.length]!, n: i }));
    expect(STREAM_PAGE_ROWS).toBeLessThan(PAGE_ROWS);
    for (const [format, size] of [['csv', STREAM_PAGE_ROWS], ['json', STREAM_PAGE_ROWS], ['table', PAGE_ROWS]] as const) {
      const source = counted(many);
      const pieces = resultPieces(one(source), format, false);
      for (const piece of pieces) if (source.pulled > 0 && piece.includes('\n')) break;
      expect(source.pulled, format).toBe(size);
      expect(source.closed, format).toBe(1);
    }
  });

  it('table: a table within one page is the one-piece output; longer ones keep every row, widths only growing', () => {
    expect(paged(one(rows), 'table', 1000)).toBe(whole(one(rows), 'table'));
    expect(paged(several(true), 'table', 1000)).toBe(whole(several(false), 'table'));
    expect(paged(one([]), 'table', 10)).toBe(whole(one([]), 'table'));
    for (const bare of [{ report: 'none', notes: [], tables: [] }, { report: 'none', notes: ['n'], tables: [] }]) expect(paged(bare, 'table', 10)).toBe(whole(bare, 'table'));
    const lines = paged(one(rows), 'table', 4).trimEnd().split('\n');
    expect(lines).toHaveLength(rows.length + 2);
    const keyCol = lines.slice(2).map((l) => l.split(/\s{2,}/)[0]);
    expect(keyCol[36]).toContain('36');
    // a row of a later page is never narrower than the header underline of its column
    expect(lines.slice(2).every((l) => l.length >= lines[1]!.split('  ')[0]!.length)).toBe(true);
    // the same lines, tables and notes as the one-piece output, only spaced differently
    const squash = (s: string) => s.split('\n').map((l) => (/^[- ]+$/.test(l) ? '--' : l.replace(/ +/g, ' ').trim()));
    expect(squash(paged(several(true), 'table', 2))).toEqual(squash(whole(several(false), 'table')));
  });

  it('reads a lazy table a page at a time, and closes it when the consumer stops early', () => {
    for (const format of ['table', 'csv', 'json'] as const) {
      const source = counted(rows);
      const pieces = resultPieces(one(source), format, false, 5);
      let text = '';
      for (const piece of pieces) {
        text += piece;
        if (source.pulled > 0) break; // the reader left after the first page of rows
      }
      expect(source.pulled, format).toBe(5);
      expect(source.closed, format).toBe(1);
      expect(text, format).toContain(String(rows[4]!.n));
      expect(text, format).not.toContain(String(rows[5]!.n));
    }
    // read to the end: one pass, closed once
    const source = counted(rows);
    [...resultPieces(several(false), 'csv', false, 5)];
    [...resultPieces(one(source), 'json', false, 5)];
    expect([source.pulled, source.closed]).toEqual([rows.length, 1]);
  });
});
