/**
 * The memory model: from a parsed key record, what a server of a chosen profile answers to
 * `MEMORY USAGE key SAMPLES 0` and `OBJECT ENCODING key` after loading the file (rdb-format.md §9).
 * A pure function of the record, the profile and the loading server's encoding thresholds.
 */
import type { KeyRecord, MemoryEstimate } from '../core/record.js';
import { classicEstimate } from './classic.js';
import { DEFAULT_ENCODING_CONFIG, type EncodingConfig } from './config.js';
import { modernEstimate } from './modern.js';
import { modernFamily } from './modern-key.js';
import { sizingFor } from './sizing.js';
import { valkey80Estimate } from './valkey80.js';
import { memoizeShortStrings } from './short-string-memo.js';

export type { ServerProfile } from './profile.js';
export { parseProfile, profileFromAux } from './profile.js';
export type { EncodingConfig } from './config.js';
export { compactLimitsOf, DEFAULT_ENCODING_CONFIG, ENCODING_DIRECTIVES, type EncodingDirective } from './config.js';
export { jemallocSize } from './jemalloc.js';
export { isRandomEncoding } from './randomness.js';
export type { KeyspaceOverhead } from './keyspace.js';
export { keyspaceOverhead } from './keyspace.js';
export { buildDecidable, chooseBuild, switchReason, twinProfile, twinWeight, undecidedReason, MIN_RESIDUAL_BYTES, type BuildChoice, type BuildEvidence } from './build-choice.js';
export { reconcile, allocationGap, EMPTY_SERVER_BYTES, type ReconcileInput, type Reconciliation } from './reconcile.js';
import type { ServerProfile } from './profile.js';

export function estimateMemory(rec: KeyRecord, profile: ServerProfile, config: EncodingConfig = DEFAULT_ENCODING_CONFIG): MemoryEstimate {
  return unmemoizedEstimatorFor(profile, config)(rec);
}

/**
 * estimateMemory with the profile's sizing helpers and model family worked out once: what a load
 * calls per key (building them per key showed in load profiles). Short plain strings get answers
 * shared between keys of one shape (short-string-memo.ts): `rec.memory` is read, never written.
 */
export function estimatorFor(profile: ServerProfile, config: EncodingConfig = DEFAULT_ENCODING_CONFIG): (rec: KeyRecord) => MemoryEstimate {
  return memoizeShortStrings(unmemoizedEstimatorFor(profile, config));
}

/** estimatorFor without the memo of short strings: what the memo is checked against. */
export function unmemoizedEstimatorFor(profile: ServerProfile, config: EncodingConfig = DEFAULT_ENCODING_CONFIG): (rec: KeyRecord) => MemoryEstimate {
  const s = sizingFor(profile);
  const modern = modernFamily(profile);
  if (modern) return (rec) => modernEstimate(rec, modern, s, config);
  if (profile.family === 'valkey') return (rec) => valkey80Estimate(rec, classicEstimate(rec, s, config), s);
  return (rec) => classicEstimate(rec, s, config);
}
