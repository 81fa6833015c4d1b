import type { Command } from 'commander';
import type { Report, ReportOptionName, ReportOptions } from '../reports/report.js';
import { instanceOption, parseIntOption, UsageError } from './exit.js';
import { parseType } from './key-filter.js';
import { sizeOption } from './memory-size.js';
import { readMemoryLimits } from './redis-conf-limits.js';
import { databaseFileAt } from './database-files.js';

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
  maxmemory?: string;
  ram?: string;
  redisConf?: string;
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
    .option('--sep <char>', 'patterns: separator for --depth (default :)')
    .option('--maxmemory <size>', 'diagnosis/capacity/forecast: the server\'s maxmemory (4gb, 512mb, bytes; Redis units)')
    .option('--ram <size>', 'capacity: the host\'s RAM, for the fork headroom')
    .option('--redis-conf <file>', 'diagnosis/capacity/forecast: read maxmemory and maxmemory-policy from the server\'s redis.conf');
}

const FLAG: Record<ReportOptionName, string> = {
  snapshot: '--snapshot', instance: '--instance', type: '--type', match: '--match', top: '--top', from: '--from', to: '--to', depth: '--depth', separators: '--sep',
  maxmemory: '--maxmemory', ram: '--ram',
};

/** Converts and validates: a report given an option it ignores is a usage error, not silence. */
export function reportOptions(report: Report, raw: ReportCliOptions, topDefault = '20'): ReportOptions {
  const given: Partial<Record<ReportOptionName, string | undefined>> = {
    snapshot: raw.snapshot, instance: raw.instance, type: raw.type, match: raw.match, top: raw.top === topDefault ? undefined : raw.top,
    from: raw.from, to: raw.to, depth: raw.depth, separators: raw.sep, maxmemory: raw.maxmemory ?? raw.redisConf, ram: raw.ram,
  };
  for (const [name, value] of Object.entries(given) as [ReportOptionName, string | undefined][]) {
    const flag = name === 'maxmemory' && raw.maxmemory === undefined ? '--redis-conf' : FLAG[name];
    if (value !== undefined && !report.accepts.includes(name)) throw new UsageError(`report ${report.name} does not take ${flag}`);
  }
  if (raw.sep !== undefined && raw.depth === undefined) throw new UsageError('--sep goes with --depth');
  // --maxmemory wins over the redis.conf line.
  const conf = raw.redisConf !== undefined ? readMemoryLimits(raw.redisConf) : {};
  const maxmemory = sizeOption('--maxmemory', raw.maxmemory) ?? conf.maxmemory;
  if (raw.sep !== undefined && raw.sep.length !== 1) throw new UsageError(`--sep must be one character, got ${JSON.stringify(raw.sep)}`);
  return {
    snapshot: raw.snapshot,
    instance: instanceOption(raw.instance),
    // Checked as `keys --type` checks it: a misspelt type (`lists`, `LIST`) matched no key and
    // printed empty tables, as if the snapshot held none.
    type: raw.type === undefined ? undefined : parseType(raw.type),
    match: raw.match,
    top: parseIntOption('--top', raw.top, 1),
    from: raw.from,
    to: raw.to,
    depth: raw.depth === undefined ? undefined : parseIntOption('--depth', raw.depth, 1),
    separators: raw.sep,
    maxmemory,
    ram: ramOption(raw.ram),
    maxmemoryPolicy: conf.policy,
  };
}

/**
 * --ram: a size above 0. Unlike maxmemory, where 0 is Redis's "no limit", a host of 0 bytes means
 * nothing: it printed "used memory is Infinity% of RAM" and "set maxmemory to at most 0 B".
 */
function ramOption(value: string | undefined): number | undefined {
  const ram = sizeOption('--ram', value);
  if (ram === 0) throw new UsageError(`--ram must be the host's memory, more than 0 bytes, got ${JSON.stringify(value)}`);
  return ram;
}

/**
 * Refuses an --out that names the database being read or one of its side files: opening the output
 * truncates it, so `--out fleet.sqlite` (a slip of the hand) would replace months of snapshots with
 * one report.
 */
export function refuseDatabaseAsOutput(out: string | undefined, dbPath: string): void {
  if (out === undefined) return;
  const named = databaseFileAt(out, dbPath);
  if (named !== null) throw new UsageError(`--out ${out} is ${named} being read: give the output another name`);
}
