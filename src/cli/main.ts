import { Command, CommanderError } from 'commander';
import { commandsFor } from './commands/index.js';

// A reader that leaves early (`rdbscope sql … | head`) ends the output, not the command: without a
// listener the EPIPE is an uncaught 'error' event and a stack trace. A load keeps loading.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') return;
  process.stderr.write(`rdbscope: cannot write the output (${e.message})\n`);
  process.exit(1);
});

const program = new Command();
program
  .name('rdbscope')
  .description('Offline analyzer of Redis / Valkey RDB snapshot files (plain, .gz or .lz4). Never touches a live server.')
  .version('0.1.0')
  // A usage error is one line, like every other error: `rdbscope: <commander's message> (run with
  // --help for usage)` instead of commander's `error: …` line and a second line for the hint.
  .configureOutput({ outputError: (text, write) => write(`rdbscope: ${text.replace(/^error: /, '').trimEnd()} (run with --help for usage)\n`) })
  .exitOverride();
for (const register of await commandsFor(process.argv.slice(2))) register(program);

// Usage errors exit 2 with one line; --help and --version exit 0.
program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : 2;
    return;
  }
  process.stderr.write(`rdbscope: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
