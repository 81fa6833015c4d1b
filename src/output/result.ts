/**
 * What a report (or an ad hoc query) hands to the writers: notes for the header, then one or more
 * tables whose columns say how to print each value. Values stay exact here; only the table writer
 * rounds, and only for a terminal.
 */
export type ColumnKind =
  | 'text'
  | 'int'
  | 'bytes' // byte counts: KB/MB/GB in a terminal
  | 'percent' // a fraction 0..1: 12.3% in a table
  | 'float'
  | 'time'; // Unix ms: ISO 8601 (UTC) in every format

export interface Column {
  name: string;
  kind: ColumnKind;
}

export type Cell = string | number | bigint | null;
export type Row = Record<string, Cell>;

export interface ResultTable {
  name: string;
  title?: string;
  columns: Column[];
  rows: Row[];
}

export interface ReportResult {
  report: string;
  notes: string[];
  tables: ResultTable[];
}

export type OutputFormat = 'table' | 'csv' | 'json';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json'];

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
