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
import { sdsBytes } from './sds.js';
import { sizingFor, type Sizing } from './sizing.js';

export type { ServerProfile } from './profile.js';
export { parseProfile, profileFromAux } from './profile.js';
export type { EncodingConfig } from './config.js';
export { compactLimitsOf, DEFAULT_ENCODING_CONFIG, readRedisConf } from './config.js';
export { jemallocSize } from './jemalloc.js';
export type { KeyspaceOverhead } from './keyspace.js';
export { keyspaceOverhead } from './keyspace.js';
export { reconcile, allocationGap, EMPTY_SERVER_BYTES, type ReconcileInput, type Reconciliation } from './reconcile.js';
import type { ServerProfile } from './profile.js';

export function estimateMemory(rec: KeyRecord, profile: ServerProfile, config: EncodingConfig = DEFAULT_ENCODING_CONFIG): MemoryEstimate {
  return estimatorFor(profile, config)(rec);
}

/**
 * estimateMemory with the profile's sizing helpers and model family worked out once: what a load
 * calls per key (building them per key showed in load profiles).
 */
export function estimatorFor(profile: ServerProfile, config: EncodingConfig = DEFAULT_ENCODING_CONFIG): (rec: KeyRecord) => MemoryEstimate {
  const s = sizingFor(profile);
  const modern = modernFamily(profile);
  if (modern) return (rec) => modernEstimate(rec, modern, s, config);
  if (profile.family === 'valkey') return (rec) => valkey80(rec, classicEstimate(rec, s, config), s);
  return (rec) => classicEstimate(rec, s, config);
}

/**
 * Valkey 8.0 (§9.7.0): the value as Redis 7.2 counts it, but the key sits inside a dictEntry of
 * 17 + S(kl) bytes instead of a separate sds + 24-byte entry.
 */
function valkey80(rec: KeyRecord, est: MemoryEstimate, s: Sizing): MemoryEstimate {
  const classicKey = s.Z(rec.key.length) + 24;
  const valkeyKey = s.A(17 + sdsBytes(rec.key.length, s.sdsRule));
  // hash-table sets store most members directly in buckets (§9.7.4): the 24-byte entries are an upper bound
  const approx = est.encoding === 'hashtable' || est.encoding === 'skiplist';
  return { ...est, bytes: est.bytes - classicKey + valkeyKey, exact: est.exact && !approx };
}
