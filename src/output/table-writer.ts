import { humanBytes, humanPercent, humanTime } from './human-units.js';
import { cellColumn, isoTime, rowArray, type Cell, type Column, type ReportResult, type ResultTable, type Row } from './result.js';
import { terminalSafe } from './terminal-safe.js';

export interface TableOptions {
  /** Human byte units and truncated long cells (a terminal); exact byte counts otherwise. */
  human: boolean;
  /** Longest text cell in human mode. */
  maxCellWidth?: number;
}

/** Aligned plain-text tables: text left, numbers right; every cell passed through terminalSafe. */
export function formatTable(result: ReportResult, options: TableOptions): string {
  const parts: string[] = [];
  for (const note of result.notes) parts.push(terminalSafe(note));
  for (const table of result.tables) {
    if (parts.length) parts.push('');
    parts.push(formatOne(table, options));
  }
  return parts.join('\n') + '\n';
}

function formatOne(table: ResultTable, options: TableOptions): string {
  const lines: string[] = [];
  if (table.title) lines.push(terminalSafe(table.title));
  const rows = rowArray(table.rows);
  if (rows.length === 0) {
    lines.push('(no rows)');
    return lines.join('\n');
  }
  if (table.vertical) return lines.concat(verticalLines(table.columns, rows, options)).join('\n');
  const layout = new TableLayout(table.columns, options);
  const cells = layout.cells(rows);
  layout.widen(cells);
  return lines.concat(layout.head(), layout.lines(cells)).join('\n');
}

/**
 * Column widths and alignment of one table, kept across pages of rows (PagedTableWriter): widths
 * only grow, so lines already written stay as they were.
 */
export class TableLayout {
  private readonly header: string[];
  private readonly widths: number[];
  private readonly right: boolean[];

  constructor(
    private readonly columns: Column[],
    private readonly options: TableOptions,
  ) {
    this.header = columns.map((c) => terminalSafe(c.name));
    this.widths = this.header.map((h) => width(h));
    this.right = columns.map((c) => c.kind !== 'text' && c.kind !== 'time');
  }

  cells(rows: Row[]): string[][] {
    return rows.map((row) => this.rowCells(row));
  }

  rowCells(row: Row): string[] {
    // A row's unit (Column.unitFrom) for a person only: piped, a figure stays as its column prints it.
    return this.columns.map((c) => formatCell(row[c.name] ?? null, this.options.human ? cellColumn(c, row) : c, this.options));
  }

  /** Widens the columns to fit these cells (a loop, not Math.max(...): a page may hold a million rows). */
  widen(cells: string[][]): void {
    const widths = this.widths;
    for (const r of cells) for (let i = 0; i < r.length; i++) widths[i] = Math.max(widths[i]!, width(r[i]!));
  }

  /** The header line and its underline. */
  head(): string[] {
    return [this.line(this.header), this.widths.map((w) => '-'.repeat(w)).join('  ')];
  }

  lines(cells: string[][]): string[] {
    return cells.map((r) => this.line(r).trimEnd());
  }

  private line(r: string[]): string {
    const widths = this.widths;
    return r.map((v, i) => (this.right[i] ? pad(v, widths[i]!, true) : i === r.length - 1 ? v : pad(v, widths[i]!, false))).join('  ');
  }
}

/**
 * A table of figures as `name  value` lines, a block per row (a one-row table of a dozen figures
 * reads down a screen, not across two).
 */
export function verticalLines(columns: Column[], rows: Row[], options: TableOptions): string[] {
  const names = columns.map((c) => terminalSafe(c.name));
  const w = Math.max(...names.map(width));
  const out: string[] = [];
  rows.forEach((row, i) => {
    if (i > 0) out.push('');
    columns.forEach((c, j) => out.push(`${pad(names[j]!, w, false)}  ${formatCell(row[c.name] ?? null, options.human ? cellColumn(c, row) : c, options)}`));
  });
  return out;
}

export function formatCell(value: Cell, column: Column, options: TableOptions): string {
  if (value === null) return '-';
  if (typeof value === 'number' || typeof value === 'bigint') {
    const n = Number(value);
    switch (column.kind) {
      case 'bytes':
        return options.human ? humanBytes(n) : String(value);
      // Shares are for reading, in any table; csv/json keep the exact fraction.
      case 'percent':
        return humanPercent(n);
      case 'float':
        return n.toFixed(2);
      case 'days':
        return options.human ? `${n.toFixed(1)} d` : n.toFixed(2);
      // ISO 8601 when piped (exact, what a script parses), to the second on a terminal.
      case 'time':
        return options.human ? humanTime(n) : isoTime(n);
      default:
        return String(value);
    }
  }
  // The empty key (Redis allows it) as redis-cli shows it: a blank cell reads as a missing value.
  if (value === '') return '""';
  const text = terminalSafe(value);
  const max = options.maxCellWidth ?? 80;
  if (options.human && column.whole !== true && width(text) > max) return [...text].slice(0, max - 1).join('') + '…';
  return column.whole !== true && text.length > TEXT_CELL_MAX ? cutCell(text) : text;
}

/**
 * Characters a text cell keeps in any table (csv and json keep every one). A key name may be 512 MB
 * (its printable form up to 256 Mi characters, printable.ts): padded into a column, its table would
 * pass V8's longest string and fail the report. Whole cells (commands) are bounded where they are
 * made (remedy-command.ts).
 */
const TEXT_CELL_MAX = 1 << 16;

function cutCell(text: string): string {
  let end = TEXT_CELL_MAX;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--; // not half a surrogate pair
  return `${text.slice(0, end)}…(+${text.length - end} characters)`;
}

/** Code points in s (`[...s].length`): UTF-16 units less one per surrogate pair, without an array per cell. */
function width(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function pad(s: string, w: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
}
