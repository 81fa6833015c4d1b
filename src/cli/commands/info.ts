import type { Command } from 'commander';
import { runCommand } from '../exit.js';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('RDB version, AUX fields, keys per db and per type, checksum')
    .argument('<file>', 'dump file (plain, .gz or .lz4; detected from its bytes)')
    .action((file: string) => runCommand(async () => {
      void file;
      throw new Error('info: not implemented yet');
    }));
}
