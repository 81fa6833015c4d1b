import { describe, expect, it } from 'vitest';
import { formatResult } from '../../src/output/format-result.js';
import { PagedTableWriter } from '../../src/output/paged-writer.js';
import type { Column, OutputFormat, Row } from '../../src/output/result.js';

const NASTY = ['plain', 'a,b', 'say "hi"', 'line1\nline2', 'tab\there', '=SUM(A1)', '-2', 'ünï©ødé', '', 'bin\\x00'];
const columns: Column[] = [
  { name: 'key', kind: 'text' },
  { name: 'n', kind: 'int' },
  { name: 'big', kind: 'int' },
  { name: 'maybe', kind: 'text' },
];
const rows: Row[] = Array.from({ length: 37 }, (_, i) => ({
  key: NASTY[i % NASTY.length]! + i,
  n: i * 997,
  big: BigInt(2) ** BigInt(60) + BigInt(i),
  maybe: i % 3 === 0 ? null : `v${'x'.repeat(i % 7)}`,
}));

function paged(format: OutputFormat, all: Row[], pageSize: number): string {
  const w = new PagedTableWriter(format, false, 'sql', 'rows', columns);
  let s = '';
  for (let i = 0; i < all.length; i += pageSize) s += w.page(all.slice(i, i + pageSize));
  return s + w.end();
}

const whole = (format: OutputFormat, all: Row[]) => formatResult({ report: 'sql', notes: [], tables: [{ name: 'rows', columns, rows: all }] }, format, false);

describe('PagedTableWriter', () => {
  for (const format of ['csv', 'json'] as const) {
    it(`${format}: pages joined are exactly the one-piece output, at any page size`, () => {
      for (const size of [1, 2, 5, 36, 37, 1000]) expect(paged(format, rows, size), `page ${size}`).toBe(whole(format, rows));
      expect(paged(format, [], 10)).toBe(whole(format, []));
      expect(paged(format, rows.slice(0, 1), 10)).toBe(whole(format, rows.slice(0, 1)));
    });
  }

  it('table: one page is the one-piece output; more pages keep every row, widths only growing', () => {
    expect(paged('table', rows, 1000)).toBe(whole('table', rows));
    expect(paged('table', [], 10)).toBe(whole('table', []));
    const lines = paged('table', rows, 4).trimEnd().split('\n');
    expect(lines).toHaveLength(rows.length + 2);
    const keyCol = lines.slice(2).map((l) => l.split(/\s{2,}/)[0]);
    expect(keyCol[36]).toContain('36');
    // a row of a later page is never narrower than the header underline of its column
    expect(lines.slice(2).every((l) => l.length >= lines[1]!.split('  ')[0]!.length)).toBe(true);
  });
});
