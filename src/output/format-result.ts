import { formatCsv } from './csv-writer.js';
import { formatJson } from './json-writer.js';
import { formatPrometheus } from './prometheus-writer.js';
import type { MetricSpec, OutputFormat, ReportResult } from './result.js';
import { formatTable } from './table-writer.js';

/**
 * The whole output of a report in one format. `human` applies to tables only; `metrics` says what the
 * Prometheus format writes (nothing without it).
 */
export function formatResult(result: ReportResult, format: OutputFormat, human: boolean, metrics: MetricSpec = { name: result.report, tables: [] }): string {
  switch (format) {
    case 'csv':
      return formatCsv(result);
    case 'json':
      return formatJson(result);
    case 'table':
      return formatTable(result, { human });
    case 'prometheus':
      return formatPrometheus(result, metrics);
  }
}
