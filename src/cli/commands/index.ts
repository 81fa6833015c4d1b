import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Every subcommand by name, in the order `--help` lists them, each loaded only when it runs: a
 * command pulls in its layers (parser, memory model, store, reports, writers), which take Node
 * 0.1–0.2 s to load, so `rdbscope info` loads info's and not the HTML or Parquet writers'.
 * Adding a command = one file + one line here.
 */
export const COMMANDS: Readonly<Record<string, (argv: readonly string[]) => Promise<Register>>> = {
  info: async () => (await import('./info.js')).registerInfo,
  keys: async () => (await import('./keys.js')).registerKeys,
  load: async (argv) => (await prestartWorker(argv), (await import('./load.js')).registerLoad),
  analyze: async () => (await import('./analyze.js')).registerAnalyze,
  report: async () => (await import('./report.js')).registerReport,
  sql: async () => (await import('./sql.js')).registerSql,
  html: async () => (await import('./html.js')).registerHtml,
  export: async (argv) => (await prestartWorker(argv), (await import('./export.js')).registerExport),
};

/**
 * Starts the parsing thread of a load or export while the command's own modules load (worker-rows.ts
 * prestartLoadWorker). Not for a command line that will not use it.
 */
async function prestartWorker(argv: readonly string[]): Promise<void> {
  if (argv.some((a) => a === '--no-worker' || a === '--help' || a === '-h')) return;
  (await import('../../store/worker-rows.js')).prestartLoadWorker();
}

/** The commands a command line needs: the one it names, none for the version, else all (help, usage errors). */
export async function commandsFor(argv: readonly string[]): Promise<Register[]> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) return [];
  const named = Object.hasOwn(COMMANDS, argv[0] ?? '') ? COMMANDS[argv[0]!]! : null;
  return Promise.all(named ? [named(argv)] : Object.values(COMMANDS).map((load) => load([])));
}
