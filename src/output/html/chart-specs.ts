/**
 * Which charts the page draws, from which report tables: data, not code. A column is named by a list of
 * alternatives, the first one the table has wins (`memory` when the memory model estimated it, else
 * `file_bytes`). A chart whose table or columns are missing from the page's results is left out, so
 * adding a chart for a report is one entry here.
 */
export type ColumnRef = readonly string[];

interface ChartBase {
  /** Element id suffix (`chart-<id>`): tests and links find the chart by it. */
  id: string;
  title: string;
  report: string;
  table: string;
  /** A sentence under the title saying how to read the chart. */
  caption?: string;
}

/** Horizontal bars, one per row in the table's order: label columns joined by ` · `. */
export interface BarsSpec extends ChartBase {
  kind: 'bars';
  label: ColumnRef[];
  value: ColumnRef;
  /** A percent column drawn as a gauge beside each bar. */
  fraction?: { column: ColumnRef; label: string };
  limit: number;
}

/** Vertical columns per category row, a series per column. */
export interface ColumnsSpec extends ChartBase {
  kind: 'columns';
  category: ColumnRef;
  series: { column: ColumnRef; label: string }[];
}

/** Marks (p50, p90, …) per row on a log axis. */
export interface PercentilesSpec extends ChartBase {
  kind: 'percentiles';
  label: ColumnRef[];
  marks: { column: ColumnRef; label: string }[];
}

/** A line per value of `seriesBy` over time; reference lines from single values of other tables. */
export interface LinesSpec extends ChartBase {
  kind: 'lines';
  x: ColumnRef;
  y: ColumnRef;
  seriesBy: ColumnRef;
  /** Rows whose `column` holds one of `values` are projections, drawn dashed. */
  projected?: { column: ColumnRef; values: readonly string[] };
  refs?: { report: string; table: string; column: ColumnRef; label: string }[];
  /** At most this many series (the table's first ones). */
  limit: number;
}

export type ChartSpec = BarsSpec | ColumnsSpec | PercentilesSpec | LinesSpec;

const MEMORY: ColumnRef = ['memory', 'file_bytes'];

export const CHARTS: readonly ChartSpec[] = [
  {
    id: 'patterns', kind: 'bars', title: 'Memory by key pattern', report: 'patterns', table: 'patterns',
    caption: 'The largest patterns; the gauge is the share of their keys that have no TTL.',
    label: [['pattern'], ['type']], value: MEMORY, fraction: { column: ['untimed_key_share'], label: 'keys with no TTL' }, limit: 25,
  },
  {
    id: 'types', kind: 'bars', title: 'Memory by type and encoding', report: 'summary', table: 'by_type',
    caption: 'The gauge is the share of keys of that type and encoding that have no TTL.',
    label: [['type'], ['encoding', 'rdb_type']], value: MEMORY, fraction: { column: ['untimed_key_share'], label: 'keys with no TTL' }, limit: 40,
  },
  {
    id: 'ttl', kind: 'columns', title: 'Remaining TTL at snapshot time', report: 'ttl', table: 'ttl',
    caption: 'Share of keys and of memory in each bucket of time left before expiry, measured at the snapshot’s own time.',
    category: ['remaining_ttl'], series: [{ column: ['key_share'], label: 'keys' }, { column: ['memory_share', 'file_bytes_share'], label: 'memory' }],
  },
  {
    id: 'growth', kind: 'lines', title: 'Memory over time, largest-growing patterns', report: 'growth', table: 'series',
    caption: 'Each pattern’s memory in every snapshot of the database.',
    x: ['snapshot_time'], y: MEMORY, seriesBy: ['pattern'], limit: 8,
  },
];
