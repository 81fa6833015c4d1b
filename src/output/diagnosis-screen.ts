import { humanBytes, humanPercentOrDash } from './human-units.js';
import { rowArray, type ReportResult, type ResultTable, type Row } from './result.js';
import { formatTable } from './table-writer.js';
import { terminalSafe } from './terminal-safe.js';

export interface ScreenOptions {
  /** Human units and lines cut at `width` (a terminal); exact numbers and whole lines otherwise. */
  human: boolean;
  width: number;
}

/**
 * The diagnosis report as one screen read top to bottom: the headline, where the memory is, the big
 * keys each with the command to type under it, one line per eviction policy family, growth. Every
 * cell passes through terminalSafe (keys cannot inject escape sequences). The `headline` table is
 * the notes' content as data (for JSON), so it is not printed again here.
 */
export function formatDiagnosisScreen(result: ReportResult, options: ScreenOptions): string {
  const out: string[] = result.notes.map(terminalSafe);
  // Lines holding a command to type, by the length of the command: cut to the terminal, such a line
  // loses its comment, never part of the command (a cut key names another key, or none).
  const whole = new Map<number, number>();
  const table = (name: string) => result.tables.find((t) => t.name === name);
  const remarks = (section: string) => rowArray(table('remarks')?.rows ?? []).filter((r) => r['section'] === section).map((r) => terminalSafe(String(r['text'])));
  const bytes = (n: unknown) => (n === null || n === undefined ? '-' : options.human ? humanBytes(Number(n)) : String(n));

  const patterns = table('patterns');
  if (patterns) out.push('', ...plainTable(patterns, options));

  const big = table('bigkeys');
  if (big) {
    out.push('', terminalSafe(big.title ?? 'Big keys'));
    const sizeCol = big.columns[3]!.name;
    const rows = rowArray(big.rows);
    // redis-cli starts in db 0 and stays in the db last SELECTed: when a listed key is in another
    // db, each command comes with the SELECT of its key's db, so that any one of them, or all in
    // order, pasted into redis-cli acts on that key.
    const select = rows.some((r) => r['db'] !== 0 && r['command'] !== null);
    // As a table of no rows says it: a heading over nothing reads as a screen cut short.
    if (rows.length === 0) out.push('(no rows)');
    rows.forEach((r, i) => {
      const ttl = r['ttl_s'] === null ? 'no TTL' : `TTL ${r['ttl_s']} s`;
      out.push(`${String(i + 1).padStart(2)}. ${shownText(r['key'])}  ${r['type']}  ${bytes(r[sizeCol])}  ${r['elements']} el.  ${ttl}  (db ${r['db']}, ${shownText(r['pattern'])})`);
      if (select && r['command'] !== null) out.push(`    SELECT ${r['db']}`);
      const command = `    ${r['command'] === null ? '-' : terminalSafe(String(r['command']))}`;
      whole.set(out.length, [...command].length);
      out.push(`${command}   # ${terminalSafe(String(r['why']))}`);
    });
  }

  const ev = table('eviction');
  if (ev) {
    out.push('', terminalSafe(ev.title ?? 'Eviction'));
    const sizeCol = ev.columns[2]!.name;
    for (const r of rowArray(ev.rows)) {
      const what = r['policy'] === 'noeviction' ? 'evicts nothing: writes fail with OOM at maxmemory'
        : `can evict ${r['evictable_keys']} keys, ${bytes(r[sizeCol])} (${humanPercentOrDash(r['evictable_share'] as number | null)})`;
      out.push(`  ${String(r['policy']).padEnd(11)} ${what}`);
    }
    out.push(...remarks('eviction'));
  }

  const growth = table('growth');
  const growthNotes = remarks('growth');
  if (growth || growthNotes.length) {
    out.push('');
    if (growth) out.push(...plainTable(growth, options));
    out.push(...growthNotes);
  }
  const lines = options.human ? out.map((l, i) => cut(l, options.width, whole.get(i) ?? 0)) : out;
  return lines.join('\n') + '\n';
}

function plainTable(t: ResultTable, options: ScreenOptions): string[] {
  const rows: Row[] = rowArray(t.rows);
  return formatTable({ report: '', notes: [], tables: [{ ...t, rows }] }, { human: options.human, maxCellWidth: 40 }).trimEnd().split('\n');
}

/** The line in `width` columns, cut with '…'; its first `keep` characters are never cut. */
function cut(line: string, width: number, keep = 0): string {
  const chars = [...line];
  if (chars.length <= width) return line;
  if (keep >= width - 1) return chars.slice(0, keep).join('');
  return chars.slice(0, width - 1).join('') + '…';
}

/** A key or pattern in a line of text: the empty key (Redis allows it) as redis-cli shows it, `""`. */
function shownText(value: unknown): string {
  const text = String(value);
  return text === '' ? '""' : terminalSafe(text);
}
