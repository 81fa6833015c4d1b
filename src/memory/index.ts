/**
 * The memory model: from a parsed key record, what a server of a chosen profile answers to
 * `MEMORY USAGE key SAMPLES 0` and `OBJECT ENCODING key` after loading the file (rdb-format.md §9).
 * A pure function of the record, the profile and the loading server's encoding thresholds.
 */
import type { KeyRecord, MemoryEstimate } from '../core/record.js';
import { classicEstimate } from './classic.js';
import { DEFAULT_ENCODING_CONFIG, type EncodingConfig } from './config.js';
import { sizingFor } from './sizing.js';

export type { ServerProfile } from './profile.js';
export { parseProfile, profileFromAux } from './profile.js';
export type { EncodingConfig } from './config.js';
export { DEFAULT_ENCODING_CONFIG, readRedisConf } from './config.js';
export { jemallocSize } from './jemalloc.js';
export type { KeyspaceOverhead } from './keyspace.js';
export { keyspaceOverhead } from './keyspace.js';
import type { ServerProfile } from './profile.js';

export function estimateMemory(rec: KeyRecord, profile: ServerProfile, config: EncodingConfig = DEFAULT_ENCODING_CONFIG): MemoryEstimate {
  const s = sizingFor(profile);
  return classicEstimate(rec, s, config);
}
