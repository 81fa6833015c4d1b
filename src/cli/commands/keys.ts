import type { Command } from 'commander';
import { isEmptyCollection, type KeyRecord, type MemoryEstimate } from '../../core/record.js';
import { runCommand, UsageError } from '../exit.js';
import { openDump } from '../dump-source.js';
import { OutputSink } from '../output-sink.js';
import { compactLimitsOf, parseProfile, DEFAULT_ENCODING_CONFIG } from '../../memory/index.js';
import { prefixDecides } from '../../store/build-guess.js';
import { modelFromSpec } from '../../store/memory-spec.js';
import { TwoBuildLines } from '../two-build-lines.js';
import { DumpBuildCheck } from '../dump-build-check.js';
import { readEncodingConfig } from '../redis-conf-encoding.js';
import { ByteLines } from '../../output/byte-lines.js';
import { keyLineWriter, KEY_LINE_FORMATS, type KeyLineFormat } from '../../output/key-lines.js';
import { argumentBytes } from '../argv-bytes.js';
import { KeyFilter, type KeyFilterOptions } from '../key-filter.js';
import { relaxedVersionCheck, relaxedVersionCheckOption, type VersionCheckCliOptions } from '../version-check-option.js';

interface KeysOptions extends KeyFilterOptions, VersionCheckCliOptions {
  format: string;
  verify: boolean;
  server?: string;
  redisConf?: string;
}

/**
 * Output waiting in the line buffer past which it is handed to stdout (the buffer's size). Each
 * hand-over costs ~10 µs of stream machinery and a write(2): with 64 KiB, jsonl of 5 M tiny keys
 * (1.2 GB) made 19 000 of them, and 256 KiB took that export 6% faster (interleaved runs); 1 MiB
 * was no faster.
 */
const LINE_BUFFER_BYTES = 1 << 18;

