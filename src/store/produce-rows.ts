import { holdsDate } from '../core/date-range.js';
import { isRdbError, type RdbError } from '../core/errors.js';
import { isEmptyCollection, keyBufferOf, keyLengthOf, keyStartOf, type KeyRecord } from '../core/record.js';
import { DuplicateKeyCheck } from '../rdb/duplicate-keys.js';
import { auxValue, type ChecksumOutcome, type RdbFileInfo } from '../rdb/file-info.js';
import { keyPattern } from '../patterns/key-pattern.js';
import { PatternInterner } from '../patterns/pattern-interner.js';
import type { PatternOptions } from '../patterns/options.js';
import { LoadAggregates, MAX_TRACKED_PATTERNS, OTHER_PATTERN, type AggregateRows } from './load-aggregates.js';
import { KindIds } from './kind-ids.js';
import { modelForPrefix, prefixDecides, PrefixBatches, PREFIX_KEYS } from './build-guess.js';
import { BuildSums } from './build-sums.js';
import { accessOf, extraOf, RowBatchBuilder, type HeldRow, type RowBatch } from './row-batch.js';
import { ttlBucketIndex } from './ttl-buckets.js';

/** What the producer needs from an opened input (a subset of OpenedInput). */
export interface LoadInput {
  compression: string;
  bytesIn: () => number;
  fileBytes: number | null;
  /** OpenedInput.rdbBytes: the dump's size uncompressed, when known before it is read. */
  rdbBytes: number | null;
}

/** What the producer needs from a parse (a subset of RdbParse). */
export interface LoadParse {
  batches(): AsyncIterable<KeyRecord[]>;
  readonly info: RdbFileInfo;
}

export interface MemoryModel {
  profile: string;
  estimate: (rec: KeyRecord) => { encoding: string; bytes: number; exact: boolean };
  /** What the loaded key holds beyond what MEMORY USAGE charges it (summed for `used-mem` reconciliation). */
  gap?: (rec: KeyRecord, encoding: string) => number;
  /** Why this profile (stored with the snapshot, shown by the summary). */
  reason?: string;
  /**
   * The same release with the other allocator build, summed alongside so the load can tell from
   * `used-mem` which build wrote the dump (memory/build-choice.ts); only when the profile is not fixed.
   */
  twin?: {
    profile: string;
    estimate: MemoryModel['estimate'];
    gap: NonNullable<MemoryModel['gap']>;
    /** How much the twin's difference on the index-th key (0-based) counts; 0 = not estimated. */
    weight: (rec: KeyRecord, index: number) => number;
    /** The dump's used-mem, which the two builds are weighed against (present: large enough to tell). */
    usedMem: number;
  };
  /**
   * Set when the first keys chose the twin build (build-guess.ts): `profile` is then the other
   * build and `twin` the release's default one.
   */
  twinIsDefault?: boolean;
}

/** Σ estimates and Σ allocation gaps of one profile over a load. */
export interface ProfileSums {
  profile: string;
  keysBytes: number;
  allocationGap: number;
}

/** Per-key rows kept (aggregates are always complete). */
export interface RowLimits {
  /** Only keys whose size (memory estimate, else bytes in the file) is at least this get a row. */
  keysMinBytes?: number | null;
  /** Only the N biggest keys of each pattern get a row (bounded heaps, see TOP_ROWS_BUDGET). */
  topPerPattern?: number | null;
}

export interface ProduceOptions extends RowLimits {
  /** File mtime: the snapshot time when the dump has no AUX ctime. */
  mtimeMs: number;
  memoryModel?: (info: RdbFileInfo) => MemoryModel;
  patterns: PatternOptions;
  maxPatterns?: number;
  rowsPerBatch?: number;
  /**
   * Asked when a batch starts: whether to leave its rows' patterns, printable text and aggregates to
   * the consumer (RowBatch.deferredAt, WriterAggregation). A load worker says yes while the writer
   * keeps up with it. Never asked when per-key rows are limited (the writer sees only kept rows).
   */
  defer?: () => boolean;
  /**
   * When the first keys cannot tell the allocator build (build-guess.ts modelForPrefix `unclear`),
   * estimate every key (the first ones too) under both builds: rows carry the other build's difference
   * (N_OTHER_BUILD) and the end its aggregates (LoadEnd.otherBuild), so a consumer that stores rows
   * can switch builds at the end instead of reading the dump again (a deferred batch's writer adds
   * its rows to both builds' aggregates). Only without row limits: which rows are kept would depend
   * on the build.
   */
  weighBothBuilds?: boolean;
}

