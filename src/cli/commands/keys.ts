import type { Command } from 'commander';
import { runCommand } from '../exit.js';

export function registerKeys(program: Command): void {
  program
    .command('keys')
    .description('stream one line per key to stdout')
    .argument('<file>', 'dump file (plain, .gz or .lz4)')
    .option('--format <format>', 'jsonl | csv | rdbtools-csv', 'jsonl')
    .action((file: string) => runCommand(async () => {
      void file;
      throw new Error('keys: not implemented yet');
    }));
}
