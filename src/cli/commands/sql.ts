import type { Command } from 'commander';
import type Database from 'better-sqlite3';
import type { Column, Row, RowSource } from '../../output/result.js';
import { PAGE_ROWS } from '../../output/paged-writer.js';
import { openStore } from '../../store/open-store.js';
import { runCommand, UsageError } from '../exit.js';
import { checkOutTarget } from '../out-target.js';
import { addOutputOptions, emitResult, outputFormat, resolveDbPath, type OutputCliOptions } from '../output-options.js';
import { refuseDatabaseAsOutput } from '../report-options.js';

interface SqlCliOptions extends OutputCliOptions {
  db?: string;
}

export function registerSql(program: Command): void {
  const cmd = program
    .command('sql')
    .description('run a read-only SQL query (views: v_keys, v_snapshots, v_patterns; tables: snapshots, keys, pattern_stats, type_stats, ttl_stats, size_stats, aux; schema: docs/database.md)')
    .argument('<query>', 'one SELECT statement')
    .option('--db <path.sqlite>', 'database (default: the only *.rdbscope.sqlite here)');
  addOutputOptions(cmd).action((query: string, options: SqlCliOptions) =>
    runCommand(async () => {
      // Read-only twice over: the connection cannot write, and non-reading statements are refused.
      const dbPath = resolveDbPath(options.db);
      refuseDatabaseAsOutput(options.out, dbPath);
      if (options.out !== undefined) checkOutTarget(options.out, '--out', 'the output');
      const db = openStore(dbPath, { readonly: true });
      try {
        let stmt: Database.Statement;
        try {
          stmt = db.prepare(query);
        } catch (err) {
          throw new UsageError(`bad query: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (!stmt.readonly || !stmt.reader) throw new UsageError('only read-only queries that return rows (SELECT …) are allowed');
        stmt.safeIntegers(true); // 64-bit values (expire times, sizes) print exactly
        const names = uniqueNames(stmt.columns().map((c) => c.name));
        outputFormat(options.format); // a bad --format is refused before the query runs
        const toRow = (values: unknown[]): Row => {
          // No prototype: a column may be named `__proto__` (or `constructor`) like any other.
          const row: Row = Object.create(null) as Row;
          for (let i = 0; i < values.length; i++) {
            const v = values[i];
            row[names[i]!] = v instanceof Uint8Array ? printableBytes(v) : (v as Row[string]);
          }
          return row;
        };
        const raw = stmt.raw().iterate() as IterableIterator<unknown[]>;
        try {
          // Numbers right-aligned, printed exactly: nothing says which columns are bytes. The kind of a
          // column comes from its first non-null value in the first page.
          const first: Row[] = [];
          for (let next = raw.next(); !next.done; next = raw.next()) if (first.push(toRow(next.value)) === PAGE_ROWS) break;
          const columns: Column[] = names.map((name) => {
            const v = first.find((r) => r[name] !== null)?.[name];
            return { name, kind: typeof v === 'number' || typeof v === 'bigint' ? 'int' : 'text' };
          });
          // Printed page by page: a whole snapshot's keys must not be held (1 M rows took 3.4 GB).
          // One pass: the page read above, then the rest of the statement.
          const rows: RowSource = {
            *[Symbol.iterator]() {
              yield* first.splice(0);
              for (const values of raw) yield toRow(values);
            },
          };
          await emitResult({ report: 'sql', notes: [], tables: [{ name: 'rows', columns, rows }] }, options);
        } finally {
          raw.return?.();
        }
      } finally {
        db.close();
      }
    }),
  );
}

/** BLOBs (the `key` column) as redis-cli prints binary: printable ASCII kept, the rest \xNN. */
function printableBytes(b: Uint8Array): string {
  let s = '';
  for (const byte of b) s += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : byte === 0x5c ? '\\\\' : `\\x${byte.toString(16).padStart(2, '0')}`;
  return s;
}

/**
 * `SELECT a.x, b.x` gives two columns named x: keep both (x, x_2). A renamed column takes a name no
 * other column has (`SELECT 1 AS x, 2 AS x, 3 AS x_2` → x, x_3, x_2): a row holds one value per name,
 * so a clash would print one column's value under both.
 */
function uniqueNames(names: string[]): string[] {
  const taken = new Set(names);
  const seen = new Set<string>();
  return names.map((n) => {
    if (!seen.has(n)) {
      seen.add(n);
      return n;
    }
    let k = 2;
    while (taken.has(`${n}_${k}`)) k++;
    const name = `${n}_${k}`;
    taken.add(name);
    return name;
  });
}
