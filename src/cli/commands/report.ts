import type { Command } from 'commander';
import { REPORTS, findReport, ReportInputError } from '../../reports/index.js';
import { openStore } from '../../store/open-store.js';
import { runCommand, UsageError } from '../exit.js';
import { OUTPUT_FORMATS } from '../../output/result.js';
import { checkOutTarget } from '../out-target.js';
import { addOutputOptions, emitResult, outputFormat, resolveDbPath, type OutputCliOptions } from '../output-options.js';
import { addReportOptions, refuseDatabaseAsOutput, reportOptions, type ReportCliOptions } from '../report-options.js';

interface ReportCommandOptions extends ReportCliOptions, OutputCliOptions {
  db?: string;
}

export function registerReport(program: Command): void {
  const cmd = program
    .command('report')
    .description('run a canned report against a database')
    .argument('<name>', `one of: ${REPORTS.map((r) => r.name).join(', ')}`)
    .option('--db <path.sqlite>', 'database (default: the only *.rdbscope.sqlite here)');
  addReportOptions(cmd);
  addOutputOptions(cmd, `table | csv | json | prometheus (${REPORTS.filter((r) => r.metrics).map((r) => r.name).join(', ')})`);
  cmd.addHelpText('after', `\nReports:\n${REPORTS.map((r) => `  ${r.name.padEnd(9)} ${r.help}`).join('\n')}\n`);
  cmd.action((name: string, options: ReportCommandOptions) =>
    runCommand(async () => {
      const report = findReport(name);
      if (!report) throw new UsageError(`unknown report ${JSON.stringify(name)}; reports: ${REPORTS.map((r) => r.name).join(', ')}`);
      const opts = reportOptions(report, options);
      // `--top 20` typed to a report without rankings: reportOptions sees the default's value and
      // cannot tell it was given; an option the report does not take is refused whatever its value.
      if (cmd.getOptionValueSource('top') === 'cli' && !report.accepts.includes('top')) throw new UsageError(`report ${report.name} does not take --top`);
      // A bad --format is refused before the report runs.
      outputFormat(options.format, report.metrics ? [...OUTPUT_FORMATS, 'prometheus'] : OUTPUT_FORMATS);
      const dbPath = resolveDbPath(options.db);
      refuseDatabaseAsOutput(options.out, dbPath);
      if (options.out !== undefined) checkOutTarget(options.out, '--out', 'the output');
      const db = openStore(dbPath, { readonly: true });
      try {
        const result = (() => {
          try {
            return report.run(db, opts);
          } catch (err) {
            if (err instanceof ReportInputError) throw new UsageError(err.message);
            throw err;
          }
        })();
        await emitResult(result, options, report.metrics);
      } finally {
        db.close();
      }
    }),
  );
}
