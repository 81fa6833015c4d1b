import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { isEmptyCollection, type KeyRecord, type MemoryEstimate } from '../../core/record.js';
import { runCommand, UsageError } from '../exit.js';
import { openDump } from '../dump-source.js';
import { OutputSink } from '../output-sink.js';
import { toHex } from '../../rdb/printable.js';
import { compactLimitsOf, estimatorFor, parseProfile, profileFromAux, readRedisConf, DEFAULT_ENCODING_CONFIG, type ServerProfile } from '../../memory/index.js';
import { neutralizeFormula, rdbtoolsCsvWriter } from '../../output/index.js';
import { relaxedVersionCheck, relaxedVersionCheckOption, type VersionCheckCliOptions } from '../version-check-option.js';

interface KeysOptions extends VersionCheckCliOptions {
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
  'emptyDroppedOnLoad',
] as const;

export function keyRow(rec: KeyRecord): Record<(typeof KEY_COLUMNS)[number], string | number | boolean | null> {
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
    emptyDroppedOnLoad: isEmptyCollection(rec),
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
    .addOption(relaxedVersionCheckOption())
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
        const { parse } = await openDump(file, opts.verify, compactLimitsOf(config), relaxedVersionCheck(opts));
        const out = new OutputSink();
        let text = '';
        const rdbtools = opts.format === 'rdbtools-csv' ? rdbtoolsCsvWriter((s) => (text += s)) : null;
        if (opts.format === 'csv') text += stringify([KEY_COLUMNS as unknown as string[]]);
        let estimate: ((rec: KeyRecord) => MemoryEstimate) | null = null;
        for await (const batch of parse.batches()) {
          // AUX fields precede the keyspace, so the writer's version is known by the first batch.
          estimate ??= estimatorFor(fixedProfile ?? profileFromAux(parse.info.aux), config);
          // A key a server drops on load (an empty collection) holds no memory: no estimate.
          for (const rec of batch) rec.memory = isEmptyCollection(rec) ? undefined : estimate(rec);
          if (rdbtools) rdbtools.writeBatch(batch);
          // One stringify per parser batch: pages of 1 024 rows were 30% slower (csv-stringify's
          // cost per row grows with the page, measured on the 1 M-key bench dump).
          else if (opts.format === 'csv') text += stringify(batch.map(csvCells));
          else for (const rec of batch) text += JSON.stringify(keyRow(rec)) + '\n';
          await out.write(text);
          text = '';
          // The reader left (`| head`): stop parsing; leaving the loop ends the parse.
          if (out.closed) break;
        }
        await out.write(text); // a header of a dump without keys
        return 0;
      }),
    );
}

/**
 * keyRow(rec) as CSV cells, in KEY_COLUMNS order, built directly (this runs once per key). rdbType and
 * keyHex need no neutralizing: names from a fixed list, hex digits.
 */
function csvCells(rec: KeyRecord): (string | number | null)[] {
  const m = rec.memory;
  return [
    rec.db, neutralizeFormula(rec.keyPrintable), toHex(rec.key), neutralizeFormula(rec.type), rec.rdbType, m ? neutralizeFormula(m.encoding) : null, rec.elements,
    rec.valueBytes, m ? m.bytes : null, rec.largestElementBytes, rec.expireAtMs, rec.idleSeconds, rec.lfuFreq, rec.fieldsWithTtl ?? null,
    rec.stream?.groups ?? null, rec.stream?.pending ?? null, isEmptyCollection(rec) ? 'true' : 'false',
  ];
}

async function readConf(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--redis-conf: cannot read ${path} (${(e as Error).message})`);
  }
}
