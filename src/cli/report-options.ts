import type { Command } from 'commander';
import type { Report, ReportOptionName, ReportOptions } from '../reports/report.js';
import { instanceOption, parseIntOption, UsageError } from './exit.js';

/** Raw commander values of the common report options. */
export interface ReportCliOptions {
  snapshot?: string;
  instance?: string;
  type?: string;
  match?: string;
  top: string;
  from?: string;
  to?: string;
  depth?: string;
  sep?: string;
}

export function addReportOptions(cmd: Command): Command {
  return cmd
    .option('--snapshot <id|name>', 'snapshot id or dump file name (default: the latest)')
    .option('--instance <name>', 'only snapshots of this instance (the server the dumps come from)')
    .option('--type <type>', 'only keys of this type (string, list, set, zset, hash, stream, …)')
    .option('--match <glob>', 'only keys (bigkeys) or patterns (untimed, patterns, growth) matching this glob')
    .option('--top <n>', 'rows per ranking', '20')
    .option('--from <id|name>', 'growth: older snapshot (default: the one before --to)')
    .option('--to <id|name>', 'growth: newer snapshot (default: the latest)')
    .option('--depth <n>', 'patterns: fixed mode, keep the first N segments')
    .option('--sep <char>', 'patterns: separator for --depth (default :)');
}

const FLAG: Record<ReportOptionName, string> = {
  snapshot: '--snapshot', instance: '--instance', type: '--type', match: '--match', top: '--top', from: '--from', to: '--to', depth: '--depth', separators: '--sep',
};

/** Converts and validates: a report given an option it ignores is a usage error, not silence. */
export function reportOptions(report: Report, raw: ReportCliOptions, topDefault = '20'): ReportOptions {
  const given: Partial<Record<ReportOptionName, string | undefined>> = {
    snapshot: raw.snapshot, instance: raw.instance, type: raw.type, match: raw.match, top: raw.top === topDefault ? undefined : raw.top,
    from: raw.from, to: raw.to, depth: raw.depth, separators: raw.sep,
  };
  for (const [name, value] of Object.entries(given) as [ReportOptionName, string | undefined][]) {
    if (value !== undefined && !report.accepts.includes(name)) throw new UsageError(`report ${report.name} does not take ${FLAG[name]}`);
  }
  if (raw.sep !== undefined && raw.depth === undefined) throw new UsageError('--sep goes with --depth');
  if (raw.sep !== undefined && raw.sep.length !== 1) throw new UsageError(`--sep must be one character, got ${JSON.stringify(raw.sep)}`);
  return {
    snapshot: raw.snapshot,
    instance: instanceOption(raw.instance),
    type: raw.type,
    match: raw.match,
    top: parseIntOption('--top', raw.top, 1),
    from: raw.from,
    to: raw.to,
    depth: raw.depth === undefined ? undefined : parseIntOption('--depth', raw.depth, 1),
    separators: raw.sep,
  };
}
