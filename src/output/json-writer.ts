import { isoTime, rowArray, type Cell, type Column, type ReportResult, type Row } from './result.js';

/** `{report, notes, tables: {name: [rows]}}` with exact numbers; times as ISO 8601. */
export function formatJson(result: ReportResult): string {
  const tables: Record<string, Record<string, Cell | string>[]> = {};
  for (const table of result.tables) tables[table.name] = rowArray(table.rows).map((row) => jsonRow(table.columns, row));
  return JSON.stringify({ report: result.report, notes: result.notes, tables }, bigintSafe, 2) + '\n';
}

function jsonRow(columns: Column[], row: Row): Record<string, Cell | string> {
  const out = Object.create(null) as Record<string, Cell | string>; // `__proto__` is a name like any other
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
    const names = memberNames(columns);
    let s = '';
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      s += first && i === 0 ? '\n      ' : ',\n      ';
      s += names === null ? JSON.stringify(jsonRow(columns, row), bigintSafe, 2).replace(/\n/g, '\n      ') : rowText(columns, names, row);
    }
    return s;
  },
  tableEnd(anyRows: boolean): string {
    return anyRows ? '\n    ]' : ']';
  },
  close(anyTables: boolean): string {
    return (anyTables ? '\n  }' : '}') + '\n}\n';
  },
};

/**
 * One row as JSON.stringify(jsonRow(…), bigintSafe, 2) prints it six spaces in, member by member:
 * the replacer and the re-indenting cost ~20 µs a row (`sql` of a million keys). `names` are the
 * columns' names as JSON strings (memberNames).
 */
function rowText(columns: Column[], names: string[], row: Row): string {
  if (columns.length === 0) return '{}';
  let s = '{';
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    s += (i === 0 ? '\n        ' : ',\n        ') + names[i]! + ': ' + valueText(row[c.name] ?? null, c);
  }
  return s + '\n      }';
}

function valueText(v: Cell, c: Column): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return c.kind === 'time' ? JSON.stringify(isoTime(v)) : Number.isFinite(v) ? String(v) : 'null';
  return isSafe(v) ? '' + v : `"${v}"`;
}

/**
 * The columns' names as JSON strings, or null when an object built from them would not keep them
 * in column order, one member each (ECMA-262 OrdinaryOwnPropertyKeys: array-index names come first,
 * ascending; a repeated name is one member): rowText then leaves such rows to JSON.stringify.
 */
function memberNames(columns: Column[]): string[] | null {
  let names = NAMES.get(columns);
  if (names === undefined) {
    const plain = new Set(columns.map((c) => c.name)).size === columns.length && columns.every((c) => !isArrayIndex(c.name));
    names = plain ? columns.map((c) => JSON.stringify(c.name)) : null;
    NAMES.set(columns, names);
  }
  return names;
}

const NAMES = new WeakMap<Column[], string[] | null>();

function isArrayIndex(name: string): boolean {
  const n = Number(name);
  return Number.isInteger(n) && n >= 0 && n < 2 ** 32 - 1 && String(n) === name;
}

/** Exact 64-bit integers from SQLite (safeIntegers) print as JSON numbers when safe, else strings. */
function bigintSafe(_key: string, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  return isSafe(value) ? Number(value) : value.toString();
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An integer a JSON number holds exactly (|v| <= 2^53 - 1). */
function isSafe(v: bigint): boolean {
  return v >= MIN_SAFE && v <= MAX_SAFE;
}
