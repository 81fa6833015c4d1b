import type { Command } from 'commander';
import { registerInfo } from './info.js';
import { registerKeys } from './keys.js';
import { registerLoad } from './load.js';
import { registerAnalyze } from './analyze.js';
import { registerReport } from './report.js';
import { registerSql } from './sql.js';
import { registerHtml } from './html.js';
import { registerExport } from './export.js';

/** Every subcommand, in the order `--help` lists them. Adding a command = one file + one line here. */
export const COMMANDS: ((program: Command) => void)[] = [registerInfo, registerKeys, registerLoad, registerAnalyze, registerReport, registerSql, registerHtml, registerExport];
