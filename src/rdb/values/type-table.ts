import type { RdbEncoding, RedisType } from '../../core/record.js';
import type { ValueDecoder } from './decoder.js';
import { decodeString } from './strings.js';
import { decodeLinkedList, decodeQuicklist, decodeQuicklist2, decodeZiplistList } from './lists.js';
import { decodeIntset, decodeSetHashtable, decodeSetListpack } from './sets.js';
import { decodeZset2, decodeZsetListpack, decodeZsetV1, decodeZsetZiplist } from './zsets.js';
import {
  decodeHashHashtable, decodeHashListpack, decodeHashListpackEx, decodeHashListpackExPreGa, decodeHashMetadata,
  decodeHashMetadataPreGa, decodeHashZiplist, decodeValkeyHash2, decodeZipmap,
} from './hashes.js';
import { decodeStream } from './streams.js';
import { decodeModule2 } from './modules.js';
import { decodeArray } from './arrays.js';

export interface ValueType {
  type: RedisType;
  rdbType: RdbEncoding;
  decoder: ValueDecoder;
}

const atomic = (decode: Extract<ValueDecoder, { kind: 'atomic' }>['decode']): ValueDecoder => ({ kind: 'atomic', decode });
const streaming = (decode: Extract<ValueDecoder, { kind: 'streaming' }>['decode']): ValueDecoder => ({ kind: 'streaming', decode });

/** Value type ids shared by every writer (rdb-format.md §4.0). */
const COMMON: (ValueType | undefined)[] = [];
COMMON[0] = { type: 'string', rdbType: 'string', decoder: atomic(decodeString) };
COMMON[1] = { type: 'list', rdbType: 'list', decoder: streaming(decodeLinkedList) };
COMMON[2] = { type: 'set', rdbType: 'set', decoder: streaming(decodeSetHashtable) };
COMMON[3] = { type: 'zset', rdbType: 'zset', decoder: streaming(decodeZsetV1) };
COMMON[4] = { type: 'hash', rdbType: 'hash', decoder: streaming(decodeHashHashtable) };
COMMON[5] = { type: 'zset', rdbType: 'zset2', decoder: streaming(decodeZset2) };
COMMON[7] = { type: 'module', rdbType: 'module', decoder: streaming(decodeModule2) };
COMMON[9] = { type: 'hash', rdbType: 'zipmap', decoder: atomic(decodeZipmap) };
COMMON[10] = { type: 'list', rdbType: 'ziplist', decoder: atomic(decodeZiplistList) };
COMMON[11] = { type: 'set', rdbType: 'intset', decoder: atomic(decodeIntset) };
COMMON[12] = { type: 'zset', rdbType: 'zset-ziplist', decoder: atomic(decodeZsetZiplist) };
COMMON[13] = { type: 'hash', rdbType: 'hash-ziplist', decoder: atomic(decodeHashZiplist) };
COMMON[14] = { type: 'list', rdbType: 'quicklist', decoder: streaming(decodeQuicklist) };
COMMON[15] = { type: 'stream', rdbType: 'stream-listpacks', decoder: streaming(decodeStream) };
COMMON[16] = { type: 'hash', rdbType: 'hash-listpack', decoder: atomic(decodeHashListpack) };
COMMON[17] = { type: 'zset', rdbType: 'zset-listpack', decoder: atomic(decodeZsetListpack) };
COMMON[18] = { type: 'list', rdbType: 'quicklist2', decoder: streaming(decodeQuicklist2) };
COMMON[19] = { type: 'stream', rdbType: 'stream-listpacks2', decoder: streaming(decodeStream) };
COMMON[20] = { type: 'set', rdbType: 'set-listpack', decoder: atomic(decodeSetListpack) };
COMMON[21] = { type: 'stream', rdbType: 'stream-listpacks3', decoder: streaming(decodeStream) };

/** Under the REDIS magic, 22–28 are Redis's (§4.0, §4.12). */
const REDIS: (ValueType | undefined)[] = [...COMMON];
REDIS[22] = { type: 'hash', rdbType: 'hash-metadata-pre-ga', decoder: streaming(decodeHashMetadataPreGa) };
REDIS[23] = { type: 'hash', rdbType: 'hash-listpack-ex-pre-ga', decoder: atomic(decodeHashListpackExPreGa) };
REDIS[24] = { type: 'hash', rdbType: 'hash-metadata', decoder: streaming(decodeHashMetadata) };
REDIS[25] = { type: 'hash', rdbType: 'hash-listpack-ex', decoder: atomic(decodeHashListpackEx) };
REDIS[26] = { type: 'stream', rdbType: 'stream-listpacks4', decoder: streaming(decodeStream) };
REDIS[27] = { type: 'stream', rdbType: 'stream-listpacks5', decoder: streaming(decodeStream) };
REDIS[28] = { type: 'array', rdbType: 'array', decoder: streaming(decodeArray) };

/** Under the VALKEY magic (RDB ≥ 80), 22 is HASH_2; Valkey has no 23–28 in any release (§7.2). */
const VALKEY: (ValueType | undefined)[] = [...COMMON];
VALKEY[22] = { type: 'hash', rdbType: 'hash2', decoder: streaming(decodeValkeyHash2) };

export function valueTypeFor(magic: 'REDIS' | 'VALKEY', id: number): ValueType | undefined {
  return (magic === 'VALKEY' ? VALKEY : REDIS)[id];
}

/** Why a type id is refused, for ids we know of but cannot or must not read. */
export function refusedTypeReason(magic: 'REDIS' | 'VALKEY', id: number): string {
  if (id === 6) return 'module value of type 6 (MODULE_PRE_GA, Redis 4.0 RC) cannot be skipped: it has no opcodes';
  if (id === 29 && magic === 'REDIS') return 'unknown type 29 (GCRA exists only in Redis builds with ENABLE_GCRA; no release writes it)';
  if (id === 23 && magic === 'VALKEY') return 'unknown type 23 (Valkey PATH_HASH, RDB 81, is in no release)';
  return `unknown type ${id}`;
}
