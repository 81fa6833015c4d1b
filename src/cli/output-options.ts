import { existsSync, readdirSync } from 'node:fs';
import type { Command } from 'commander';
import { resultPieces } from '../output/paged-writer.js';
import { OUTPUT_FORMATS, type MetricSpec, type OutputFormat, type ReportResult } from '../output/result.js';
import { UsageError } from './exit.js';
import { OutputSink } from './output-sink.js';

export interface OutputCliOptions {
  format: string;
  out?: string;
}

export function addOutputOptions(cmd: Command, formats = 'table | csv | json'): Command {
  return cmd
    .option('--format <format>', formats, 'table')
    .option('--out <file>', 'write to this file instead of stdout');
}

/** The --format value, checked against what the command (or report) can write. */
export function outputFormat(value: string, allowed: readonly OutputFormat[] = OUTPUT_FORMATS): OutputFormat {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--format must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as OutputFormat;
}

/**
 * Writes a result to --out or stdout a page at a time with back-pressure, reading lazily produced rows
 * only as they are written, and stops reading when the reader leaves (`| head`). Tables get human
 * units only on a terminal.
 */
export async function emitResult(result: ReportResult, options: OutputCliOptions, metrics?: MetricSpec): Promise<void> {
  const format = outputFormat(options.format, metrics ? [...OUTPUT_FORMATS, 'prometheus'] : OUTPUT_FORMATS);
  const human = options.out === undefined && process.stdout.isTTY === true;
  const out = new OutputSink(options.out);
  try {
    await out.writeEach(resultPieces(result, format, human, undefined, metrics));
  } catch (err) {
    out.abort();
    throw err;
  }
  await out.end();
}

/**
 * The database for `report` / `sql`: --db, else the only `*.rdbscope.sqlite` in the current
 * directory (what `analyze` creates there).
 */
export function resolveDbPath(db: string | undefined): string {
  if (db !== undefined) {
    if (!existsSync(db)) throw new UsageError(`no database at ${db} (create it with rdbscope load or analyze)`);
    return db;
  }
  const found = readdirSync('.').filter((n) => n.endsWith('.rdbscope.sqlite'));
  if (found.length === 1) return found[0]!;
  throw new UsageError(found.length === 0 ? 'no database given: use --db <path.sqlite>' : `several databases here (${found.join(', ')}): choose one with --db`);
}
