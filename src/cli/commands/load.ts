import type { Command } from 'commander';
import { openStore } from '../../store/open-store.js';
import { runCommand, UsageError } from '../exit.js';
import { expandInputs } from '../expand-inputs.js';
import { loadFiles } from '../load-files.js';
import { addMemoryOptions, memoryModelFrom, type MemoryCliOptions } from '../memory-options.js';

interface LoadCliOptions extends MemoryCliOptions {
  db?: string;
  quiet?: boolean;
}

export function registerLoad(program: Command): void {
  const cmd = program
    .command('load')
    .description('load dumps into a SQLite database, one snapshot per file (already-loaded files are skipped)')
    .argument('<files...>', 'dump files, directories (their *.rdb, *.gz, *.lz4) or globs')
    .option('--db <path.sqlite>', 'database to create or add to (required)')
    .option('--quiet', 'no progress and no per-file lines; errors only');
  addMemoryOptions(cmd).action((files: string[], options: LoadCliOptions) =>
    runCommand(async () => {
      if (options.db === undefined) throw new UsageError('load needs --db <path.sqlite>');
      const memoryModel = memoryModelFrom(options);
      const paths = await expandInputs(files);
      if (paths.length === 0) throw new UsageError('no dump files found in the arguments');
      const db = openStore(options.db);
      try {
        const { failures } = await loadFiles(db, paths, { quiet: options.quiet, memoryModel, say: (l) => process.stdout.write(l + '\n') });
        return failures > 0 ? 1 : 0;
      } finally {
        db.close();
      }
    }),
  );
}
