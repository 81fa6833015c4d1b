export * from './result.js';
export { formatResult } from './format-result.js';
export { formatTable, formatCell } from './table-writer.js';
export { formatCsv, neutralizeFormula } from './csv-writer.js';
export { formatJson } from './json-writer.js';
export { PagedTableWriter, PAGE_ROWS, resultPieces } from './paged-writer.js';
export { terminalSafe } from './terminal-safe.js';
export { humanBytes, humanPercent } from './human-units.js';
export { rdbtoolsCsvWriter, rdbtoolsCsvRow, RDBTOOLS_CSV_HEADER } from './rdbtools-csv.js';
