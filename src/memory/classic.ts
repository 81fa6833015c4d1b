/**
 * MEMORY USAGE on Redis 7.0–8.0 (rdb-format.md §9.1, §9.4, §9.7.0 "Redis 8.0"): value (incl. the
 * 16-byte robj) + the key's sds + one 24-byte dictEntry of the keyspace.
 */
import type { KeyRecord, MemoryEstimate } from '../core/record.js';
import { keyLengthOf } from '../core/record.js';
import { classicHash } from './classic-hashes.js';
import { classicList } from './classic-lists.js';
import { classicSet } from './classic-sets.js';
import { classicStream } from './classic-streams.js';
import { classicString } from './classic-strings.js';
import { classicZset } from './classic-zsets.js';
import type { EncodingConfig } from './config.js';
import type { ValueEstimate } from './estimate.js';
import { moduleValue } from './modules.js';
import type { Sizing } from './sizing.js';

const DICT_ENTRY = 24;

export function classicEstimate(rec: KeyRecord, s: Sizing, cfg: EncodingConfig): MemoryEstimate {
  const v = classicValue(rec, s, cfg);
  const key = s.Z(keyLengthOf(rec)) + DICT_ENTRY;
  return { encoding: v.encoding, bytes: Math.round(v.bytes + key), exact: v.exact };
}

function classicValue(rec: KeyRecord, s: Sizing, cfg: EncodingConfig): ValueEstimate {
  switch (rec.type) {
    case 'string':
      return classicString(rec, s);
    case 'list':
      return classicList(rec, s, cfg);
    case 'set':
      return classicSet(rec, s, cfg);
    case 'zset':
      return classicZset(rec, s, cfg);
    case 'hash':
      return classicHash(rec, s, cfg);
    case 'stream':
      return classicStream(rec, s);
    default:
      return moduleValue(rec, s);
  }
}