/** The reader of stdout left (`| head`): the parse stops there, quietly. */
class ReaderGone {}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerKeys(program: Command): void {
  // --ttl and --no-ttl set one value, the last given: both on one command line is a contradiction
  // to refuse, not a choice to make for the user (commander emits each option's own event).
  const ttlFlags = new Set<string>();
  program
    .command('keys')
    .on('option:ttl', () => ttlFlags.add('--ttl'))
    .on('option:no-ttl', () => ttlFlags.add('--no-ttl'))
    .description('stream one line per key to stdout (no database needed)')
    .argument('<file>', 'dump file (plain, .gz or .lz4; - for stdin)')
    .option('--format <format>', `${KEY_LINE_FORMATS.join(' | ')}`, 'jsonl')
    .option('--server <profile>', 'memory profile of the server that will load the file (e.g. redis-7.4, redis-7.0-q16); default from the dump')
    .option('--redis-conf <file>', 'read encoding thresholds (hash-max-listpack-entries, ...) from this redis.conf')
    .option('--no-verify', 'skip the CRC64 check')
    .option('--db <n>', 'only keys of this database (repeatable)', collect)
    .option('--type <type>', 'only keys of this type: string, list, set, zset, hash, stream, ... (repeatable)', collect)
    .option('--match <glob>', 'only keys matching this Redis glob (*, ?, [abc], [^a], [a-z], \\x), on the key bytes')
    .option('--min-bytes <n>', 'only keys whose memory estimate is at least n bytes')
    .option('--ttl', 'only keys with an expiry')
    .option('--no-ttl', 'only keys without an expiry')
    .option('--expires-before <time>', "only keys expiring before an ISO time, or a duration after the dump's ctime (1h, 7d)")
    .addOption(relaxedVersionCheckOption())
    .action((file: string, opts: KeysOptions) =>
      runCommand(async () => {
        if (!(KEY_LINE_FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format must be one of ${KEY_LINE_FORMATS.join(', ')}, got ${JSON.stringify(opts.format)}`);
        if (ttlFlags.size === 2) throw new UsageError('--ttl selects keys with an expiry and --no-ttl keys without one: give one of them');
        const filter = KeyFilter.parse(opts);
        if (opts.server !== undefined) {
          try {
            parseProfile(opts.server);
          } catch (e) {
            throw new UsageError((e as Error).message);
          }
        }
        // A file name that is not UTF-8 is read by the bytes the shell passed (Node's argv lost them).
        const config = opts.redisConf !== undefined ? readEncodingConfig(argumentBytes(opts.redisConf, '--redis-conf', undefined, undefined, 'rename the file')) : DEFAULT_ENCODING_CONFIG;
        const { input, parse } = await openDump(file, opts.verify, compactLimitsOf(config), relaxedVersionCheck(opts));
        const out = new OutputSink();
        const lines = new ByteLines((chunk) => out.push(chunk), LINE_BUFFER_BYTES);
        const writer = keyLineWriter(opts.format as KeyLineFormat);
        // The CSV header goes out with the first key, once the filter has accepted the dump (a
        // duration without AUX ctime is a usage error there), or at the end: a usage error leaves
        // stdout empty, not a header-only file.
        let headed = false;
        const header = () => {
          if (!headed) writer.header(lines);
          headed = true;
        };
        let estimate: ((rec: KeyRecord) => MemoryEstimate) | null = null;
        let selected: ((rec: KeyRecord) => boolean) | null = null;
        const minBytes = filter.minBytes !== null;
        const wanted = (rec: KeyRecord) => filter.bigEnough(rec);
        // Without --server, the first keys are written under both allocator builds until they tell
        // which one wrote the dump (two-build-lines.ts), as `load` decides.
        const spec = { server: opts.server ?? null, config };
        let held: TwoBuildLines | null = null;
        // When they could not tell it (a dump of several dbs, whose first keys are all db 0's; a
        // LZ4 file or a stream, whose size is unknown) every later key is summed as `load` sums it, to say
        // at the end whether the whole dump points to the other build (dump-build-check.ts). Not when
        // a filter leaves keys out before their estimate: those cost none, and the sums would lack them.
        let check: DumpBuildCheck | null = null;
        const release = (whole: boolean) => {
          const decided = held!.decide({ rdbBytes: input.rdbBytes, whole });
          held = null;
          estimate = decided.model.estimate;
          if (!whole && !decided.evidence.clear && selected === null) check = new DumpBuildCheck(decided.model, decided.evidence, decided.keys, spec);
          lines.flush();
          for (const chunk of decided.lines) out.push(chunk);
        };
        try {
          await parse.visit(
            (rec) => {
              if (estimate === null && held === null) {
                // AUX fields precede the keyspace: the writer's version, used-mem and ctime are known by the first key.
                const model = modelFromSpec(spec)(parse.info);
                if (prefixDecides(model)) held = new TwoBuildLines(model, writer, LINE_BUFFER_BYTES);
                else estimate = model.estimate;
                selected = filter.beforeEstimate(parse.info);
                header();
              }
              const printed = selected === null || selected(rec);
              if (held !== null) {
                if (held.add(rec, printed, wanted)) release(false);
                return;
              }
              // Keys left out cost no estimate (unless --min-bytes needs it) and no formatting.
              if (!printed) return;
              // A key a server drops on load (an empty collection) holds no memory: no estimate.
              rec.memory = check !== null ? check.estimate(rec) : rec.elements === 0 && isEmptyCollection(rec) ? undefined : estimate!(rec);
              if (minBytes && !filter.bigEnough(rec)) return;
              writer.line(lines, rec);
            },
            async () => {
              // Nothing is written while the first keys are held: no line of theirs is final yet.
              if (held !== null) return;
              lines.flush();
              await out.settle();
              if (out.closed) throw new ReaderGone();
            },
          );
          if (held !== null) release(true);
          // Set by release() within the parse's callback, which TypeScript's narrowing does not follow.
          const note = (check as DumpBuildCheck | null)?.note(input.name) ?? null;
          if (note !== null) process.stderr.write(`rdbscope: ${note}\n`);
        } catch (e) {
          if (e instanceof ReaderGone) return 0;
          if (e instanceof UsageError) throw e;
          // The keys read before a fault are printed, then the error.
          header();
          if (held !== null) release(false);
          lines.flush();
          await out.settle();
          throw e;
        }
        header();
        lines.flush();
        await out.settle();
        return 0;
      }),
    );
}

