import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { openStore, type Store } from '../../store/open-store.js';
import { instanceOption, parseIntOption, runCommand, UsageError } from '../exit.js';
import { expandInputs } from '../expand-inputs.js';
import { createdEmpty, loadFiles, removeDatabase } from '../load-files.js';
import { addMemoryOptions, memorySpecFrom, type MemoryCliOptions } from '../memory-options.js';
import { relaxedVersionCheck, relaxedVersionCheckOption, type VersionCheckCliOptions } from '../version-check-option.js';
import { checkDuplicatesOption, type DuplicateCheckCliOptions } from '../duplicate-check-option.js';
import { databaseFileAt } from '../database-files.js';

interface LoadCliOptions extends MemoryCliOptions, VersionCheckCliOptions, DuplicateCheckCliOptions {
  db?: string;
  instance?: string;
  quiet?: boolean;
  jobs: string;
  keysMinBytes?: string;
  topPerPattern?: string;
  worker: boolean;
}

export function registerLoad(program: Command): void {
  const cmd = program
    .command('load')
    .description('load dumps into a SQLite database, one snapshot per file (already-loaded files are skipped)')
    .argument('<files...>', 'dump files, directories (their *.rdb, *.gz, *.lz4) or globs')
    .option('--db <path.sqlite>', 'database to create or add to (required)')
    .option('--instance <name>', 'the server the dumps come from (default: each dump\'s directory name); growth and forecast compare snapshots of one instance')
    .option('--jobs <n>', 'files parsed in parallel (worker threads; one SQLite writer): worth it with more than 2 cores (one load keeps 2 busy); each file in parallel adds ~50 MB of memory', '1')
    .option('--keys-min-bytes <n>', 'per-key rows only for keys of at least this size (memory estimate, else bytes in the file); aggregates stay complete')
    .option('--top-per-pattern <n>', 'per-key rows only for the N biggest keys of each pattern; aggregates stay complete')
    .option('--no-worker', 'parse on the main thread (one file at a time only)')
    .option('--quiet', 'no progress, and no per-file line but for a dump kept as PARTIAL; errors and warnings only')
    .addOption(relaxedVersionCheckOption())
    .addOption(checkDuplicatesOption());
  addMemoryOptions(cmd).action((files: string[], options: LoadCliOptions) =>
    runCommand(async () => {
      if (options.db === undefined) throw new UsageError('load needs --db <path.sqlite>');
      const memory = memorySpecFrom(options);
      const jobs = parseIntOption('--jobs', options.jobs, 1);
      const keysMinBytes = options.keysMinBytes === undefined ? null : parseIntOption('--keys-min-bytes', options.keysMinBytes, 0);
      const topPerPattern = options.topPerPattern === undefined ? null : parseIntOption('--top-per-pattern', options.topPerPattern, 1);
      if (jobs > 1 && !options.worker) throw new UsageError('--jobs needs worker threads (drop --no-worker)');
      if (options.checkDuplicates && (keysMinBytes !== null || topPerPattern !== null)) {
        throw new UsageError('--check-duplicates needs every key\'s row: drop --keys-min-bytes / --top-per-pattern');
      }
      const instance = instanceOption(options.instance);
      const paths = await expandInputs(files);
      if (paths.length === 0) throw new UsageError('no dump files found in the arguments');
      // A dump named as the database too would be made into one (SQLite takes an empty file for an
      // empty database) or be refused as "not a database" after the load's start.
      for (const path of paths) {
        const taken = databaseFileAt(path, options.db);
        if (taken !== null) throw new UsageError(`the dump ${path} is also ${taken} (--db ${options.db}): name another file for --db`);
      }
      const created = !existsSync(options.db);
      let db: Store | undefined;
      // Ctrl-C or a kill while loading into a database this run created: when no file has finished
      // yet, nothing in it is a snapshot, so it goes with its journal rather than stay behind as a
      // half-loaded file (as analyze does). Once a file has finished, the database stays with it;
      // the unfinished snapshot is removed by the next load.
      const dbPath = options.db;
      const abandon = (signal: NodeJS.Signals) => {
        let finished = false;
        try {
          if (db !== undefined) {
            if (db.inTransaction) db.exec('ROLLBACK');
            finished = (db.prepare("SELECT count(*) FROM snapshots WHERE status <> 'loading'").pluck().get() as number) > 0;
            db.close();
          }
        } catch {
          // an interrupted connection: decided on what could be read
        }
        if (!finished) removeDatabase(dbPath);
        process.exit(signal === 'SIGINT' ? 130 : 143);
      };
      const signals = ['SIGINT', 'SIGTERM'] as const;
      // Before the database is opened: a signal during the open is handled once it returns.
      if (created) for (const signal of signals) process.once(signal, abandon);
      try {
        db = openStore(options.db);
      } catch (err) {
        for (const signal of signals) process.off(signal, abandon);
        throw err;
      }
      try {
        const { failures } = await loadFiles(db, paths, {
          quiet: options.quiet, memory, jobs, instance, worker: options.worker, keysMinBytes, topPerPattern,
          relaxedVersionCheck: relaxedVersionCheck(options), checkDuplicates: options.checkDuplicates, say: (l) => process.stdout.write(l + '\n'),
        });
        return failures > 0 ? 1 : 0;
      } catch (err) {
        throw namingDatabase(options.db, err);
      } finally {
        for (const signal of signals) process.off(signal, abandon);
        // Nothing loaded into a database this load created: leave no empty database behind.
        const drop = createdEmpty(db, created);
        db.close();
        if (drop) removeDatabase(options.db);
      }
    }),
  );
}

/**
 * SQLite's errors while writing ("database or disk is full", "attempt to write a readonly database",
 * "disk I/O error") name no file, and a load reads dumps from one place and writes the database in
 * another: the line names the database. Other errors pass as they are.
 */
function namingDatabase(dbPath: string, err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (!(err instanceof Error) || typeof code !== 'string' || !code.startsWith('SQLITE_') || err.message.startsWith(`${dbPath}: `)) return err;
  return Object.assign(new Error(`${dbPath}: ${err.message}`), { code });
}
