import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { formatHtml } from '../../output/html/index.js';
import { isoTime, type ReportResult } from '../../output/result.js';
import { findReport, ReportInputError } from '../../reports/index.js';
import type { ReportOptions } from '../../reports/report.js';
import { describeSnapshot, pickSnapshot } from '../../reports/scope.js';
import { instanceOf, listSnapshots } from '../../store/snapshots.js';
import { openStore, type Store } from '../../store/open-store.js';
import { instanceOption, parseIntOption, runCommand, UsageError } from '../exit.js';
import { sizeOption } from '../memory-size.js';
import { readMemoryLimits } from '../redis-conf-limits.js';
import { databaseFileAt, sameFile } from '../database-files.js';
import { resolveDbPath } from '../output-options.js';
import { replacedFile } from '../replaced-file.js';
import { checkOutTarget } from '../out-target.js';

interface HtmlCliOptions {
  db?: string;
  snapshot?: string;
  instance?: string;
  top: string;
  maxmemory?: string;
  ram?: string;
  redisConf?: string;
  out?: string;
}

/** Rows per ranking in the page unless --top says otherwise: enough to browse, small enough to mail. */
export const HTML_TOP_DEFAULT = '100';

/** Patterns and big keys in the diagnosis at the top of the page (the full rankings follow it). */
const DIAGNOSIS_TOP = 10;

/** Rows read per table at most, whatever --top: bigkeys has --top rows per type. */
const MAX_ROWS_PER_TABLE = 1000;

/** What the page needs to know besides the database. */
export interface HtmlReportRequest {
  snapshot: string | undefined;
  /** Which server's snapshots: the latest of this instance, and growth among its snapshots. */
  instance?: string | undefined;
  top: number;
  /** The --top given as typed, when more than the page shows (MAX_ROWS_PER_TABLE): said in the subtitle. */
  topGiven?: string | undefined;
  /** capacity / forecast / diagnosis: the server's maxmemory (0 = none) and the host's RAM, in bytes. */
  maxmemory?: number | undefined;
  ram?: number | undefined;
  maxmemoryPolicy?: string | undefined;
  dbPath: string;
}

/**
 * The reports of the page, in the order it shows them, for one snapshot: the diagnosis, every
 * report that reads one snapshot, capacity, then growth and the forecast when the instance has an
 * earlier snapshot (both over the instance's snapshots up to this one, never later ones).
 */
export function htmlResults(db: Store, request: HtmlReportRequest): ReportResult[] {
  const snap = pickSnapshot(db, request.snapshot, request.instance);
  const snapshot = String(snap.id);
  const instance = instanceOf(snap);
  const limits = { maxmemory: request.maxmemory, ram: request.ram, maxmemoryPolicy: request.maxmemoryPolicy };
  const runs: [string, ReportOptions][] = [
    ['diagnosis', { top: DIAGNOSIS_TOP, snapshot, maxmemory: request.maxmemory }],
    ['summary', { top: request.top, snapshot }],
    ['patterns', { top: request.top, snapshot }],
    ['bigkeys', { top: request.top, snapshot }],
    ['untimed', { top: request.top, snapshot }],
    ['ttl', { top: request.top, snapshot }],
    ['eviction', { top: request.top, snapshot }],
    ['capacity', { top: request.top, snapshot, ...limits }],
  ];
  if (listSnapshots(db, instance).findIndex((s) => s.id === snap.id) >= 1) {
    // Not the change into a PARTIAL snapshot: its keys stop at the fault and every pattern would seem
    // to shrink (its diagnosis shows no change either). The forecast leaves it out by itself.
    if (snap.status === 'complete') runs.push(['growth', { top: request.top, to: snapshot }]);
    runs.push(['forecast', { top: Math.min(request.top, 20), snapshot, maxmemory: request.maxmemory }]);
  }
  return runs.map(([name, options]) => findReport(name)!.run(db, options));
}

/**
 * Refuses a page that would replace what it is made from, a slip of the hand: the database
 * (`--out fleet.sqlite`: the rename would put the page where months of snapshots were) or the
 * snapshot's dump (`analyze dump.rdb --html dump.rdb`: the backup itself).
 */
function refuseSourceAsPage(out: string, dbPath: string, dumpPath: string): void {
  const named = databaseFileAt(out, dbPath);
  if (named !== null) throw new UsageError(`--out ${out} is ${named} the page is made from: give the page another name`);
  if (sameFile(out, dumpPath)) throw new UsageError(`--out ${out} is the dump the page is made from: give the page another name`);
}

