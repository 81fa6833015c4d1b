/**
 * Which charts the page draws, from which report tables: data, not code. A column is named by a list of
 * alternatives, the first one the table has wins (`memory` when the memory model estimated it, else
 * `file_bytes`). A chart whose table or columns are missing from the page's results, or whose values
 * are all empty or zero, is left out, so adding a chart for a report is one entry here.
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
  /** Left out when any of these charts is drawn (a fallback for a richer chart). */
  unless?: readonly string[];
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

/** One value of another table: a reference line (maxmemory) or a point a projection runs to. */
export interface ValueRef {
  report: string;
  table: string;
  column: ColumnRef;
  /** The row whose `column` equals `equals`; the first row when absent. */
  row?: { column: ColumnRef; equals: string };
  label: string;
  /** 0 means there is none: no line is drawn for it (`maxmemory 0` is no limit, redis.conf). */
  zeroIsNone?: boolean;
}

/**
 * Lines over time: each `ys` column a line (per value of `seriesBy` when given, those lines sharing a
 * colour), dashed where the column is a fitted or projected value. `project` continues a line, dashed,
 * to points another table gives (the dates the forecast reaches the walls): the line of the `ys`
 * column its `measure` column names (the forecast fits the estimate when a dump lacks used-mem),
 * else the first line.
 */
export interface LinesSpec extends ChartBase {
  kind: 'lines';
  x: ColumnRef;
  ys: { column: ColumnRef; label: string; dashed?: boolean }[];
  seriesBy?: ColumnRef;
  /** At most this many values of `seriesBy` (the table's first ones). */
  limit: number;
  refs?: ValueRef[];
  project?: { report: string; table: string; x: ColumnRef; y: ColumnRef; label: ColumnRef; measure?: ColumnRef };
  /** The caption when `project` drew nothing (no forecast, or no wall ahead). */
  captionUnprojected?: string;
}

export type ChartSpec = BarsSpec | ColumnsSpec | PercentilesSpec | LinesSpec;

const MEMORY: ColumnRef = ['memory', 'file_bytes'];

const MEMORY_PERCENTILES = (name: string) => [`${name}_memory`, `${name}_file_bytes`];

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
    id: 'sizes', kind: 'percentiles', title: 'Key size distribution by type and encoding', report: 'summary', table: 'by_type',
    caption: 'Per-key memory: median, 90th and 99th percentile and the largest key, on a log scale.',
    label: [['type'], ['encoding', 'rdb_type']],
    marks: [{ column: MEMORY_PERCENTILES('p50'), label: 'p50' }, { column: MEMORY_PERCENTILES('p90'), label: 'p90' }, { column: MEMORY_PERCENTILES('p99'), label: 'p99' }, { column: MEMORY_PERCENTILES('max'), label: 'max' }],
  },
  {
    id: 'ttl', kind: 'columns', title: 'Remaining TTL at snapshot time', report: 'ttl', table: 'ttl',
    caption: 'Share of keys and of memory in each bucket of time left before expiry, measured at the snapshot’s own time.',
    category: ['remaining_ttl'], series: [{ column: ['key_share'], label: 'keys' }, { column: ['memory_share', 'file_bytes_share'], label: 'memory' }],
  },
  {
    id: 'eviction', kind: 'bars', title: 'What each maxmemory-policy family could evict', report: 'eviction', table: 'by_policy',
    caption: 'The gauge is the share of all memory the family may evict.',
    label: [['policy']], value: ['evictable_memory', 'evictable_file_bytes'], fraction: { column: ['evictable_share'], label: 'share of memory' }, limit: 10,
  },
  {
    id: 'total-forecast', kind: 'lines', title: 'Memory over time, forecast and the walls', report: 'forecast', table: 'series',
    caption: 'used-mem and the estimate in every snapshot; dashed: the least-squares line to the dates it reaches the 85% alarm and maxmemory (with --maxmemory).',
    captionUnprojected: 'used-mem and the estimate in every snapshot. No forecast line: the Forecast section says why (a forecast needs 3 snapshots at least an hour apart, and --maxmemory or --redis-conf for the dates).',
    // estimated_used: the line the walls are fitted on when the dumps record no used-mem (forecast.ts).
    x: ['snapshot_time'], ys: [{ column: ['used_mem'], label: 'used-mem' }, { column: ['estimated_used'], label: 'estimated used' }, { column: MEMORY, label: 'estimated' }], limit: 2,
    refs: [
      { report: 'capacity', table: 'capacity', column: ['maxmemory'], label: 'maxmemory', zeroIsNone: true },
      { report: 'capacity', table: 'capacity', column: ['alarm_at'], label: '85% alarm' },
    ],
    project: { report: 'forecast', table: 'wall', x: ['reached_at'], y: ['bytes'], label: ['threshold'], measure: ['measure'] },
  },
  {
    id: 'pattern-forecast', kind: 'lines', title: 'Memory over time of the fastest-growing patterns', report: 'forecast', table: 'pattern_series',
    caption: 'Each pattern’s memory in every snapshot; dashed: its least-squares line.',
    x: ['snapshot_time'], ys: [{ column: MEMORY, label: '' }, { column: ['fitted'], label: 'fitted', dashed: true }], seriesBy: ['pattern'], limit: 8,
  },
  {
    id: 'growth', kind: 'lines', title: 'Memory over time, largest-growing patterns', report: 'growth', table: 'series', unless: ['pattern-forecast'],
    caption: 'Each pattern’s memory in every snapshot of the instance.',
    x: ['snapshot_time'], ys: [{ column: MEMORY, label: '' }], seriesBy: ['pattern'], limit: 8,
  },
];
