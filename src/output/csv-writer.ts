import { stringify } from 'csv-stringify/sync';
import { neutralizeFormula } from './formula-cells.js';
import { isoTime, rowArray, type Cell, type Column, type ReportResult, type Row } from './result.js';

/**
 * RFC 4180 CSV with a header row and exact numbers. Several tables are written one after another,
 * each with its own header, separated by an empty line.
 */
export function formatCsv(result: ReportResult): string {
  return result.tables.map((table) => csvRows(table.columns, rowArray(table.rows), true)).join('\n');
}

/** CSV lines of these rows, after a header row when `header` (pages of one table: PagedTableWriter). */
export function csvRows(columns: Column[], rows: Row[], header: boolean): string {
  const records = rows.map((row) => columns.map((c) => csvCell(row[c.name] ?? null, c)));
  if (header) records.unshift(columns.map((c) => neutralizeFormula(c.name)));
  return stringify(records, {
    record_delimiter: '\n',
    quoted_match: /[\r\n]/, // quote cells with line breaks even where the stringifier would not
  });
}

function csvCell(value: Cell, column: Column): string {
  if (value === null) return '';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return column.kind === 'time' ? isoTime(value) : String(value);
  return neutralizeFormula(value);
}
