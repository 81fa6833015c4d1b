import { csvRows } from './csv-writer.js';
import { jsonPieces } from './json-writer.js';
import { formatPrometheus } from './prometheus-writer.js';
import type { MetricSpec, OutputFormat, ReportResult, ResultTable, Row, RowSource } from './result.js';
import { TableLayout, verticalLines, type TableOptions } from './table-writer.js';
import { terminalSafe } from './terminal-safe.js';

/**
 * Rows read, formatted and written at a time in a text table, whose column widths are those of the
 * rows seen so far (so this size shows in the output).
 */
export const PAGE_ROWS = 10_000;

/**
 * Rows at a time in csv and json, where the page size does not show: few enough that a page's rows
 * and text die young. A page lives through V8's scavenges of the young generation (4 MB semi-spaces
 * under the launcher), which copy it each time: `sql` of 400 000 keys took 2.7 s in csv and 3.3 s in
 * json with pages of 32–128 rows, 4.5 and 6 s with 500, and spent half its time in GC with 10 000.
 */
export const STREAM_PAGE_ROWS = 100;

/**
 * The output of a whole result, in pieces: at most `pageRowsGiven` rows (default: PAGE_ROWS in a text
 * table, STREAM_PAGE_ROWS in csv and json) are read and formatted at a time, so a table produced
 * lazily (a RowSource over every key) is never held whole. The pieces, joined, are
 * exactly what formatResult prints in csv and json; in `table` format the column widths of a table
 * longer than one page are those of the rows seen so far (lines already written are not re-aligned),
 * and a table of at most one page is printed exactly as formatResult prints it.
 *
 * Pull pieces only as fast as they are written (OutputSink.writeEach); closing the generator early
 * (`return()`, or `break` in `for…of`) closes the row iterator it is reading.
 */
export function* resultPieces(result: ReportResult, format: OutputFormat, human: boolean, pageRowsGiven?: number, metrics: MetricSpec = { name: result.report, tables: [] }): Generator<string, void, undefined> {
  const pageRows = pageRowsGiven ?? (format === 'table' ? PAGE_ROWS : STREAM_PAGE_ROWS);
  if (!(pageRows >= 1)) throw new RangeError(`pageRows must be >= 1, got ${pageRows}`);
  if (format === 'prometheus') {
    // Metric tables are small by contract (bounded label sets): written whole.
    yield formatPrometheus(result, metrics);
    return;
  }
  let any = false; // table format: anything printed yet (a blank line goes before each table)
  if (format === 'json') yield jsonPieces.open(result.report, result.notes);
  if (format === 'table' && result.notes.length > 0) {
    yield result.notes.map((note) => terminalSafe(note) + '\n').join('');
    any = true;
  }
  for (const [i, table] of result.tables.entries()) {
    if (format === 'json') yield i === 0 ? '\n' : ',\n';
    else if (format === 'csv' ? i > 0 : any) yield '\n';
    any = true;
    const writer = new PagedTableWriter(format, human, table);
    yield* writer.pages(table.rows, pageRows);
    yield writer.end();
  }
  if (format === 'json') yield jsonPieces.close(result.tables.length > 0);
  else if (format === 'table' && !any) yield '\n';
}

/** What `each` makes of the rows, in pages of `size`; leaving early closes the source. */
function* pagesOf<T>(rows: Row[] | RowSource, size: number, each: (row: Row) => T): Generator<T[], void, undefined> {
  let page: T[] = [];
  for (const row of rows) {
    if (page.push(each(row)) >= size) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

const asIs = (row: Row): Row => row;

/**
 * One table's part of the output, page by page: in csv its header and rows; in json from its name to
 * its `]`; in a text table its title, header and rows (or `(no rows)`). What goes around and between
 * tables — the JSON envelope, notes, blank lines — is resultPieces' part.
 */
export class PagedTableWriter {
  private readonly layout: TableLayout;
  private readonly options: TableOptions;
  private started = false;
  private rows = 0;

  constructor(
    private readonly format: Exclude<OutputFormat, 'prometheus'>,
    human: boolean,
    private readonly table: Pick<ResultTable, 'name' | 'title' | 'columns' | 'vertical'>,
  ) {
    this.options = { human };
    this.layout = new TableLayout(table.columns, this.options);
  }

  /**
   * The text of these rows, page by page. A text table keeps each row's cells, not the row, while the
   * page waits for its column widths: 10 000 rows held whole outlive V8's young generation.
   */
  *pages(rows: Row[] | RowSource, size: number): Generator<string, void, undefined> {
    if (this.format === 'table' && !this.table.vertical) {
      for (const cells of pagesOf(rows, size, (row) => this.layout.rowCells(row))) yield this.cellPage(cells);
    } else {
      for (const page of pagesOf(rows, size, asIs)) yield this.page(page);
    }
  }

  /** Text for the next page of rows (the first page's includes what comes before the rows). */
  page(rows: Row[]): string {
    if (this.format === 'table' && !this.table.vertical) return this.cellPage(this.layout.cells(rows));
    const first = !this.started;
    this.started = true;
    const anyBefore = this.rows > 0;
    this.rows += rows.length;
    const columns = this.table.columns;
    switch (this.format) {
      case 'csv':
        return csvRows(columns, rows, first);
      case 'json':
        return (first ? jsonPieces.table(this.table.name) : '') + jsonPieces.rows(columns, rows, !anyBefore);
      case 'table': // a vertical one (the others: cellPage)
        if (rows.length === 0) return '';
        return (anyBefore ? [''] : this.title()).concat(verticalLines(columns, rows, this.options)).join('\n') + '\n';
    }
  }

  /** A text table's next page, from its rows' cells (TableLayout.rowCells). */
  private cellPage(cells: string[][]): string {
    this.started = true;
    const anyBefore = this.rows > 0;
    this.rows += cells.length;
    if (cells.length === 0) return '';
    this.layout.widen(cells);
    const lines = anyBefore ? this.layout.lines(cells) : this.title().concat(this.layout.head(), this.layout.lines(cells));
    return lines.join('\n') + '\n';
  }

  /** Text after the last page. */
  end(): string {
    switch (this.format) {
      case 'csv':
        return this.started ? '' : this.page([]);
      case 'json':
        return (this.started ? '' : this.page([])) + jsonPieces.tableEnd(this.rows > 0);
      case 'table':
        return this.rows === 0 ? this.title().concat('(no rows)').join('\n') + '\n' : '';
    }
  }

  private title(): string[] {
    return this.table.title ? [terminalSafe(this.table.title)] : [];
  }
}
