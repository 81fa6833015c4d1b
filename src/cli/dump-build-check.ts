import { isEmptyCollection, type KeyRecord, type MemoryEstimate } from '../core/record.js';
import type { PrefixEvidence } from '../store/build-guess.js';
import { KeysPerDb } from '../store/keys-per-db.js';
import { settleBuild, type MemorySpec } from '../store/memory-spec.js';
import type { MemoryModel, ProfileSums } from '../store/produce-rows.js';

/** One key in this many (by position) gets its gap and its twin estimate summed, weighted up. */
const SAMPLE_EVERY = 64;
/** Keys at least this large (elements or file bytes) always do: one alone can weigh. */
const ALWAYS_ELEMENTS = 1024;
const ALWAYS_BYTES = 16_384;

/**
 * The check `load` makes at the end of a dump, made by `keys`: whether the whole dump points to the
 * allocator build its first keys chose (two-build-lines.ts). `load` switches its rows to the other
 * build (or reads the dump again) when it does not; `keys` has printed its lines as it read them, so
 * it says so instead, with the `--server` that gives the estimates `load` stores. It weighs the sums
 * a load weighs, by load's rule (settleBuild, over the keys per db): the first keys' exact under both
 * builds (PrefixEvidence); after them, the model's estimate of every key (the one `keys` prints),
 * and the allocation gaps and the twin build's difference on a sample, weighted up: one key in
 * SAMPLE_EVERY by position, and every key large enough to weigh on its own. Summing them as a load
 * does (every key's gap, the twin of one small key in 16 and of every key of 64 elements or 4 KB)
 * cost `keys` 11–14% on the bench's mixed and blobs dumps; the builds differ there by 3–8% of
 * used-mem, far more than such a sample can miss.
 */
export class DumpBuildCheck {
  private keysBytes = 0;
  private allocationGap = 0;
  private twinKeys = 0;
  private twinGap = 0;
  private readonly perDb = new KeysPerDb();

  /**
   * `model`: the one the first keys chose, with its twin (prefixDecides); `prefix`: the evidence it
   * was chosen on, over the dump's first `keysBefore` keys.
   */
  constructor(
    private readonly model: MemoryModel,
    private readonly prefix: PrefixEvidence,
    private keysBefore: number,
    private readonly spec: MemorySpec,
  ) {}

  /** The next key's estimate under the model, added to the sums; undefined for an empty collection (a server drops it: no memory). */
  estimate(rec: KeyRecord): MemoryEstimate | undefined {
    const index = this.keysBefore++;
    if (rec.elements === 0 && isEmptyCollection(rec)) return undefined;
    const model = this.model;
    const m = model.estimate(rec);
    const gap = model.gap ? model.gap(rec, m.encoding) : 0;
    this.keysBytes += m.bytes;
    this.allocationGap += gap;
    const weight = rec.elements >= ALWAYS_ELEMENTS || rec.valueBytes >= ALWAYS_BYTES ? 1 : index % SAMPLE_EVERY === 0 ? SAMPLE_EVERY : 0;
    if (weight > 0) {
      const twin = model.twin!;
      const t = twin.estimate(rec);
      this.twinKeys += weight * (t.bytes - m.bytes);
      this.twinGap += weight * (twin.gap(rec, t.encoding) - gap);
    }
    this.perDb.add(rec);
    return m;
  }

  /**
   * Once every key of the dump was given: null when the whole dump points to the model's build, else
   * the build it points to and why (the clause a load stores as its profile's reason).
   */
  otherBuild(): { profile: string; reason: string } | null {
    const model = this.model;
    const prefix = this.prefix.totals();
    const withPrefix = (s: ProfileSums): ProfileSums => {
      const p = prefix.sums.find((x) => x.profile === s.profile)!;
      return { profile: s.profile, keysBytes: s.keysBytes + p.keysBytes, allocationGap: s.allocationGap + p.allocationGap };
    };
    const mine = withPrefix({ profile: model.profile, keysBytes: this.keysBytes, allocationGap: this.allocationGap });
    const twin = withPrefix({ profile: model.twin!.profile, keysBytes: this.keysBytes + this.twinKeys, allocationGap: this.allocationGap + this.twinGap });
    const settled = settleBuild(
      this.spec,
      { profile: mine.profile, profileReason: null, keysBytes: mine.keysBytes, allocationGap: mine.allocationGap, twin, twinIsDefault: model.twinIsDefault },
      model.twin!.usedMem,
      this.perDb.values(prefix.perDb),
    );
    return settled.rerun === null ? null : { profile: settled.rerun.server!, reason: settled.reason ?? '' };
  }

  /** What to tell the user about the dump `name` once every key was given, or null when the build holds. */
  note(name: string): string | null {
    const other = this.otherBuild();
    if (other === null) return null;
    return `${name}: note: the memory estimates are ${this.model.profile}'s, the build the dump's first keys point to, ` +
      `but the whole dump points to ${other.profile} — ${other.reason}; \`--server ${other.profile}\` gives the estimates \`load\` stores`;
  }
}
