import type { KeyRecord, MemoryEstimate } from '../core/record.js';
import type { MemoryModel, ProfileSums } from './produce-rows.js';

/**
 * What the allocator build of a dump is settled on (memory-spec.ts settleBuild, against `used-mem`):
 * Σ estimates and Σ allocation gaps of the model over every key it estimates, and of its twin build
 * over the keys `twin.weight` picks, weighted up (memory/build-choice.ts twinWeight: every large key,
 * one small key in 16), or of both builds over every key when a load weighs both (addBoth). A load
 * sums them over the whole dump (produce-rows.ts).
 */
export class BuildSums {
  /** Σ of the model's estimates. */
  keysBytes = 0;
  /** Σ of the model's allocation gaps. */
  allocationGap = 0;
  /** Σ weight × (twin − model) over the weighted keys. */
  private twinKeys = 0;
  private twinGap = 0;

  constructor(private readonly model: MemoryModel) {}

  /**
   * The key's estimate under the model, added to the sums. `index`: how many keys of the dump come
   * before it (the twin's sample is taken by position). Throws what an estimate throws; the key's
   * estimate is then not added.
   */
  add(rec: KeyRecord, index: number): MemoryEstimate {
    const model = this.model;
    const m = model.estimate(rec);
    const gap = model.gap ? model.gap(rec, m.encoding) : 0;
    const twin = model.twin;
    const weight = twin ? twin.weight(rec, index) : 0;
    if (weight > 0) {
      const t = twin!.estimate(rec);
      this.twinKeys += weight * (t.bytes - m.bytes);
      this.twinGap += weight * (twin!.gap(rec, t.encoding) - gap);
    }
    this.keysBytes += m.bytes;
    this.allocationGap += gap;
    return m;
  }

  /** The twin's estimate of the key last given to addBoth. */
  lastTwin: MemoryEstimate | null = null;

  /**
   * The key's estimate under the model, its twin's (which the model must have) left in lastTwin,
   * both added to the sums: a load that weighs both builds on every key (produce-rows.ts) sums the
   * twin exactly. Throws what an estimate throws; nothing is added then.
   */
  addBoth(rec: KeyRecord): MemoryEstimate {
    const model = this.model;
    const twin = model.twin!;
    const m = model.estimate(rec);
    const t = twin.estimate(rec);
    const gap = model.gap ? model.gap(rec, m.encoding) : 0;
    const twinGap = twin.gap(rec, t.encoding);
    this.twinKeys += t.bytes - m.bytes;
    this.twinGap += twinGap - gap;
    this.keysBytes += m.bytes;
    this.allocationGap += gap;
    this.lastTwin = t;
    return m;
  }

  /** The twin build's sums (its sampled differences added to the model's), or null without a twin. */
  twin(): ProfileSums | null {
    const twin = this.model.twin;
    return twin ? { profile: twin.profile, keysBytes: this.keysBytes + this.twinKeys, allocationGap: this.allocationGap + this.twinGap } : null;
  }
}
