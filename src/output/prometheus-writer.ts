import { isoTime, rowArray, type Cell, type Column, type MetricSpec, type ReportResult, type ResultTable } from './result.js';

/**
 * Prometheus text exposition format (version 0.0.4: `# HELP`, `# TYPE`, `name{label="v"} value`
 * lines; https://prometheus.io/docs/instrumenting/exposition_formats/), for node_exporter's textfile
 * collector: a nightly job writes the file, the alerting users already run does the rest.
 *
 * Every numeric column of an exported table is one gauge family
 * `rdbscope_<report>_<table>_<column>[_<unit>]` (the table left out when it is named as the report); the table's text columns become labels (so a table
 * must be bounded: top patterns only), and the result's own labels (the Redis instance) are added to
 * every sample. Units follow Prometheus' naming rules: bytes end in `_bytes`, shares (0..1) in
 * `_ratio`, times become Unix seconds in `_timestamp_seconds`, durations in days become `_seconds`. Null cells are left out (no sample is
 * better than a made-up one). No sample timestamps: the textfile collector refuses them; the snapshot
 * the figures are as of is two families of its own, `rdbscope_<report>_snapshot_timestamp_seconds`
 * and `rdbscope_<report>_snapshot_complete` (1, or 0 for a PARTIAL one), where a report gives it:
 * what an alert on a nightly job needs to tell last night's figures from a week-old or cut dump's.
 */
export function formatPrometheus(result: ReportResult, metrics: MetricSpec): string {
  const out: string[] = [];
  const context = Object.entries(result.labels ?? {}).map(([k, v]) => [labelName(k), v] as const);
  for (const table of result.tables) {
    if (!metrics.tables.includes(table.name)) continue;
    const rows = rowArray(table.rows);
    const isLabel = (c: Column) => c.key ?? c.kind === 'text';
    const labelColumns = table.columns.filter(isLabel);
    // A result label that a table also has as a column (a filter's `type` beside by_type's) is the
    // row's own: one label of a name per sample, as the format requires.
    const tableContext = context.filter(([k]) => !labelColumns.some((c) => labelName(c.name) === k));
    for (const column of table.columns) {
      if (isLabel(column) || column.kind === 'text') continue;
      const name = familyName(metrics.name, table, column);
      const samples: string[] = [];
      for (const row of rows) {
        const value = sampleValue(row[column.name] ?? null, column);
        if (value === null) continue;
        const labels = [...tableContext, ...labelColumns.map((c) => [labelName(c.name), labelValue(row[c.name] ?? null, c)] as const)]
          .filter(([, v]) => v !== '')
          .map(([k, v]) => `${k}="${escapeLabel(String(v))}"`);
        samples.push(`${name}${labels.length ? `{${labels.join(',')}}` : ''} ${value}`);
      }
      if (samples.length === 0) continue;
      out.push(`# HELP ${name} ${escapeHelp(column.help ?? `${column.name} (${table.title ?? table.name}, rdbscope report ${result.report})`)}`);
      out.push(`# TYPE ${name} gauge`);
      out.push(...samples);
    }
  }
  if (result.snapshot !== undefined) out.push(...snapshotFamilies(metrics.name, result.snapshot, context));
  return out.length ? out.join('\n') + '\n' : '';
}

/** The snapshot's time and completeness (ReportResult.snapshot) as gauges with the result's labels. */
function snapshotFamilies(report: string, snapshot: NonNullable<ReportResult['snapshot']>, context: (readonly [string, string])[]): string[] {
  const labels = context.length ? `{${context.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
  const out: string[] = [];
  const prefix = sanitize(`rdbscope_${report}_snapshot`);
  if (snapshot.timeMs !== null) {
    out.push(`# HELP ${prefix}_timestamp_seconds When the snapshot these figures are as of was written (its dump's ctime, else the file's mtime)`);
    out.push(`# TYPE ${prefix}_timestamp_seconds gauge`);
    out.push(`${prefix}_timestamp_seconds${labels} ${snapshot.timeMs / 1000}`);
  }
  out.push(`# HELP ${prefix}_complete 1 when the snapshot these figures are as of was read to its end, 0 when it is PARTIAL (keys stop at a fault)`);
  out.push(`# TYPE ${prefix}_complete gauge`);
  out.push(`${prefix}_complete${labels} ${snapshot.complete ? 1 : 0}`);
  return out;
}

/** Metric family of a column, with its unit suffix (bytes, ratio, timestamp seconds). */
export function familyName(report: string, table: Pick<ResultTable, 'name'>, column: Column): string {
  // A report's main table shares its name (capacity's `capacity`): said once. `report` is the
  // report's metric name (summary's is `keyspace`: "summary" is a Prometheus metric type).
  let base = sanitize(table.name === report ? `rdbscope_${report}_${column.name}` : `rdbscope_${report}_${table.name}_${column.name}`);
  switch (column.kind) {
    case 'bytes':
      if (!base.endsWith('_bytes')) base += '_bytes';
      break;
    case 'percent':
      base = base.replace(/_(share|pct|percent)$/, '') + '_ratio';
      break;
    case 'time':
      base = base.replace(/_(at|time|ms)$/, '') + '_timestamp_seconds';
      break;
    case 'days':
      base = base.replace(/_days(?=_|$)/g, '') + '_seconds';
      break;
    default:
      break;
  }
  return base;
}

function sampleValue(value: Cell, column: Column): string | null {
  if (value === null || typeof value === 'string') return null;
  const n = Number(value);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  return String(column.kind === 'time' ? n / 1000 : column.kind === 'days' ? n * 86_400 : n);
}

function labelValue(v: Cell, c: Column): string {
  if (v === null) return '';
  return c.kind === 'time' && typeof v === 'number' ? isoTime(v) : String(v);
}

/** Metric and label names: `[a-zA-Z_][a-zA-Z0-9_]*` (the format's rule); anything else becomes `_`. */
function sanitize(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/**
 * Label names of table columns. `instance` and `job` are the scrape target's own labels in
 * Prometheus (a sample carrying them is renamed `exported_instance` unless honor_labels is set), so
 * the Redis instance is `redis_instance`.
 */
function labelName(column: string): string {
  const s = sanitize(column);
  return s === 'instance' || s === 'job' ? `redis_${s}` : s;
}

/** Label values: backslash, double quote and line feed escaped (the format's rule). */
function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text: backslash and line feed escaped. */
function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