/**
 * Rows held in memory for --top-per-pattern at most. The number of patterns with their own heap is
 * TOP_ROWS_BUDGET / N (capped by the aggregates' pattern cap); keys of further patterns compete in
 * one shared `<other>` heap of N. Bounds memory at roughly TOP_ROWS_BUDGET × (key + ~120 bytes).
 */
export const TOP_ROWS_BUDGET = 250_000;

export interface RdbInfoLite {
  magic: RdbFileInfo['magic'];
  version: number | null;
  unknownVersion: boolean;
  aux: { key: string; value: string }[];
  checksum: ChecksumOutcome;
  bytesRead: number;
}

export interface LoadEnd {
  info: RdbInfoLite;
  aggregates: AggregateRows;
  keys: number;
  keptRows: number;
  unestimated: number;
  /** Σ MemoryModel.gap over the estimated keys. */
  allocationGap: number;
  /** Empty collections (isEmptyCollection): rows kept, left out of the aggregates. */
  emptyKeys: number;
  /** Keys repeated in their db (DuplicateKeyCheck), or null when the dump was too large for it. */
  duplicateKeys: number | null;
  /** Memory model profile, or null when no model was given. */
  profile: string | null;
  /** MemoryModel.reason of the profile. */
  profileReason: string | null;
  /** Σ estimates of the profile over the estimated keys. */
  keysBytes: number;
  /** The same sums for MemoryModel.twin, when it was given (its sampled keys weighted up). */
  twin: ProfileSums | null;
  /** MemoryModel.twinIsDefault: the twin is the release's default build. */
  twinIsDefault: boolean;
  /**
   * Set when every key was estimated under both builds (ProduceOptions.weighBothBuilds): the
   * aggregates under the twin build (`twin` then holds its exact sums), and whether each key's
   * encoding was the same under both (else rows cannot switch builds by their memory alone).
   */
  otherBuild: { aggregates: AggregateRows; encodingsAgree: boolean } | null;
  snapshotTime: { ms: number; source: 'ctime' | 'mtime' };
  failure: RdbError | null;
}

export type LoadMessage =
  | { t: 'open'; compression: string; fileBytes: number | null }
  | { t: 'batch'; rows: RowBatch; keys: number; bytesIn: number }
  | { t: 'end'; end: LoadEnd };

/**
 * Parses one dump into compact key rows plus its aggregates: the CPU side of a load (parser, memory
 * model, key patterns), run either on the loading thread or on a worker (load-worker.ts), feeding a
 * SnapshotWriter. The generator yields `open` once the input is open, `batch`es of rows, then `end`.
 * An RdbError during the parse ends the stream normally with `end.failure` set (every key read before
 * the fault was yielded); opening errors and non-input errors are thrown.
 */
