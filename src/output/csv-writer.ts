import { stringify } from 'csv-stringify/sync';
import { csvField } from './csv-field.js';
import { neutralizeFormula } from './formula-cells.js';
import { isoTime, rowArray, type Cell, type Column, type ReportResult, type Row } from './result.js';

/**
 * RFC 4180 CSV with a header row and exact numbers. Several tables are written one after another,
 * each with its own header, separated by an empty line.
 */
export function formatCsv(result: ReportResult): string {
  return result.tables.map((table) => stringify(csvRecords(table.columns, rowArray(table.rows), true), CSV_OPTIONS)).join('\n');
}

const CSV_OPTIONS = {
  record_delimiter: '\n',
  quoted_match: /[\r\n]/, // quote cells with line breaks even where the stringifier would not
};

/**
 * CSV lines of these rows, after a header row when `header` (pages of one table: PagedTableWriter):
 * what formatCsv prints for them, quoted cell by cell (csvField) rather than through csv-stringify,
 * whose per-cell options cost ~3.5 µs a row (`sql` of a million keys).
 */
export function csvRows(columns: Column[], rows: Row[], header: boolean): string {
  const n = columns.length;
  let s = header ? columns.map((c) => csvField(neutralizeFormula(c.name))).join(',') + '\n' : '';
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < n; i++) {
      const c = columns[i]!;
      const v = row[c.name] ?? null;
      if (i > 0) line += ',';
      // Only text is quoted: a number's text holds no comma, quote or line break.
      line += typeof v === 'string' ? csvField(csvCell(v, c)) : csvCell(v, c);
    }
    s += line + '\n';
  }
  return s;
}

function csvRecords(columns: Column[], rows: Row[], header: boolean): string[][] {
  const records = rows.map((row) => columns.map((c) => csvCell(row[c.name] ?? null, c)));
  if (header) records.unshift(columns.map((c) => neutralizeFormula(c.name)));
  return records;
}

function csvCell(value: Cell, column: Column): string {
  if (value === null) return '';
  if (typeof value === 'bigint') return '' + value;
  if (typeof value === 'number') return column.kind === 'time' ? isoTime(value) : String(value);
  return neutralizeFormula(value);
}
