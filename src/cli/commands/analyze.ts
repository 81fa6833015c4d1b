import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { formatDiagnosisScreen } from '../../output/diagnosis-screen.js';
import { formatJson } from '../../output/json-writer.js';
import { diagnosis } from '../../reports/diagnosis.js';
import { openStore, type Store } from '../../store/open-store.js';
import { instanceOption, parseIntOption, runCommand, UsageError } from '../exit.js';
import { createdEmpty, loadFiles, removeDatabase } from '../load-files.js';
import { addMemoryOptions, memorySpecFrom, type MemoryCliOptions } from '../memory-options.js';
import { relaxedVersionCheck, relaxedVersionCheckOption, type VersionCheckCliOptions } from '../version-check-option.js';
import { checkDuplicatesOption, type DuplicateCheckCliOptions } from '../duplicate-check-option.js';
import { sizeOption } from '../memory-size.js';
import { readMemoryLimits } from '../redis-conf-limits.js';
import { OutputSink } from '../output-sink.js';
import { outputFormat } from '../output-options.js';
import { databaseFileAt, sameFile } from '../database-files.js';
import { HTML_TOP_DEFAULT, writeHtmlReport } from './html.js';
import { checkOutTarget } from '../out-target.js';

interface AnalyzeCliOptions extends MemoryCliOptions, VersionCheckCliOptions, DuplicateCheckCliOptions {
  db?: string;
  instance?: string;
  quiet?: boolean;
  top: string;
  format: string;
  maxmemory?: string;
  html?: string;
}

/** `backups/dump-0412.rdb.gz` → `dump-0412.rdbscope.sqlite` in the current directory. */
export function defaultDbPath(file: string): string {
  const name = basename(file).replace(/\.(gz|lz4)$/i, '').replace(/\.rdb$/i, '');
  return `${name || 'dump'}.rdbscope.sqlite`;
}

/** Width of the screen when stdout is a terminal that does not say (and the width the layout aims at). */
const SCREEN_WIDTH = 100;

export function registerAnalyze(program: Command): void {
  const cmd = program
    .command('analyze')
    .description('load a dump and print the diagnosis on one screen: where the memory is, big keys with the command that fixes each, eviction, growth')
    .argument('<file>', 'dump file (plain, .gz or .lz4)')
    .option('--db <path.sqlite>', 'database (default: <dump name>.rdbscope.sqlite in the current directory)')
    .option('--instance <name>', 'the server the dump comes from (default: the dump\'s directory name)')
    .option('--top <n>', 'patterns and big keys shown', '5')
    .option('--maxmemory <size>', 'the server\'s maxmemory (4gb, 512mb, bytes): used memory against it and the forecast\'s dates; also read from --redis-conf')
    .option('--format <format>', 'table (the screen) | json (the same content, for scripts)', 'table')
    .option('--quiet', 'no progress, and no line saying how the dump was loaded (stderr) but for a dump kept as PARTIAL; errors and warnings only')
    .option('--html <file.html>', `also write the self-contained HTML report (rdbscope html, --top ${HTML_TOP_DEFAULT}) to this file`)
    .addOption(relaxedVersionCheckOption())
    .addOption(checkDuplicatesOption());
  addMemoryOptions(cmd).action((file: string, options: AnalyzeCliOptions) =>
    runCommand(async () => {
      const top = parseIntOption('--top', options.top, 1);
      const format = outputFormat(options.format, ['table', 'json']);
      const memory = memorySpecFrom(options);
      const instance = instanceOption(options.instance);
      const maxmemory = sizeOption('--maxmemory', options.maxmemory) ?? (options.redisConf !== undefined ? readMemoryLimits(options.redisConf).maxmemory : undefined);
      const dbPath = options.db ?? defaultDbPath(file);
      const taken = databaseFileAt(file, dbPath);
      if (taken !== null) throw new UsageError(`the dump ${file} is also ${taken} (--db ${dbPath}): name another file for --db`);
      if (options.html !== undefined) checkPagePath(options.html, file, dbPath);
      const created = !existsSync(dbPath);
      let opened: Store | undefined;
      // Ctrl-C or a kill during the load into a database this run created: nothing in it is a
      // finished snapshot yet, so it goes, with its journal, rather than stay in the user's directory
      // as a half-loaded file. A database that was there before keeps what it held (the next load
      // removes the unfinished snapshot).
      const abandon = (signal: NodeJS.Signals) => {
        try {
          opened?.close();
        } catch {
          // closing an interrupted connection: the files go anyway
        }
        removeDatabase(dbPath);
        process.exit(signal === 'SIGINT' ? 130 : 143);
      };
      // Before the database is opened: a signal during the open is handled once it returns, instead
      // of ending the process with a half-made database left behind.
      if (created) for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, abandon);
      let db: Store;
      try {
        db = opened = openStore(dbPath);
      } catch (err) {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, abandon);
        throw err;
      }
      try {
        // Outcome lines go to stderr: stdout is the report.
        const { results, failures } = await loadFiles(db, [file], {
          quiet: options.quiet, memory, instance, relaxedVersionCheck: relaxedVersionCheck(options), checkDuplicates: options.checkDuplicates,
          say: (l) => process.stderr.write(l + '\n'),
        }).finally(() => {
          for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, abandon);
        });
        const loaded = results[0];
        if (!loaded) return 1;
        const result = diagnosis.run(db, { snapshot: String(loaded.snapshotId), top, maxmemory });
        const out = new OutputSink();
        try {
          if (format === 'json') {
            await out.write(formatJson(result));
          } else {
            const human = process.stdout.isTTY === true;
            await out.write(formatDiagnosisScreen(result, { human, width: process.stdout.columns || SCREEN_WIDTH }));
            await out.write(`\nDatabase: ${dbPath} — more: rdbscope report <diagnosis|summary|bigkeys|patterns|untimed|eviction|capacity|forecast|growth|ttl> --db ${dbPath}\n`);
          }
        } finally {
          await out.end();
        }
        if (options.html !== undefined) {
          writeHtmlReport(db, { snapshot: String(loaded.snapshotId), top: Number(HTML_TOP_DEFAULT), maxmemory, dbPath }, options.html);
          if (options.quiet !== true) process.stderr.write(`wrote ${options.html}\n`);
        }
        return failures > 0 ? 1 : 0;
      } finally {
        // Not a dump at all: don't leave an empty database behind in the user's directory.
        const drop = createdEmpty(db, created);
        db.close();
        if (drop) removeDatabase(dbPath);
      }
    }),
  );
}

/**
 * Where --html cannot put a page, found before the load (which can take minutes), not after it: a
 * directory, a directory that does not exist, the dump itself or the database and its side files.
 */
function checkPagePath(html: string, dump: string, dbPath: string): void {
  checkOutTarget(html, '--html', 'the page');
  if (sameFile(html, dump)) throw new UsageError(`--html ${html} is the dump the page is made from: give the page another name`);
  const named = databaseFileAt(html, dbPath);
  if (named !== null) throw new UsageError(`--html ${html} is ${named} the page is made from: give the page another name`);
}