export async function* produceRows(
  open: () => Promise<{ input: LoadInput; parse: LoadParse }>,
  options: ProduceOptions,
): AsyncGenerator<LoadMessage> {
  const { input, parse } = await open();
  yield { t: 'open', compression: input.compression, fileBytes: input.fileBytes };

  const kinds = new KindIds();
  const builder = new RowBatchBuilder(kinds, options.rowsPerBatch);
  const aggregates = new LoadAggregates(kinds, options.maxPatterns);
  const patterns = new PatternInterner(options.patterns);
  const minBytes = options.keysMinBytes ?? null;
  const topN = options.topPerPattern ?? null;
  const heaps = topN !== null ? new TopHeaps(topN, Math.min(options.maxPatterns ?? MAX_TRACKED_PATTERNS, Math.max(1, Math.floor(TOP_ROWS_BUDGET / topN)))) : null;
  let keys = 0;
  let kept = 0;
  let unestimated = 0;
  let emptyKeys = 0;
  const duplicates = new DuplicateKeyCheck();
  let sums: BuildSums | null = null;
  /** Every key estimated under both builds (ProduceOptions.weighBothBuilds), from the first one. */
  let both = false;
  let otherAggregates: LoadAggregates | null = null;
  let encodingsAgree = true;
  let snapshotTime: { ms: number; source: 'ctime' | 'mtime' } | null = null;
  let model: MemoryModel | null = null;
  let failure: RdbError | null = null;
  let lastEmit = Date.now();

  const canDefer = options.defer !== undefined && minBytes === null && heaps === null;
  /** Decides, at the start of a batch, whether its per-key work is left to the writer. */
  const decide = () => {
    builder.deferredAt = canDefer && snapshotTime !== null && options.defer!() ? snapshotTime.ms : null;
  };

  try {
    // The memory model is made once the AUX fields are read (with the first batch); the first keys
    // are held back only when they may choose its build (build-guess.ts).
    let base: MemoryModel | null = null;
    const makeModel = options.memoryModel;
    const batches = new PrefixBatches(parse.batches(), PREFIX_KEYS, () => makeModel !== undefined && prefixDecides((base = makeModel(parse.info))));
    for await (const batch of batches) {
      if (makeModel && !model) {
        // The first batch is the prefix the build is first chosen on (build-guess.ts).
        const chosen = modelForPrefix(base ?? makeModel(parse.info), batch, { rdbBytes: input.rdbBytes, whole: batches.whole() });
        model = chosen.model;
        sums = new BuildSums(model);
        if (chosen.unclear && options.weighBothBuilds === true && minBytes === null && heaps === null) {
          both = true;
          builder.otherBuild = true;
          otherAggregates = new LoadAggregates(kinds, options.maxPatterns);
        }
      }
      // AUX fields precede the first key in every dump, so the snapshot time is known here.
      if (snapshotTime === null) {
        snapshotTime = snapshotTimeOf(parse.info, options.mtimeMs);
        decide();
      }
      const t0 = snapshotTime.ms;
      for (const rec of batch) {
        // A server drops an empty collection on load: no memory, no place in the aggregates.
        const empty = rec.elements === 0 && isEmptyCollection(rec);
        /** The other build's estimate minus this one's (weighBothBuilds), NaN when not known. */
        let otherBuild = NaN;
        if (duplicates.checked) duplicates.addRange(rec.db, keyBufferOf(rec), keyStartOf(rec), keyLengthOf(rec));
        if (empty) {
          emptyKeys++;
          rec.memory = undefined;
        } else if (sums) {
          // A model failure on one exotic key must not lose the whole load: the key keeps NULL
          // memory and the snapshot counts it, so reports can say so.
          try {
            if (both) {
              const m = (rec.memory = sums.addBoth(rec));
              const t = sums.lastTwin!;
              otherBuild = t.bytes - m.bytes;
              if (t.encoding !== m.encoding) encodingsAgree = false;
            } else rec.memory = sums.add(rec, keys);
          } catch {
            rec.memory = undefined;
            unestimated++;
          }
        }
        // The model's estimate, or one the record already carries (callers that estimate themselves).
        const estimate = rec.memory;
        const memory = estimate ? estimate.bytes : NaN;
        const encoding = estimate ? estimate.encoding : null;
        const size = memory === memory ? memory : rec.valueBytes;
        const kind = kinds.id(rec.db, rec.type, rec.rdbType, encoding);
        keys++;
        let pattern: string | null = null;
        let text: string | null = null;
        if (builder.deferredAt === null) {
          // Plain keys get their pattern from their bytes and need no printable text (it equals the
          // bytes); others are generalised on the printable text, which is stored when it differs
          // from the bytes (UTF-8 decoding shortens, escaping lengthens).
          const keyStart = keyStartOf(rec);
          pattern = patterns.plainPattern(keyBufferOf(rec), keyStart, keyStart + keyLengthOf(rec));
          if (pattern === null) {
            const printable = rec.keyPrintable;
            pattern = keyPattern(printable, options.patterns);
            if (printable.length !== keyLengthOf(rec)) text = printable;
          }
          if (!empty) {
            const bucket = ttlBucketIndex(rec.expireAtMs, t0);
            aggregates.add(kind, rec.type, pattern, bucket, rec.expireAtMs === null, rec.valueBytes, memory, size);
            if (otherAggregates !== null) {
              const other = memory + otherBuild;
              otherAggregates.add(kind, rec.type, pattern, bucket, rec.expireAtMs === null, rec.valueBytes, other, other === other ? other : rec.valueBytes);
            }
          }
        }
        if (minBytes !== null && size < minBytes) continue;
        if (heaps) {
          heaps.offer(size, rec, pattern!, kind, memory, text);
          continue;
        }
        if (!builder.add(rec, pattern, kind, memory, otherBuild, text, extraOf(rec))) {
          yield { t: 'batch', rows: builder.take(), keys, bytesIn: input.bytesIn() };
          lastEmit = Date.now();
          builder.add(rec, pattern, kind, memory, otherBuild, text, extraOf(rec));
        }
        kept++;
        if (builder.full) {
          yield { t: 'batch', rows: builder.take(), keys, bytesIn: input.bytesIn() };
          lastEmit = Date.now();
          decide();
        }
      }
      // Huge keys come one per parser batch: keep progress moving.
      if (Date.now() - lastEmit > 250) {
        yield { t: 'batch', rows: builder.take(), keys, bytesIn: input.bytesIn() };
        lastEmit = Date.now();
        decide();
      }
    }
  } catch (err) {
    if (!isRdbError(err)) throw err;
    failure = err;
  }
  if (heaps) {
    for (const row of heaps.drain()) {
      if (!builder.addHeld(row)) {
        yield { t: 'batch', rows: builder.take(), keys, bytesIn: input.bytesIn() };
        builder.addHeld(row);
      }
      kept++;
      if (builder.full) yield { t: 'batch', rows: builder.take(), keys, bytesIn: input.bytesIn() };
    }
  }
  if (builder.size > 0) yield { t: 'batch', rows: builder.take(), keys, bytesIn: input.bytesIn() };
  const info = parse.info;
  snapshotTime ??= snapshotTimeOf(info, options.mtimeMs);
  if (options.memoryModel && !model && info.version !== null) {
    model = options.memoryModel(info);
    sums = new BuildSums(model);
  }
  yield {
    t: 'end',
    end: {
      info: { magic: info.magic, version: info.version, unknownVersion: info.unknownVersion, aux: info.aux, checksum: info.checksum, bytesRead: info.bytesRead },
      aggregates: aggregates.rows(),
      keys,
      keptRows: kept,
      unestimated,
      allocationGap: sums?.allocationGap ?? 0,
      emptyKeys,
      duplicateKeys: duplicates.checked ? duplicates.duplicateKeys : null,
      profile: model?.profile ?? null,
      profileReason: model?.reason ?? null,
      keysBytes: sums?.keysBytes ?? 0,
      twin: sums?.twin() ?? null,
      twinIsDefault: model?.twinIsDefault === true,
      otherBuild: otherAggregates !== null ? { aggregates: otherAggregates.rows(), encodingsAgree } : null,
      snapshotTime,
      failure,
    },
  };
}

