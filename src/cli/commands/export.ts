import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { errorCodeIn, isRdbError, keysBeforeFault } from '../../core/errors.js';
import { exportDump, ExportRefusal, exportStoredSnapshot, exportThread, storedPartition, type SnapshotInfo } from '../../export/index.js';
import { openStore } from '../../store/open-store.js';
import { instancesNamedBy, listInstances, listSnapshots, resolveSnapshot, type SnapshotRow } from '../../store/snapshots.js';
import { instanceOption, parseIntOption, runCommand, UsageError } from '../exit.js';
import { expandInputs } from '../expand-inputs.js';
import { addMemoryOptions, memorySpecFrom, type MemoryCliOptions } from '../memory-options.js';
import { ProgressLine, progressEnabled } from '../progress.js';
import { buildNote } from '../build-note.js';

interface ExportCliOptions extends MemoryCliOptions {
  format: string;
  out?: string;
  db?: string;
  snapshot?: string;
  instance?: string;
  keysMinBytes?: string;
  worker: boolean;
  quiet?: boolean;
}

export function registerExport(program: Command): void {
  const cmd = program
    .command('export')
    .description('write each dump (or each snapshot of a database) as Parquet files under DIR/instance=<name>/date=<YYYY-MM-DD>/, for DuckDB, Spark and warehouses')
    .argument('[files...]', 'dump files, directories (their *.rdb, *.gz, *.lz4) or globs')
    .option('--format <format>', 'parquet', 'parquet')
    .option('--out <dir>', 'export directory (required); each snapshot replaces its own partition only')
    .option('--instance <name>', 'the server the dumps come from (default: each dump\'s directory name); with --db: only this instance\'s snapshots')
    .option('--keys-min-bytes <n>', 'key rows only for keys of at least this size (memory estimate, else bytes in the file), as load; patterns stay complete')
    .option('--db <path.sqlite>', 'export snapshots of this database instead of dumps (every finished one, or --snapshot)')
    .option('--snapshot <id|name>', 'with --db: only this snapshot')
    .option('--no-worker', 'parse on the main thread')
    .option('--quiet', 'no progress, and no per-file line but for a dump kept as PARTIAL; errors and warnings only');
  addMemoryOptions(cmd).action((files: string[], options: ExportCliOptions) =>
    runCommand(async () => {
      if (options.format !== 'parquet') throw new UsageError(`--format must be parquet, got ${JSON.stringify(options.format)}`);
      if (options.out === undefined) throw new UsageError('export needs --out <dir>');
      // An empty path (`--out "$DIR"` with DIR unset) named no directory: the partitions went to the
      // current directory before the export failed on reading '' back (ENOENT scandir '').
      if (options.out === '') throw new UsageError('--out is empty: give the export directory');
      // Said up front: a file there failed only at the first write, after the dump's first row group,
      // as a bare ENOTDIR naming a temporary file.
      if (statSync(options.out, { throwIfNoEntry: false })?.isDirectory() === false) throw new UsageError(`--out ${options.out} is not a directory`);
      const instance = instanceOption(options.instance);
      const say = (line: string) => {
        if (!options.quiet) process.stdout.write(line + '\n');
      };
      const written = new Map<string, string>();
      /** Two snapshots of one instance on one day share a partition: the later export replaces the earlier. */
      const place = (s: SnapshotInfo, dir: string) => {
        const before = written.get(dir);
        if (before !== undefined) process.stderr.write(`rdbscope: ${s.path} replaced ${before} in ${dir} (one snapshot per instance and day)\n`);
        written.set(dir, s.path);
      };
      if (options.db !== undefined) {
        if (files.length > 0) throw new UsageError('export takes dump files or --db, not both');
        if (options.keysMinBytes !== undefined) throw new UsageError('--keys-min-bytes applies to dumps; a snapshot exports the rows its load kept');
        // A stored snapshot carries the estimates of its load: these were ignored without a word.
        for (const [flag, value] of [['--server', options.server], ['--redis-conf', options.redisConf]] as const) {
          if (value !== undefined) throw new UsageError(`${flag} applies to dumps; a snapshot exports the memory estimates of its load (load it again with ${flag} to change them)`);
        }
        if (!existsSync(options.db)) throw new UsageError(`no database at ${options.db}`);
        const db = openStore(options.db, { readonly: true });
        try {
          let snapshots: SnapshotRow[];
          if (options.snapshot !== undefined) {
            const several = instancesNamedBy(db, options.snapshot, instance);
            if (several !== null) throw new UsageError(`${JSON.stringify(options.snapshot)} names snapshots of ${several.length} instances (${several.join(', ')}): add --instance <name>, or give the snapshot's id`);
            const one = resolveSnapshot(db, options.snapshot, instance);
            if (one === undefined) throw new UsageError(`no finished snapshot ${JSON.stringify(options.snapshot)}${instance === undefined ? '' : ` of instance ${JSON.stringify(instance)}`} in ${options.db}`);
            snapshots = [one];
          } else snapshots = listSnapshots(db, instance);
          if (snapshots.length === 0) {
            // An --instance no snapshot has (a typo) is named with the instances there are, as `report` does;
            // it read as a database without any snapshot.
            if (instance !== undefined) throw new UsageError(`no finished snapshot of instance ${JSON.stringify(instance)} in ${options.db}; instances: ${listInstances(db).join(', ') || 'none'}`);
            throw new UsageError(`no finished snapshot in ${options.db}`);
          }
          let refused = 0;
          let stoppedHalfway = 0;
          for (const s of onePerPartition(snapshots)) {
            try {
              const { snapshot, dir } = exportStoredSnapshot(db, s, options.out);
              place(snapshot, dir);
              say(`snapshot ${s.id} (${s.file_name}): ${snapshot.keyRows} key rows of ${snapshot.keyCount} keys, ${snapshot.status}, to ${dir}`);
              // Exported from a dump that stops halfway: the verdict its load gave (error line, exit 1,
              // even with --quiet), as an export of the dump itself gives it (docs/fleet.md, exit codes).
              if (s.status === 'partial') {
                stoppedHalfway++;
                process.stderr.write(`rdbscope: ${s.error ?? `${s.path}: the dump stops halfway`} (snapshot ${s.id} is PARTIAL: ${keysBeforeFault(errorCodeIn(s.error), snapshot.keyCount)}; exported to ${dir})\n`);
              }
            } catch (err) {
              // One snapshot refused does not stop the others (docs/fleet.md, exit codes).
              if (!(err instanceof ExportRefusal)) throw err;
              refused++;
              process.stderr.write(`rdbscope: ${err.message}\n`);
            }
          }
          return refused + stoppedHalfway > 0 ? 1 : 0;
        } finally {
          db.close();
        }
      }
      if (options.snapshot !== undefined) throw new UsageError('--snapshot goes with --db');
      const memory = memorySpecFrom(options);
      const keysMinBytes = options.keysMinBytes === undefined ? null : parseIntOption('--keys-min-bytes', options.keysMinBytes, 0);
      if (files.length === 0) throw new UsageError('export needs dump files or --db <path.sqlite>');
      const paths = await expandInputs(files);
      if (paths.length === 0) throw new UsageError('no dump files found in the arguments');
      let failures = 0;
      // One worker thread for every dump, as a load lane (worker-rows.ts LoadWorker).
      const thread = options.worker ? exportThread() : null;
      try {
        for (const path of paths) {
          const progress = new ProgressLine(path, progressEnabled(options.quiet));
          const started = Date.now();
          try {
            const res = await exportDump({ path, outDir: options.out, instance, memory, keysMinBytes, thread, onProgress: (p) => progress.update(p) });
            progress.done();
            place(res.snapshot, res.dir);
            const secs = ((Date.now() - started) / 1000).toFixed(1);
            const rows = res.snapshot.keyRows === res.snapshot.keyCount ? '' : ` (${res.snapshot.keyRows} key rows)`;
            if (res.error) {
              failures++;
              process.stderr.write(`rdbscope: ${res.error.message}\n`);
              process.stdout.write(`${path}: exported as PARTIAL: ${keysBeforeFault(res.error.code, res.snapshot.keyCount)}${rows}, to ${res.dir} (${secs}s)\n`);
            } else say(`${path}: exported ${res.snapshot.keyCount} keys${rows} to ${res.dir} in ${secs}s${buildNote(res)}`);
          } catch (err) {
            progress.done();
            // A dump that cannot be read or is refused (ExportRefusal) does not stop the next ones.
            if (!isRdbError(err) && !(err instanceof ExportRefusal)) throw err;
            failures++;
            process.stderr.write(`rdbscope: ${err.message}\n`);
          }
        }
      } finally {
        await thread?.close();
      }
      return failures > 0 ? 1 : 0;
    }),
  );
}

