import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import type { KeyRecord, MemoryEstimate } from '../../core/record.js';
import { runCommand, UsageError } from '../exit.js';
import { openDump } from '../dump-source.js';
import { toHex } from '../../rdb/printable.js';
import { compactLimitsOf, estimatorFor, parseProfile, profileFromAux, readRedisConf, DEFAULT_ENCODING_CONFIG, type ServerProfile } from '../../memory/index.js';
import { neutralizeFormula, rdbtoolsCsvWriter } from '../../output/index.js';

interface KeysOptions {
  format: string;
  verify: boolean;
  server?: string;
  redisConf?: string;
}

const FORMATS = ['jsonl', 'csv', 'rdbtools-csv'] as const;

/** The JSONL/CSV columns of `keys`: a public contract documented in README. */
export const KEY_COLUMNS = [
  'db', 'key', 'keyHex', 'type', 'rdbType', 'encoding', 'elements', 'valueBytes', 'memoryBytes',
  'largestElementBytes', 'expireAtMs', 'idleSeconds', 'lfuFreq', 'fieldsWithTtl', 'streamGroups', 'streamPending',
] as const;

export function keyRow(rec: KeyRecord): Record<(typeof KEY_COLUMNS)[number], string | number | null> {
  return {
    db: rec.db,
    key: rec.keyPrintable,
    keyHex: toHex(rec.key),
    type: rec.type,
    rdbType: rec.rdbType,
    encoding: rec.memory?.encoding ?? null,
    elements: rec.elements,
    valueBytes: rec.valueBytes,
    memoryBytes: rec.memory?.bytes ?? null,
    largestElementBytes: rec.largestElementBytes,
    expireAtMs: rec.expireAtMs,
    idleSeconds: rec.idleSeconds,
    lfuFreq: rec.lfuFreq,
    fieldsWithTtl: rec.fieldsWithTtl ?? null,
    streamGroups: rec.stream?.groups ?? null,
    streamPending: rec.stream?.pending ?? null,
  };
}

export function registerKeys(program: Command): void {
  program
    .command('keys')
    .description('stream one line per key to stdout (no database needed)')
    .argument('<file>', 'dump file (plain, .gz or .lz4; - for stdin)')
    .option('--format <format>', `${FORMATS.join(' | ')}`, 'jsonl')
    .option('--server <profile>', 'memory profile of the server that will load the file (e.g. redis-7.4, redis-7.0-q16); default from the dump')
    .option('--redis-conf <file>', 'read encoding thresholds (hash-max-listpack-entries, ...) from this redis.conf')
    .option('--no-verify', 'skip the CRC64 check')
    .action((file: string, opts: KeysOptions) =>
      runCommand(async () => {
        if (!(FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(opts.format)}`);
        let fixedProfile: ServerProfile | null = null;
        if (opts.server) {
          try {
            fixedProfile = parseProfile(opts.server);
          } catch (e) {
            throw new UsageError((e as Error).message);
          }
        }
        const config = opts.redisConf ? { ...DEFAULT_ENCODING_CONFIG, ...readRedisConf(await readConf(opts.redisConf)) } : DEFAULT_ENCODING_CONFIG;
        const { parse } = await openDump(file, opts.verify, compactLimitsOf(config));
        const out = new StdoutSink();
        const rdbtools = opts.format === 'rdbtools-csv' ? rdbtoolsCsvWriter((s) => out.write(s)) : null;
        if (opts.format === 'csv') out.write(stringify([KEY_COLUMNS as unknown as string[]]));
        let estimate: ((rec: KeyRecord) => MemoryEstimate) | null = null;
        for await (const batch of parse.batches()) {
          // AUX fields precede the keyspace, so the writer's version is known by the first batch.
          estimate ??= estimatorFor(fixedProfile ?? profileFromAux(parse.info.aux), config);
          for (const rec of batch) rec.memory = estimate(rec);
          if (rdbtools) rdbtools.writeBatch(batch);
          else if (opts.format === 'csv') out.write(stringify(batch.map((rec) => csvCells(keyRow(rec)))));
          else {
            let s = '';
            for (const rec of batch) s += JSON.stringify(keyRow(rec)) + '\n';
            out.write(s);
          }
          await out.drain();
          // The reader left (`| head`): stop parsing; leaving the loop ends the parse.
          if (out.closed) break;
        }
        return 0;
      }),
    );
}

function csvCells(row: ReturnType<typeof keyRow>): (string | number | null)[] {
  return KEY_COLUMNS.map((c) => {
    const v = row[c];
    return typeof v === 'string' ? neutralizeFormula(v) : v;
  });
}

async function readConf(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--redis-conf: cannot read ${path} (${(e as Error).message})`);
  }
}

/**
 * Writes to stdout with back-pressure; a closed pipe (e.g. `| head`) ends output quietly, and
 * `closed` tells the caller to stop producing it.
 */
class StdoutSink {
  private pending = false;
  private gone = false;
  private wake: (() => void) | null = null;
  constructor() {
    const end = () => {
      this.gone = true;
      this.wake?.();
    };
    process.stdout.on('error', end);
    process.stdout.on('close', end);
  }
  get closed(): boolean {
    return this.gone;
  }
  write(s: string): void {
    if (this.gone || s.length === 0) return;
    if (!process.stdout.write(s)) this.pending = true;
  }
  /** Waits until stdout takes more, or is gone (a 'drain' that never comes once the reader left). */
  async drain(): Promise<void> {
    if (!this.pending || this.gone) return;
    this.pending = false;
    await new Promise<void>((resolve) => {
      const done = () => {
        process.stdout.off('drain', done);
        this.wake = null;
        resolve();
      };
      this.wake = done;
      process.stdout.once('drain', done);
    });
  }
}
