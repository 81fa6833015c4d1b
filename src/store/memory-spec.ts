import {
  allocationGap,
  buildDecidable,
  chooseBuild,
  compactLimitsOf,
  DEFAULT_ENCODING_CONFIG,
  estimatorFor,
  parseProfile,
  profileFromAux,
  switchReason,
  twinProfile,
  twinWeight,
  undecidedReason,
  type EncodingConfig,
  type ServerProfile,
} from '../memory/index.js';
import type { RdbFileInfo } from '../rdb/file-info.js';
import type { CompactLimits } from '../rdb/index.js';
import type { MemoryModel, ProfileSums } from './produce-rows.js';

/**
 * The memory model as plain data (it crosses to load workers): a fixed server profile or null (= from
 * the dump's redis-ver / valkey-ver, the build told by used-mem), and the loading server's encoding
 * thresholds. `reason` says why a fixed profile was fixed (default: it was given by --server).
 */
export interface MemorySpec {
  server: string | null;
  config: EncodingConfig;
  reason?: string | null;
  /**
   * Set when used-mem chose `server` over the default on a first pass: that pass's sums for the
   * default and where its release came from, so the reason can be stated with exact sums of both.
   */
  replaced?: ProfileSums & { source: string | null };
}

export const DEFAULT_MEMORY_SPEC: MemorySpec = { server: null, config: DEFAULT_ENCODING_CONFIG };

/**
 * The memory model factory of a spec. `spec.server` must be valid (parseProfile throws otherwise).
 * Without a fixed server the profile comes from the dump's version with an official build assumed,
 * and when `used-mem` is large enough to tell builds apart the other build (twinProfile) is summed
 * alongside, for settleBuild at the end of the load.
 */
export function modelFromSpec(spec: MemorySpec): (info: RdbFileInfo) => MemoryModel {
  const fixed = spec.server === null ? null : parseProfile(spec.server);
  const config = spec.config;
  const modelOf = (profile: ServerProfile) => ({
    profile: profile.id,
    estimate: estimatorFor(profile, config),
    gap: (rec: Parameters<typeof allocationGap>[0], encoding: string) => allocationGap(rec, encoding, profile),
  });
  return (info) => {
    if (fixed) return { ...modelOf(fixed), reason: spec.reason ?? 'given by --server' };
    const profile = profileFromAux(info.aux);
    const usedMem = usedMemOf(info.aux);
    const source = versionSource(info.aux);
    if (!buildDecidable(usedMem)) return { ...modelOf(profile), reason: `${source}, ${undecidedReason(usedMem)}` };
    return { ...modelOf(profile), reason: source, twin: { ...modelOf(twinProfile(profile)), weight: twinWeight, usedMem } };
  };
}

/**
 * After a load with a twin summed: the build used-mem points to. `rerun` is the spec to load the
 * dump again with when that is the twin; `reason` is the profile's final reason either way (after
 * that second load, stated with its exact sums).
 */
export function settleBuild(
  spec: MemorySpec,
  end: {
    profile: string | null; profileReason: string | null; keysBytes: number; allocationGap: number;
    twin: ProfileSums | null; twinIsDefault?: boolean;
  },
  usedMem: number | null,
  perDb: readonly { keys: number; expires: number }[],
): { reason: string | null; rerun: MemorySpec | null } {
  if (end.profile === null) return { reason: end.profileReason, rerun: null };
  const evidence = (p: ProfileSums) => ({ profile: parseProfile(p.profile), keysBytes: p.keysBytes, allocationGapBytes: p.allocationGap });
  const mine = evidence({ profile: end.profile, keysBytes: end.keysBytes, allocationGap: end.allocationGap });
  const prefix = (source: string | null) => (source ? `${source}, ` : '');
  const replaced = spec.replaced;
  if (replaced && usedMem !== null) {
    return { reason: `${prefix(replaced.source)}${switchReason(usedMem, perDb, mine, evidence(replaced))}`, rerun: null };
  }
  if (spec.server !== null || end.twin === null) return { reason: end.profileReason, rerun: null };
  // The default build is "assumed" and the other one must beat it, whichever the load ran with.
  const other = evidence(end.twin);
  const choice = end.twinIsDefault ? chooseBuild(usedMem, perDb, other, mine) : chooseBuild(usedMem, perDb, mine, other);
  const reason = `${prefix(end.profileReason)}${choice.reason}`;
  if (choice.profile.id === end.profile) return { reason, rerun: null };
  if (!choice.switched) return { reason, rerun: { ...spec, server: choice.profile.id, reason } };
  const sums = { profile: end.profile, keysBytes: end.keysBytes, allocationGap: end.allocationGap };
  return { reason, rerun: { ...spec, server: choice.profile.id, reason, replaced: { ...sums, source: end.profileReason } } };
}

/**
 * The compact-encoding limits the parser may assume for this memory model (CompactLimits): the
 * model's own config, or the default one when there is no model (nothing then reads what they skip).
 */
export function compactLimitsForSpec(spec: MemorySpec | null | undefined): CompactLimits {
  return compactLimitsOf(spec ? spec.config : DEFAULT_ENCODING_CONFIG);
}

function usedMemOf(aux: readonly { key: string; value: string }[]): number | null {
  const v = aux.find((a) => a.key === 'used-mem')?.value;
  return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null;
}

/** "from redis-ver 7.0.15" / "from valkey-ver 8.0.9", or the fallback when the file names none. */
function versionSource(aux: readonly { key: string; value: string }[]): string {
  for (const key of ['valkey-ver', 'redis-ver']) {
    const v = aux.find((a) => a.key === key)?.value;
    if (v !== undefined) return `from ${key} ${v}`;
  }
  return 'no server version in the file';
}