/**
 * AUX `ctime` (the server's time(NULL) at the save, rdb.c rdbSaveInfoAuxFields) in ms, or the file's
 * mtime when the dump has none or one no date can hold (core/date-range.ts): the snapshot's time is
 * printed as a date by every report.
 */
function snapshotTimeOf(info: RdbFileInfo, mtimeMs: number): { ms: number; source: 'ctime' | 'mtime' } {
  const v = auxValue(info, 'ctime');
  const ctime = v !== undefined && /^-?\d+$/.test(v) ? Number(v) : null;
  return ctime !== null && ctime > 0 && holdsDate(ctime * 1000) ? { ms: ctime * 1000, source: 'ctime' } : { ms: Math.round(mtimeMs), source: 'mtime' };
}

/** Min-heaps of the N biggest rows per pattern, for --top-per-pattern. */
class TopHeaps {
  private readonly heaps = new Map<string, HeldRow[]>();

  constructor(private readonly n: number, private readonly maxHeaps: number) {}

  offer(size: number, rec: KeyRecord, pattern: string, kind: number, memory: number, printable: string | null): void {
    let heap = this.heaps.get(pattern);
    if (heap === undefined) {
      if (this.heaps.size >= this.maxHeaps) {
        heap = this.heaps.get(OTHER_PATTERN);
        if (heap === undefined) this.heaps.set(OTHER_PATTERN, (heap = []));
      } else this.heaps.set(pattern, (heap = []));
    }
    if (heap.length >= this.n && !(size > heap[0]!.size)) return;
    const row: HeldRow = {
      size, key: rec.key.slice(), printable, pattern, kind, elements: rec.elements, valueBytes: rec.valueBytes, memory,
      largest: rec.largestElementBytes, expire: rec.expireAtMs === null ? NaN : rec.expireAtMs, access: accessOf(rec), extra: extraOf(rec),
    };
    if (heap.length < this.n) {
      heap.push(row);
      siftUp(heap, heap.length - 1);
    } else {
      heap[0] = row;
      siftDown(heap, 0);
    }
  }

  /** Every held row, pattern by pattern, biggest first; empties the heaps. */
  *drain(): Generator<HeldRow> {
    for (const [pattern, heap] of this.heaps) {
      this.heaps.delete(pattern);
      heap.sort((a, b) => b.size - a.size);
      yield* heap;
    }
  }
}

function siftUp(h: HeldRow[], i: number): void {
  const x = h[i]!;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p]!.size <= x.size) break;
    h[i] = h[p]!;
    i = p;
  }
  h[i] = x;
}

function siftDown(h: HeldRow[], i: number): void {
  const x = h[i]!;
  const n = h.length;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && h[c + 1]!.size < h[c]!.size) c++;
    if (h[c]!.size >= x.size) break;
    h[i] = h[c]!;
    i = c;
  }
  h[i] = x;
}
