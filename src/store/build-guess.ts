/**
 * Which allocator build to estimate a load with before its end is known. The build is told by
 * `used-mem` against the sums of both builds over every key (memory/build-choice.ts), which a load
 * has only at its end; a load estimated with the build that then loses is loaded again with the
 * winner (load-snapshot.ts). So the load starts with the build the first keys point to: the
 * decision is made on the first PREFIX_KEYS records with both builds' sums scaled to the whole file
 * by bytes, and the end still decides on the full sums. A dump whose keys are alike from start to
 * end (the usual case: the keyspace is written in hash-table order) is then read once, whichever
 * build wrote it; a dump read whole within the prefix is decided exactly.
 */
import { isEmptyCollection, keyLengthOf, type KeyRecord, type MemoryEstimate } from '../core/record.js';
import { chooseBuild, parseProfile, type BuildEvidence } from '../memory/index.js';
import { KeysPerDb } from './keys-per-db.js';
import type { MemoryModel, ProfileSums } from './produce-rows.js';

/** Records held for the decision (a few MB of records; key bytes stay in the parser's arena). */
export const PREFIX_KEYS = 16_384;

/** What the prefix is measured against. */
export interface PrefixScale {
  /** Uncompressed size of the whole dump, or null when unknown (OpenedInput.rdbBytes: an LZ4 file, a stream). */
  rdbBytes: number | null;
  /** True when the prefix is the whole dump (the parse ended within it). */
  whole: boolean;
}

/**
 * The model to load with: `model` itself, or its twin build when the prefix says used-mem will
 * choose it (then marked `twinIsDefault`, the default summed alongside as the twin). `unclear`: the
 * prefix had a build to choose and could not tell it (PrefixEvidence.clear), so the default stays for
 * want of better and the end of the load may well choose the twin.
 */
export function modelForPrefix(model: MemoryModel, prefix: readonly KeyRecord[], scale: PrefixScale): { model: MemoryModel; unclear: boolean } {
  if (!prefixDecides(model) || prefix.length === 0) return { model, unclear: false };
  const evidence = new PrefixEvidence(model);
  for (const rec of prefix) {
    try {
      evidence.add(rec);
    } catch {
      continue; // the load counts it as unestimated
    }
  }
  const decided = evidence.decide(scale);
  return { model: decided, unclear: !evidence.clear };
}

/**
 * Both builds' sums over the first keys of a dump, added a key at a time: what modelForPrefix
 * weighs, for a reader that sees each key once (`keys`, which writes the first keys' lines under
 * both builds and prints the decided one's). `model` must decide by its prefix (prefixDecides).
 */
export class PrefixEvidence {
  private mineKeys = 0;
  private mineGap = 0;
  private twinKeys = 0;
  private twinGap = 0;
  private readonly perDb = new KeysPerDb();
  /** Where the last key added ends in the dump. */
  private prefixBytes = 0;
  private readonly twin: NonNullable<MemoryModel['twin']>;

  constructor(private readonly model: MemoryModel) {
    this.twin = model.twin!;
  }

  /**
   * Adds a key; its estimate under the model and under the twin, or null for an empty collection
   * (a server drops it on load: no memory). Throws what an estimate throws; the key then counts
   * toward the prefix's bytes only.
   */
  add(rec: KeyRecord): { mine: MemoryEstimate; twin: MemoryEstimate } | null {
    this.prefixBytes = rec.offset + keyLengthOf(rec) + rec.valueBytes;
    if (isEmptyCollection(rec)) return null;
    const model = this.model;
    const twin = this.twin;
    const m = model.estimate(rec);
    const t = twin.estimate(rec);
    this.mineKeys += m.bytes;
    this.mineGap += model.gap ? model.gap(rec, m.encoding) : 0;
    this.twinKeys += t.bytes;
    this.twinGap += twin.gap(rec, t.encoding);
    this.perDb.add(rec);
    return { mine: m, twin: t };
  }

