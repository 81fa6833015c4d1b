import { holdsDate } from '../core/date-range.js';

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
  | 'time' // Unix ms: ISO 8601 (UTC) in every format
  | 'days'; // a duration in days (fractional)

export interface Column {
  name: string;
  kind: ColumnKind;
  /** What the figure is, in a sentence (metrics HELP text, page tooltips). */
  help?: string;
  /**
   * Whether the column identifies its row (a label in metrics). Default: text columns do, others not;
   * `true` for an identifying number such as `db`, `false` for descriptive text.
   */
  key?: boolean;
  /** Text never cut on a terminal (a command to type: cut, it names another key). */
  whole?: boolean;
  /**
   * A table whose rows measure different things (bytes, keys): the text column of the same row that
   * names each row's unit. Where it reads `bytes`, this number is shown as a byte count (KB/MB/GB)
   * where a person reads it (a terminal, the HTML page: cellColumn); CSV, JSON, metrics and a piped
   * table keep the number as its column prints it.
   */
  unitFrom?: string;
}

/** How a cell of `column` in `row` is shown: as a byte count where the row's unit column says bytes (Column.unitFrom). */
export function cellColumn(column: Column, row: Row): Column {
  return column.unitFrom !== undefined && row[column.unitFrom] === 'bytes' ? { ...column, kind: 'bytes' } : column;
}

export type Cell = string | number | bigint | null;
export type Row = Record<string, Cell>;

/**
 * Rows produced on demand, for tables that can be as large as the keyspace (`report bigkeys --top
 * 200000`: 725 000 rows took 1.35 GB built as an array). Iterating runs the query behind it and yields
 * one row at a time; the writers pull a page at a time (resultPieces). Report sources run their
 * query afresh on every pass, one pass at a time (a better-sqlite3 statement cannot be iterated twice
 * at once). A pass left early must be closed — `return()` on the iterator, which `for…of` does on
 * `break` or a throw — since an unfinished statement keeps the database busy (it cannot be closed).
 */
export type RowSource = Iterable<Row>;

export interface ResultTable {
  name: string;
  title?: string;
  /** A one-row table of figures, printed as `name  value` lines in a text table. */
  vertical?: boolean;
  columns: Column[];
  /** An array for small tables (a summary, a histogram); a RowSource for those that grow with the data or --top. */
  rows: Row[] | RowSource;
}

export interface ReportResult {
  report: string;
  notes: string[];
  tables: ResultTable[];
  /**
   * What the figures are about, as labels for formats that attach them to every value (Prometheus):
   * e.g. `{ instance: 'shard-3' }`. Absent for results not about one snapshot or instance.
   */
  labels?: Record<string, string>;
  /**
   * The snapshot the figures are as of: its time (null when the dump gives none) and whether it was
   * read to its end. Formats read by machines (Prometheus) carry them as figures of their own, so
   * that a stale or PARTIAL snapshot's figures cannot pass for a fresh, complete one's.
   */
  snapshot?: { timeMs: number | null; complete: boolean };
}

/** Every row of a table as an array (reads a RowSource to its end: for callers that want it whole). */
export function rowArray(rows: Row[] | RowSource): Row[] {
  return Array.isArray(rows) ? rows : Array.from(rows);
}

/**
 * What a result writes as metrics: `name` stands for the report in family names (`rdbscope_<name>_…`),
 * `tables` are the tables exported (bounded ones: their text columns become labels).
 */
export interface MetricSpec {
  name: string;
  tables: readonly string[];
}

export type OutputFormat = 'table' | 'csv' | 'json' | 'prometheus';
/** Formats every result can be written in; `prometheus` only for reports that name their metric tables. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'csv', 'json'];

/** ISO 8601 in UTC; a number no date can hold (a corrupt time, core/date-range.ts) as its digits. */
export function isoTime(ms: number): string {
  return holdsDate(ms) ? new Date(ms).toISOString() : String(ms);
}
