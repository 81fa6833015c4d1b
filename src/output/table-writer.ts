import { humanBytes, humanPercent } from './human-units.js';
import { isoTime, type Cell, type Column, type ReportResult, type ResultTable } from './result.js';
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
  if (table.rows.length === 0) {
    lines.push('(no rows)');
    return lines.join('\n');
  }
  const header = table.columns.map((c) => terminalSafe(c.name));
  const cells = table.rows.map((row) => table.columns.map((c) => formatCell(row[c.name] ?? null, c, options)));
  // A loop, not Math.max(...cells): `sql` may print a million rows, past the argument limit.
  const widths = header.map((h) => width(h));
  for (const r of cells) for (let i = 0; i < r.length; i++) widths[i] = Math.max(widths[i]!, width(r[i]!));
  const right = table.columns.map((c) => c.kind !== 'text' && c.kind !== 'time');
  const line = (r: string[]) => r.map((v, i) => (right[i] ? pad(v, widths[i]!, true) : i === r.length - 1 ? v : pad(v, widths[i]!, false))).join('  ');
  lines.push(line(header));
  lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells) lines.push(line(r).trimEnd());
  return lines.join('\n');
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
      case 'time':
        return isoTime(n);
      default:
        return String(value);
    }
  }
  const text = terminalSafe(value);
  const max = options.maxCellWidth ?? 80;
  return options.human && width(text) > max ? [...text].slice(0, max - 1).join('') + '…' : text;
}

function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
}
