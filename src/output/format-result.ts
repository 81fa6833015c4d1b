import { formatCsv } from './csv-writer.js';
import { formatJson } from './json-writer.js';
import type { OutputFormat, ReportResult } from './result.js';
import { formatTable } from './table-writer.js';

/** The whole output of a report in one format. `human` applies to tables only. */
export function formatResult(result: ReportResult, format: OutputFormat, human: boolean): string {
  switch (format) {
    case 'csv':
      return formatCsv(result);
    case 'json':
      return formatJson(result);
    case 'table':
      return formatTable(result, { human });
  }
}