/** Writes the page for `request` to `out`: to a temporary name beside it, renamed when whole. */
export function writeHtmlReport(db: Store, request: HtmlReportRequest, out: string): void {
  const snap = pickSnapshot(db, request.snapshot, request.instance);
  refuseSourceAsPage(out, request.dbPath, snap.path);
  const html = formatHtml({
    title: `rdbscope report: ${instanceOf(snap)}, ${snap.file_name}`,
    // Said on the page: a ranking of 100 rows reads as every pattern otherwise, and a filter that finds
    // nothing among them as a pattern that does not exist.
    subtitle: [...describeSnapshot(snap), `database: ${request.dbPath}`, `rankings: at most the top ${request.top} of each (--top ${request.topGiven !== undefined ? `${request.topGiven}: a page table shows at most ${request.top} rows` : request.top}; the diagnosis lists ${DIAGNOSIS_TOP}); every row: rdbscope report <name> --format csv`],
    results: htmlResults(db, request),
    maxRows: MAX_ROWS_PER_TABLE,
    footer: `Made by rdbscope at ${isoTime(Date.now())} from ${basename(request.dbPath)}. One self-contained file: it loads nothing from anywhere.`,
  });
  const target = replacedFile(out);
  if (target === null) {
    // A pipe, a device, /dev/stdout: written in place (renaming a file over it would replace the
    // pipe its reader waits on, or, run as root, the device node or the link in /dev).
    try {
      writeFileSync(out, html);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new Error(`${e.message.split(',')[0]}, cannot write '${out}'`);
    }
    return;
  }
  // A short name of its own, not derived from `out`: a page name may take all 255 bytes a file name
  // has (NAME_MAX), and `.<name>.<pid>.tmp` beside it was then too long to create (ENAMETOOLONG).
  // Beside the file replaced: a symbolic link `out` stays a link, and the page it names is replaced.
  const temp = join(dirname(target.path), `.rdbscope-html.${process.pid}.tmp`);
  try {
    writeFileSync(temp, html);
    // The page replaced keeps its permission bits: under a umask of 077 the new one was unreadable
    // to the web server that serves it as another user.
    if (target.mode !== null) chmodSync(temp, target.mode);
    renameSync(temp, target.path);
  } catch (err) {
    rmSync(temp, { force: true });
    // Named by the page asked for, not by the temporary name beside it.
    const e = err as NodeJS.ErrnoException;
    if (e.path === temp) throw new Error(`${e.message.split(',')[0]}, cannot write '${out}'`);
    throw err;
  }
}

export function registerHtml(program: Command): void {
  program
    .command('html')
    .description('write one self-contained HTML page of a snapshot: the diagnosis, charts, sortable tables of every report')
    .option('--db <path.sqlite>', 'database (default: the only *.rdbscope.sqlite here)')
    .option('--snapshot <id|name>', 'snapshot id or dump file name (default: the latest)')
    .option('--instance <name>', 'only snapshots of this instance (the server the dumps come from)')
    .option('--top <n>', 'rows per ranking', HTML_TOP_DEFAULT)
    .option('--maxmemory <size>', 'the server\'s maxmemory (4gb, 512mb, bytes; Redis units): headroom, the 85% alarm, the forecast\'s dates')
    .option('--ram <size>', 'the host\'s RAM, for the fork headroom')
    .option('--redis-conf <file>', 'read maxmemory and maxmemory-policy from the server\'s redis.conf')
    .option('--out <file.html>', 'the page to write (required)')
    .action((options: HtmlCliOptions) =>
      runCommand(async () => {
        if (options.out === undefined) throw new UsageError('html needs --out <file.html>');
        // Before any report runs: on a database of a million keys they take half a minute.
        checkOutTarget(options.out, '--out', 'the page');
        // No ranking of the page shows more than MAX_ROWS_PER_TABLE rows, so a larger --top asks for
        // nothing more; past 2^53 it reached SQLite's LIMIT as a REAL ('datatype mismatch', exit 1).
        const asked = parseIntOption('--top', options.top, 1);
        const top = Math.min(asked, MAX_ROWS_PER_TABLE);
        const topGiven = asked > top ? options.top : undefined;
        const instance = instanceOption(options.instance);
        // --maxmemory wins over the redis.conf line, as for `report`.
        const conf = options.redisConf !== undefined ? readMemoryLimits(options.redisConf) : {};
        const maxmemory = sizeOption('--maxmemory', options.maxmemory) ?? conf.maxmemory;
        const ram = sizeOption('--ram', options.ram);
        // A host of 0 bytes is no host, as report capacity says (the page said "Infinity% of RAM");
        // maxmemory 0 is Redis's "no limit".
        if (ram === 0) throw new UsageError(`--ram must be the host's memory, more than 0 bytes, got ${JSON.stringify(options.ram)}`);
        const dbPath = resolveDbPath(options.db);
        const db = openStore(dbPath, { readonly: true });
        try {
          writeHtmlReport(db, { snapshot: options.snapshot, instance, top, topGiven, maxmemory, ram, maxmemoryPolicy: conf.policy, dbPath }, options.out);
        } catch (err) {
          if (err instanceof ReportInputError) throw new UsageError(err.message);
          throw err;
        } finally {
          db.close();
        }
        process.stderr.write(`wrote ${options.out}\n`);
      }),
    );
}
