import { allocationGap, compactEntryLimits, DEFAULT_ENCODING_CONFIG, estimatorFor, parseProfile, profileFromAux, type EncodingConfig } from '../memory/index.js';
import type { RdbFileInfo } from '../rdb/file-info.js';
import type { ListpackSizing } from '../rdb/index.js';
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

/** Nothing to size when no memory model runs. */
export const NO_SIZING: ListpackSizing = Object.freeze({ hash: 0, zset: 0, set: 0 });

/** What the parser must size for a load with this memory model (see ListpackSizing). */
export function sizingForSpec(spec: MemorySpec | null | undefined): ListpackSizing {
  return spec ? compactEntryLimits(spec.config) : NO_SIZING;
}
