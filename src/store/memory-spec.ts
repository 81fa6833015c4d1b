import { allocationGap, compactLimitsOf, DEFAULT_ENCODING_CONFIG, estimatorFor, parseProfile, profileFromAux, type EncodingConfig } from '../memory/index.js';
import type { RdbFileInfo } from '../rdb/file-info.js';
import type { CompactLimits } from '../rdb/index.js';
import type { MemoryModel } from './produce-rows.js';

/**
 * The memory model as plain data (it crosses to load workers): a fixed server profile or null (= from
 * the dump's redis-ver), and the loading server's encoding thresholds.
 */
export interface MemorySpec {
  server: string | null;
  config: EncodingConfig;
}

export const DEFAULT_MEMORY_SPEC: MemorySpec = { server: null, config: DEFAULT_ENCODING_CONFIG };

/** The memory model factory of a spec. `spec.server` must be valid (parseProfile throws otherwise). */
export function modelFromSpec(spec: MemorySpec): (info: RdbFileInfo) => MemoryModel {
  const fixed = spec.server === null ? null : parseProfile(spec.server);
  const config = spec.config;
  return (info) => {
    const profile = fixed ?? profileFromAux(info.aux);
    return {
      profile: profile.id,
      estimate: estimatorFor(profile, config),
      gap: (rec, encoding) => allocationGap(rec, encoding, profile),
    };
  };
}

/**
 * The compact-encoding limits the parser may assume for this memory model (CompactLimits): the
 * model's own config, or the default one when there is no model (nothing then reads what they skip).
 */
export function compactLimitsForSpec(spec: MemorySpec | null | undefined): CompactLimits {
  return compactLimitsOf(spec ? spec.config : DEFAULT_ENCODING_CONFIG);
}