  /** Both builds' sums over the keys added (every key estimated under each), and their keys per db. */
  totals(): { sums: ProfileSums[]; perDb: KeysPerDb } {
    return {
      sums: [
        { profile: this.model.profile, keysBytes: this.mineKeys, allocationGap: this.mineGap },
        { profile: this.twin.profile, keysBytes: this.twinKeys, allocationGap: this.twinGap },
      ],
      perDb: this.perDb,
    };
  }

  /**
   * Whether the last decide() was clear (BuildChoice.clear): false when the first keys could not
   * tell the build (nor scale to the file: an LZ4 file's or a stream's size is unknown) and the default
   * stayed for want of better.
   */
  clear = false;

  /** The model to go on with: the model, or its twin when used-mem points to it. */
  decide(scale: PrefixScale): MemoryModel {
    const { model, twin } = this;
    const factor = scale.whole ? 1 : scale.rdbBytes !== null && this.prefixBytes > 0 ? scale.rdbBytes / this.prefixBytes : null;
    this.clear = false;
    if (factor === null) return model;
    const scaled = this.perDb.values().map((d) => ({ keys: Math.round(d.keys * factor), expires: Math.round(d.expires * factor) }));
    const evidence = (profile: string, keys: number, gap: number): BuildEvidence => ({
      profile: parseProfile(profile),
      keysBytes: keys * factor,
      allocationGapBytes: gap * factor,
    });
    const choice = chooseBuild(twin.usedMem, scaled, evidence(model.profile, this.mineKeys, this.mineGap), evidence(twin.profile, this.twinKeys, this.twinGap));
    this.clear = choice.clear;
    if (!choice.switched) return model;
    return {
      profile: twin.profile,
      estimate: twin.estimate,
      gap: twin.gap,
      reason: model.reason,
      twin: { profile: model.profile, estimate: model.estimate, gap: model.gap ?? (() => 0), weight: twin.weight, usedMem: twin.usedMem },
      twinIsDefault: true,
    };
  }
}

/**
 * Whether the first keys can change the build `model` loads with: only a model with a twin build
 * not already chosen (a twin is summed only when used-mem is large enough to tell the builds
 * apart, modelFromSpec). Otherwise nothing waits for a prefix.
 */
export function prefixDecides(model: MemoryModel): boolean {
  return model.twin !== undefined && !model.twinIsDefault;
}

/**
 * The parser's batches with the first ones joined until PREFIX_KEYS records (or the end): the
 * first batch yielded is the prefix. A parse error inside the prefix still yields what was read
 * before it, then is thrown. `whole()` tells whether that first batch was the whole dump.
 * `wanted` is asked once, with the source's first batch in hand (the dump's AUX fields read): when
 * it says no, batches pass through as they come, and the consumer gets its first keys at once
 * instead of after PREFIX_KEYS of them (a load's first rows reach SQLite ~0.1 s sooner).
 */
export class PrefixBatches {
  private ended = false;

  constructor(
    private readonly source: AsyncIterable<KeyRecord[]>,
    private readonly prefixKeys = PREFIX_KEYS,
    private readonly wanted: () => boolean = () => true,
  ) {}

  whole(): boolean {
    return this.ended;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<KeyRecord[]> {
    const it = this.source[Symbol.asyncIterator]();
    let held: KeyRecord[] = [];
    let failure: unknown = null;
    let limit = this.prefixKeys;
    let asked = false;
    try {
      while (held.length < limit) {
        const next = await it.next();
        if (next.done) {
          this.ended = true;
          break;
        }
        if (!asked) {
          asked = true;
          if (!this.wanted()) limit = 0;
        }
        for (const rec of next.value) held.push(rec);
      }
    } catch (err) {
      failure = err;
    }
    try {
      // Handed on and no longer referenced here: the prefix's records (and the key buffers they
      // point into) are garbage once the consumer is done with them, not kept for the whole file.
      if (held.length > 0) yield held.splice(0);
      if (failure !== null) throw failure;
      if (this.ended) return;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      if (!this.ended && failure === null) await it.return?.();
    }
  }
}
