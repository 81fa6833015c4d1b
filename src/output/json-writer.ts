import { isoTime, rowArray, type Cell, type Column, type ReportResult, type Row } from './result.js';

/** `{report, notes, tables: {name: [rows]}}` with exact numbers; times as ISO 8601. */
export function formatJson(result: ReportResult): string {
  const tables: Record<string, Record<string, Cell | string>[]> = {};
  for (const table of result.tables) tables[table.name] = rowArray(table.rows).map((row) => jsonRow(table.columns, row));
  return JSON.stringify({ report: result.report, notes: result.notes, tables }, bigintSafe, 2) + '\n';
}

function jsonRow(columns: Column[], row: Row): Record<string, Cell | string> {
  const out: Record<string, Cell | string> = {};
  for (const c of columns) {
    const v = row[c.name] ?? null;
    out[c.name] = c.kind === 'time' && typeof v === 'number' ? isoTime(v) : v;
  }
  return out;
}

/**
 * formatJson in pieces (resultPieces): `open` up to the `{` holding the tables; per table, `'\n'`
 * before the first and `',\n'` before the others, `table` up to its `[`, `rows` for each page (`first`:
 * no row of this table written yet), `tableEnd`; then `close`. Joined, they are exactly what
 * formatJson prints.
 */
export const jsonPieces = {
  open(report: string, notes: string[]): string {
    const notesJson = JSON.stringify(notes, null, 2).replace(/\n/g, '\n  ');
    return `{\n  "report": ${JSON.stringify(report)},\n  "notes": ${notesJson},\n  "tables": {`;
  },
  table(name: string): string {
    return `    ${JSON.stringify(name)}: [`;
  },
  rows(columns: Column[], rows: Row[], first: boolean): string {
    let s = '';
    rows.forEach((row, i) => {
      s += (first && i === 0 ? '\n' : ',\n') + '      ' + JSON.stringify(jsonRow(columns, row), bigintSafe, 2).replace(/\n/g, '\n      ');
    });
    return s;
  },
  tableEnd(anyRows: boolean): string {
    return anyRows ? '\n    ]' : ']';
  },
  close(anyTables: boolean): string {
    return (anyTables ? '\n  }' : '}') + '\n}\n';
  },
};

/** Exact 64-bit integers from SQLite (safeIntegers) print as JSON numbers when safe, else strings. */
function bigintSafe(_key: string, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}
