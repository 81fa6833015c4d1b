/**
 * Which allocator build wrote the dump (docs/memory-model.md §2 "Server profile and allocator
 * build"). Official builds link the bundled jemalloc with an 8-byte quantum, distro packages
 * (Debian's redis-server among them) the system jemalloc with a 16-byte one (rdb-format.md §9.2);
 * the file names the release but not the build. What it does record is `used-mem`, the server's allocated bytes when it wrote the file, and
 * the two builds explain different shares of it: every allocation of 9–64 bytes rounds up further
 * with quantum 16. The default profile (official build) is kept unless its twin explains `used-mem`
 * clearly better:
 *   - the default leaves at least MIN_RESIDUAL_BYTES unexplained (or over-explained). A live
 *     server holds state the file does not show (clients, buffers, scripts, a replication backlog):
 *     a few MB, which on a small dump is as large as the quantum's whole effect;
 *   - the twin leaves at most half of that, and fits `used-mem` (MAX_TWIN_RESIDUAL_SHARE,
 *     MAX_TWIN_EXCESS_SHARE).
 * On the official builds' dumps of shared/corpus/modern the default leaves 0.2–1.4 MB unexplained
 * and stays; on a 1 M-key dump of Debian's server it leaves 12 % (quantum 16 leaves 3 %). One
 * number cannot rule out an official build whose live state happens to match what quantum 16 would
 * add: the summary names the profile and both shares, and --server overrides.
 */
import { reconcile } from './reconcile.js';
import { parseProfile, type ServerProfile } from './profile.js';

/** Below this |used-mem − explained| the default is kept: live-server state alone can reach it. */
export const MIN_RESIDUAL_BYTES = 4 * 1024 * 1024;
/**
 * The twin must leave at most this share of used-mem unexplained (a live server's own state stays
 * unexplained: 5 % on 100 k keys of Debian's server, against 1 % after a restart) and over-explain
 * it by at most MAX_TWIN_EXCESS_SHARE (the model explains real allocations only).
 */
export const MAX_TWIN_RESIDUAL_SHARE = 0.08;
export const MAX_TWIN_EXCESS_SHARE = 0.03;

/** What a load sums for one profile: Σ key estimates and Σ allocation gaps. */
export interface BuildEvidence {
  profile: ServerProfile;
  keysBytes: number;
  allocationGapBytes: number;
}

export interface BuildChoice {
  profile: ServerProfile;
  /** True when used-mem chose the twin over the default. */
  switched: boolean;
  /**
   * False when neither build explains used-mem well enough to choose (the default then stays for
   * want of better): the default leaves more than live-server state unexplained and the twin does
   * not fit clearly better. On a load's first keys: their sums, scaled to the file, cannot tell.
   */
  clear: boolean;
  /** Why this profile, one clause for the summary ("explains 96.8% of used-mem, redis-7.0 87.7%"). */
  reason: string;
}

/** Small keys whose twin estimate is taken: one in TWIN_SAMPLE_EVERY (by position in the file). */
export const TWIN_SAMPLE_EVERY = 16;
/** Keys at least this large (elements or file bytes) always get their twin estimate. */
const TWIN_ALWAYS_ELEMENTS = 64;
const TWIN_ALWAYS_BYTES = 4096;

/**
 * How much the twin's difference on the `index`-th key counts, 0 when it is not estimated. The
 * twin differs from the default by the rounding of small allocations, a few bytes per element:
 * large keys (few, where that adds up) are all estimated, the many small ones one in
 * TWIN_SAMPLE_EVERY, weighted by it. This keeps summing the twin at about a sixteenth of the
 * estimation work while no single large key can be missed.
 */
export function twinWeight(rec: { elements: number; valueBytes: number }, index: number): number {
  if (rec.elements >= TWIN_ALWAYS_ELEMENTS || rec.valueBytes >= TWIN_ALWAYS_BYTES) return 1;
  return index % TWIN_SAMPLE_EVERY === 0 ? TWIN_SAMPLE_EVERY : 0;
}

/** Whether used-mem can tell the build at all: below MIN_RESIDUAL_BYTES no residual ever can. */
export function buildDecidable(usedMem: number | null): usedMem is number {
  return usedMem !== null && usedMem >= MIN_RESIDUAL_BYTES;
}

/** The same release built with the other jemalloc quantum. */
export function twinProfile(p: ServerProfile): ServerProfile {
  return parseProfile(`${p.family}-${p.version[0]}.${p.version[1]}${p.quantum === 8 ? '-q16' : ''}`);
}

/**
 * The profile of the build that likelier wrote the dump: `assumed` (the default) unless `twin`
 * explains `usedMem` clearly better (see the file comment). `perDb`: keys and volatile keys per db.
 */
export function chooseBuild(
  usedMem: number | null,
  perDb: readonly { keys: number; expires: number }[],
  assumed: BuildEvidence,
  twin: BuildEvidence,
): BuildChoice {
  if (!buildDecidable(usedMem)) return { profile: assumed.profile, switched: false, clear: false, reason: undecidedReason(usedMem) };
  const explained = (e: BuildEvidence) => reconcile({ usedMem, perDb, allocationGapBytes: e.allocationGapBytes }, e.keysBytes, e.profile).explainedBytes;
  const residualAssumed = Math.abs(usedMem - explained(assumed));
  const twinLeft = usedMem - explained(twin);
  const residualTwin = Math.abs(twinLeft);
  const twinFits = twinLeft <= MAX_TWIN_RESIDUAL_SHARE * usedMem && -twinLeft <= MAX_TWIN_EXCESS_SHARE * usedMem;
  const shares = (first: BuildEvidence, second: BuildEvidence) =>
    `${first.profile.id} ${pct(explained(first) / usedMem)}, ${second.profile.id} ${pct(explained(second) / usedMem)}`;
  if (residualAssumed >= MIN_RESIDUAL_BYTES && residualTwin <= residualAssumed / 2 && twinFits) {
    return { profile: twin.profile, switched: true, clear: true, reason: switchReason(usedMem, perDb, twin, assumed) };
  }
  const close = residualAssumed < MIN_RESIDUAL_BYTES;
  const why = close ? 'too close to tell the build apart' : 'no build explains it clearly better';
  return { profile: assumed.profile, switched: false, clear: close, reason: `official build assumed; used-mem is ${why} (${shares(assumed, twin)})` };
}

/**
 * Why `chosen` replaced `other`, with both shares of used-mem (a load states it again with the
 * chosen build's exact sums once it has loaded the dump with it).
 */
export function switchReason(usedMem: number, perDb: readonly { keys: number; expires: number }[], chosen: BuildEvidence, other: BuildEvidence): string {
  const share = (e: BuildEvidence) => pct(reconcile({ usedMem, perDb, allocationGapBytes: e.allocationGapBytes }, e.keysBytes, e.profile).explainedBytes / usedMem);
  return `explains ${share(chosen)} of used-mem, ${other.profile.id} ${share(other)} (build told by used-mem; --server overrides)`;
}

/** Why the default stays when used-mem is absent or too small to weigh the builds. */
export function undecidedReason(usedMem: number | null): string {
  return usedMem === null ? 'official build assumed (no used-mem in the file to tell the build)' : 'official build assumed (used-mem too small to tell the build)';
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
