import type { ReportResult, ResultTable, Row } from '../../src/output/result.js';
import { rowArray } from '../../src/output/result.js';
import { findReport } from '../../src/reports/index.js';
import type { ReportOptions } from '../../src/reports/report.js';
import type { Store } from '../../src/store/index.js';

/** A report result with every table's rows read into an array. */
export interface WholeResult extends ReportResult {
  tables: (ResultTable & { rows: Row[] })[];
}

export function wholeResult(result: ReportResult): WholeResult {
  return { ...result, tables: result.tables.map((t) => ({ ...t, rows: rowArray(t.rows) })) };
}

/** `run` of the named report, its lazily produced rows read at once (for assertions on them). */
export function reportRunner(name: string): (db: Store, options: ReportOptions) => WholeResult {
  const report = findReport(name);
  if (!report) throw new Error(`no report ${name}`);
  return (db, options) => wholeResult(report.run(db, options));
}
