import { isoTime, type Cell, type ReportResult } from './result.js';

/** `{report, notes, tables: {name: [rows]}}` with exact numbers; times as ISO 8601. */
export function formatJson(result: ReportResult): string {
  const tables: Record<string, Record<string, Cell | string>[]> = {};
  for (const table of result.tables) {
    tables[table.name] = table.rows.map((row) => {
      const out: Record<string, Cell | string> = {};
      for (const c of table.columns) {
        const v = row[c.name] ?? null;
        out[c.name] = c.kind === 'time' && typeof v === 'number' ? isoTime(v) : v;
      }
      return out;
    });
  }
  return JSON.stringify({ report: result.report, notes: result.notes, tables }, bigintSafe, 2) + '\n';
}

/** Exact 64-bit integers from SQLite (safeIntegers) print as JSON numbers when safe, else strings. */
function bigintSafe(_key: string, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
}
