import { csvRows } from './csv-writer.js';
import { jsonPieces } from './json-writer.js';
import type { Column, OutputFormat, Row } from './result.js';
import { TableLayout } from './table-writer.js';

/**
 * One table written page by page, for results too big to hold at once (`sql` over a whole
 * snapshot: a million rows took 3.4 GB formatted in one piece). The pieces, joined, are what
 * formatResult prints for a result holding just this table, except that in `table` format the column
 * widths are those of the rows seen so far (lines already written are not re-aligned).
 */
export class PagedTableWriter {
  private readonly layout: TableLayout;
  private started = false;
  private rows = 0;

  constructor(
    private readonly format: OutputFormat,
    human: boolean,
    private readonly report: string,
    private readonly name: string,
    private readonly columns: Column[],
  ) {
    this.layout = new TableLayout(columns, { human });
  }

  /** Text for the next page of rows (the first page's includes what comes before the rows). */
  page(rows: Row[]): string {
    const first = !this.started;
    this.started = true;
    const anyBefore = this.rows > 0;
    this.rows += rows.length;
    switch (this.format) {
      case 'csv':
        return csvRows(this.columns, rows, first);
      case 'json':
        return (first ? jsonPieces.open(this.report, [], this.name) : '') + jsonPieces.rows(this.columns, rows, !anyBefore);
      case 'table': {
        if (rows.length === 0) return '';
        const cells = this.layout.cells(rows);
        this.layout.widen(cells);
        const lines = anyBefore ? this.layout.lines(cells) : this.layout.head().concat(this.layout.lines(cells));
        return lines.join('\n') + '\n';
      }
    }
  }

  /** Text after the last page. */
  end(): string {
    const pre = this.started ? '' : this.page([]);
    switch (this.format) {
      case 'csv':
        return pre;
      case 'json':
        return pre + jsonPieces.close(this.rows > 0);
      case 'table':
        return this.rows === 0 ? '(no rows)\n' : '';
    }
  }
}