/**
 * Of the snapshots one partition (instance and day) would get, the one it keeps: the latest complete
 * one, else the latest. Exported in time order they replaced each other, so a PARTIAL dump later in
 * the day (a cut retry) took the place of that day's whole one. The others are named on stderr.
 */
function onePerPartition(snapshots: readonly SnapshotRow[]): SnapshotRow[] {
  const byPartition = new Map<string, SnapshotRow[]>();
  const kept: SnapshotRow[] = [];
  for (const s of snapshots) {
    const partition = storedPartition(s);
    // No partition (an instance no directory can be named): exported alone, and refused with the reason.
    if (partition === null) kept.push(s);
    else byPartition.set(partition, [...(byPartition.get(partition) ?? []), s]);
  }
  for (const [partition, group] of byPartition) {
    const chosen = [...group].reverse().find((s) => s.status === 'complete') ?? group.at(-1)!;
    for (const s of group) {
      if (s === chosen) continue;
      const why = chosen.status === 'complete' && s.status !== 'complete' ? `it is PARTIAL and snapshot ${chosen.id} (${chosen.file_name}) is complete` : `snapshot ${chosen.id} (${chosen.file_name}) is later`;
      process.stderr.write(`rdbscope: snapshot ${s.id} (${s.file_name}) not exported: ${why}, and ${partition} holds one snapshot per instance and day\n`);
    }
    kept.push(chosen);
  }
  const order = new Map(snapshots.map((s, i) => [s, i]));
  return kept.sort((a, b) => order.get(a)! - order.get(b)!);
}
