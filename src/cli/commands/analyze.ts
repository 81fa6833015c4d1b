import { existsSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { resultPieces } from '../../output/paged-writer.js';
import type { ReportResult } from '../../output/result.js';
import { findReport } from '../../reports/registry.js';
import type { ReportOptions } from '../../reports/report.js';
import { instanceOf, listSnapshots, resolveSnapshot } from '../../store/snapshots.js';
import { openStore } from '../../store/open-store.js';
import { instanceOption, parseIntOption, runCommand } from '../exit.js';
import { loadFiles } from '../load-files.js';
import { addMemoryOptions, memorySpecFrom, type MemoryCliOptions } from '../memory-options.js';
import { OutputSink } from '../output-sink.js';

interface AnalyzeCliOptions extends MemoryCliOptions {
  db?: string;
  instance?: string;
  quiet?: boolean;
  top: string;
}

/**
 * What `analyze` shows, in order: which tables of which report. One screen: the summary, then the top
 * of each ranking; growth only when the database holds an earlier snapshot.
 */
const SECTIONS: { report: string; tables: string[]; top?: number }[] = [
  { report: 'summary', tables: ['totals', 'by_type'] },
  { report: 'bigkeys', tables: ['by_memory', 'by_file_bytes'], top: 3 },
  { report: 'untimed', tables: ['untimed'] },
  { report: 'patterns', tables: ['patterns'] },
  { report: 'growth', tables: ['growth', 'shrinking'] },
  { report: 'ttl', tables: ['ttl'] },
];

/** `backups/dump-0412.rdb.gz` → `dump-0412.rdbscope.sqlite` in the current directory. */
export function defaultDbPath(file: string): string {
  const name = basename(file).replace(/\.(gz|lz4)$/i, '').replace(/\.rdb$/i, '');
  return `${name || 'dump'}.rdbscope.sqlite`;
}

export function registerAnalyze(program: Command): void {
  const cmd = program
    .command('analyze')
    .description('load a dump and print the summary and the top of each report (the quick start)')
    .argument('<file>', 'dump file (plain, .gz or .lz4)')
    .option('--db <path.sqlite>', 'database (default: <dump name>.rdbscope.sqlite in the current directory)')
    .option('--instance <name>', 'the server the dump comes from (default: the dump\'s directory name)')
    .option('--top <n>', 'rows per ranking', '5')
    .option('--quiet', 'no progress line');
  addMemoryOptions(cmd).action((file: string, options: AnalyzeCliOptions) =>
    runCommand(async () => {
      const top = parseIntOption('--top', options.top, 1);
      const memory = memorySpecFrom(options);
      const instance = instanceOption(options.instance);
      const dbPath = options.db ?? defaultDbPath(file);
      const created = !existsSync(dbPath);
      const db = openStore(dbPath);
      let keep = true;
      try {
        // Outcome lines go to stderr: stdout is the report.
        const { results, failures } = await loadFiles(db, [file], { quiet: options.quiet, memory, instance, say: (l) => process.stderr.write(l + '\n') });
        const loaded = results[0];
        if (!loaded) {
          // Not a dump at all: don't leave an empty database behind in the user's directory.
          keep = !created;
          return 1;
        }
        const human = process.stdout.isTTY === true;
        const snapshots = listSnapshots(db, instanceOf(resolveSnapshot(db, String(loaded.snapshotId))!));
        // Printed section by section, a page of rows at a time (--top may be large).
        const out = new OutputSink();
        try {
          let printed = 0;
          for (const section of SECTIONS) {
            const report = findReport(section.report)!;
            if (report.name === 'growth') {
              // Compare with the snapshot loaded just before this one, if any.
              const idx = snapshots.findIndex((s) => s.id === loaded.snapshotId);
              if (idx < 1) continue;
            }
            const opts: ReportOptions = report.name === 'growth' ? { top, to: String(loaded.snapshotId) } : { top: section.top ?? top, snapshot: String(loaded.snapshotId) };
            const result = report.run(db, opts);
            const tables = result.tables.filter((t) => section.tables.includes(t.name));
            // The snapshot description is printed once, with the summary.
            const notes = report.name === 'summary' ? result.notes : result.notes.filter((n) => !n.startsWith('snapshot ') && !n.startsWith('memory'));
            const part: ReportResult = { report: report.name, notes: [`== ${report.name} ==`, ...notes], tables };
            if (printed++ > 0) await out.write('\n');
            await out.writeEach(resultPieces(part, 'table', human));
            if (out.closed) break;
          }
          await out.write(`\nDatabase: ${dbPath} (rdbscope report <name> --db ${dbPath} for more; rdbscope sql for ad hoc queries)\n`);
        } finally {
          await out.end();
        }
        return failures > 0 ? 1 : 0;
      } finally {
        db.close();
        if (!keep) for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
      }
    }),
  );
}
