import type { Command } from 'commander';
import type Database from 'better-sqlite3';
import type { Column, Row } from '../../output/result.js';
import { openStore } from '../../store/open-store.js';
import { runCommand, UsageError } from '../exit.js';
import { addOutputOptions, outputFormat, resolveDbPath, type OutputCliOptions } from '../output-options.js';
import { OutputSink } from '../output-sink.js';
import { PagedTableWriter } from '../../output/index.js';

interface SqlCliOptions extends OutputCliOptions {
  db?: string;
}

/** Rows formatted and written at a time. */
const PAGE_ROWS = 10_000;

export function registerSql(program: Command): void {
  const cmd = program
    .command('sql')
    .description('run a read-only SQL query (views: v_keys, v_snapshots, v_patterns; tables: snapshots, keys, pattern_stats, type_stats, ttl_stats, aux)')
    .argument('<query>', 'one SELECT statement')
    .option('--db <path.sqlite>', 'database (default: the only *.rdbscope.sqlite here)');
  addOutputOptions(cmd).action((query: string, options: SqlCliOptions) =>
    runCommand(async () => {
      // Read-only twice over: the connection cannot write, and non-reading statements are refused.
      const db = openStore(resolveDbPath(options.db), { readonly: true });
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
        const format = outputFormat(options.format);
        const rowsOf = stmt.raw().iterate() as IterableIterator<unknown[]>;
        const nextPage = (): Row[] => {
          const page: Row[] = [];
          for (let next = rowsOf.next(); !next.done; next = rowsOf.next()) {
            const row: Row = {};
            next.value.forEach((v, i) => {
              row[names[i]!] = v instanceof Uint8Array ? printableBytes(v) : (v as Row[string]);
            });
            if (page.push(row) === PAGE_ROWS) break;
          }
          return page;
        };
        // Printed page by page: a whole snapshot's keys must not be held (1 M rows took 3.4 GB).
        let page = nextPage();
        // Numbers right-aligned, printed exactly: nothing says which columns are bytes. The kind of a
        // column comes from its first non-null value in the first page.
        const columns: Column[] = names.map((name) => {
          const first = page.find((r) => r[name] !== null)?.[name];
          return { name, kind: typeof first === 'number' || typeof first === 'bigint' ? 'int' : 'text' };
        });
        const human = options.out === undefined && process.stdout.isTTY === true;
        const writer = new PagedTableWriter(format, human, 'sql', 'rows', columns);
        const out = new OutputSink(options.out);
        try {
          while (page.length > 0 && !out.closed) {
            await out.write(writer.page(page));
            page = page.length === PAGE_ROWS ? nextPage() : [];
          }
          await out.write(writer.end());
        } finally {
          rowsOf.return?.();
          await out.end();
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

/** `SELECT a.x, b.x` gives two columns named x: keep both (x, x_2). */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n}_${k}`;
  });
}
