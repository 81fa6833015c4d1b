import { isEmptyCollection, type KeyRecord, type MemoryEstimate } from '../core/record.js';
import type { PrefixEvidence } from '../store/build-guess.js';
import { BuildSums } from '../store/build-sums.js';
import { settleBuild, type MemorySpec } from '../store/memory-spec.js';
import type { MemoryModel, ProfileSums } from '../store/produce-rows.js';

/**
 * The check `load` makes at the end of a dump, made by `keys`: whether the whole dump points to the
 * allocator build its first keys chose (two-build-lines.ts). `load` switches its rows to the other
 * build (or reads the dump again) when it does not; `keys` has printed its lines as it read them, so it says so instead, with the `--server` that
 * gives the estimates `load` stores. Its sums are a load's (BuildSums, settled by settleBuild over
 * the keys per db), the first keys' exact under both builds (PrefixEvidence).
 */
export class DumpBuildCheck {
  private readonly sums: BuildSums;
  private readonly perDb = new Map<number, { keys: number; expires: number }>();

  /**
   * `model`: the one the first keys chose, with its twin (prefixDecides); `prefix`: the evidence it
   * was chosen on, over the dump's first `keysBefore` keys.
   */
  constructor(
    private readonly model: MemoryModel,
    private readonly prefix: PrefixEvidence,
    private keysBefore: number,
    private readonly spec: MemorySpec,
  ) {
    this.sums = new BuildSums(model);
  }

  /** The next key's estimate under the model, added to the sums; undefined for an empty collection (a server drops it: no memory). */
  estimate(rec: KeyRecord): MemoryEstimate | undefined {
    const index = this.keysBefore++;
    if (rec.elements === 0 && isEmptyCollection(rec)) return undefined;
    const m = this.sums.add(rec, index);
    let db = this.perDb.get(rec.db);
    if (db === undefined) this.perDb.set(rec.db, (db = { keys: 0, expires: 0 }));
    db.keys++;
    if (rec.expireAtMs !== null) db.expires++;
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
    const mine = withPrefix({ profile: model.profile, keysBytes: this.sums.keysBytes, allocationGap: this.sums.allocationGap });
    const perDb = new Map(this.perDb);
    for (const [db, c] of prefix.perDb) {
      const d = perDb.get(db);
      perDb.set(db, d === undefined ? c : { keys: d.keys + c.keys, expires: d.expires + c.expires });
    }
    const settled = settleBuild(
      this.spec,
      { profile: mine.profile, profileReason: null, keysBytes: mine.keysBytes, allocationGap: mine.allocationGap, twin: withPrefix(this.sums.twin()!), twinIsDefault: model.twinIsDefault },
      model.twin!.usedMem,
      [...perDb.values()],
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
