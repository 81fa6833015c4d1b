import type { SizeHistogram } from './size-histogram.js';

/**
 * What the user's server calls the key's type (`TYPE key`), or the module type name for module
 * values (e.g. `vectorset`).
 */
export type RedisType = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream' | 'array' | 'gcra' | (string & {});

/**
 * How the file stores the value: one name per RDB value type id (rdb-format.md §4.0). The meaning of
 * ids 22/23 depends on the magic (REDIS vs VALKEY), hence separate names.
 */
export type RdbEncoding =
  | 'string' // 0
  | 'list' // 1 linked list (≤ 3.0)
  | 'set' // 2 hash table
  | 'zset' // 3 skiplist, string scores
  | 'hash' // 4 hash table
  | 'zset2' // 5 skiplist, binary scores
  | 'module-pre-ga' // 6
  | 'module' // 7 MODULE_2
  | 'zipmap' // 9
  | 'ziplist' // 10 list as ziplist
  | 'intset' // 11
  | 'zset-ziplist' // 12
  | 'hash-ziplist' // 13
  | 'quicklist' // 14 (ziplist nodes)
  | 'stream-listpacks' // 15
  | 'hash-listpack' // 16
  | 'zset-listpack' // 17
  | 'quicklist2' // 18 (listpack / plain nodes)
  | 'stream-listpacks2' // 19
  | 'set-listpack' // 20
  | 'stream-listpacks3' // 21
  | 'hash-metadata-pre-ga' // 22 under REDIS magic (7.4 RC)
  | 'hash-listpack-ex-pre-ga' // 23 under REDIS magic (7.4 RC)
  | 'hash2' // 22 under VALKEY magic (Valkey 9 hash with field TTLs)
  | 'hash-metadata' // 24 hash table with field TTLs (Redis 7.4+)
  | 'hash-listpack-ex' // 25 listpack with field TTLs (Redis 7.4+)
  | 'stream-listpacks4' // 26 (Redis 8.6, IDMP)
  | 'stream-listpacks5' // 27 (Redis 8.8, NACK zone)
  | 'array' // 28 (Redis 8.8)
  | 'gcra'; // 29 (Redis 8.8 builds with ENABLE_GCRA)

export interface StreamGroupInfo {
  nameBytes: number;
  pending: number; // group PEL size
  consumers: number;
  nacked: number; // type 27 NACK zone
  entriesRead: number | null; // null = unknown (-1)
  lastDeliveredId: string;
  /** The group name bytes (null when longer than the parser keeps). */
  name: Uint8Array | null;
  /** Per consumer: name, its length and PEL size (kept for the memory model; bounded by MAX_CONSUMERS_KEPT). */
  consumerShapes: { nameBytes: number; pending: number; name: Uint8Array | null }[];
}

export interface StreamInfo {
  length: number; // XLEN
  nodes: number; // radix tree keys (node listpacks)
  lastId: string;
  firstId: string | null; // types 19+
  maxDeletedId: string | null;
  entriesAdded: number | null;
  groups: number;
  pending: number; // Σ group PEL sizes
  consumers: number; // Σ consumers
  nacked: number; // Σ NACK zone sizes (type 27)
  groupInfo: StreamGroupInfo[]; // bounded by MAX_GROUPS_KEPT
  idmp: null | {
    durationSeconds: number;
    maxEntries: number;
    producers: number; // producers with ≥ 1 iid (XINFO pids-tracked)
    iidsTracked: number;
    iidsAdded: number;
    iidsDuplicates: number;
    /** Producers that hold iids: id bytes and the length of each iid (bounded; memory model). */
    producerShapes: { id: Uint8Array | null; iidLengths: number[] }[];
  };
}

export interface ModuleInfo {
  /** 9-character module type name, e.g. `vectorset`, `ReJSON-RL`. */
  name: string;
  encver: number;
}

export interface VectorSetInfo {
  dim: number; // VDIM
  count: number; // VCARD
  quant: 'f32' | 'int8' | 'bin' | 'unknown';
  m: number; // HNSW M
  projectionInputDim: number | null; // REDUCE
  attributes: number; // elements with a JSON attribute
  maxLevel: number;
  /** Layer-0 max links of the last element in the file (the list head after load; memory model). */
  lastL0MaxLinks: number;
  /** Length histograms of the last ≤ 20 element names / attributes in the file (memory model). */
  tailNames: number[];
  tailAttributes: number[];
}

export interface ArrayInfo {
  length: number; // ARLEN = last index + 1 (may exceed 2^53 only approximately)
  count: number; // ARCOUNT
  hasInsertIndex: boolean;
  /** Slice layout inputs for the memory model: elements per 4096-slot slice id (bounded). */
  sliceCounts: [sliceId: number, elements: number, minOffset: number, maxOffset: number][];
  sdsValueLengths: number[]; // bounded; lengths of SDS-tagged values
}

/**
 * What the memory model needs beyond counts, collected while the value is walked, never by holding
 * the value (rdb-format.md §9). Each field is present only for the encodings it concerns.
 */
export interface ValueShape {
  /** Strings: the value is a canonical int64 decimal of ≤ 20 chars (OBJECT ENCODING int). */
  strIsInt?: boolean;
  /** Single-blob encodings (intset, listpack, ziplist, zipmap): blob length after LZF. */
  blobBytes?: number;
  /**
   * Size in bytes of one listpack holding exactly these elements (what Redis builds when it
   * converts a ziplist / zipmap / small plain aggregate on load). Null when not computed
   * (too many elements to ever be a listpack).
   */
  listpackBytes?: number | null;
  /**
   * Skiplist zsets: listpackBytes with the scores as Redis ≤ 7.0 prints them on that conversion
   * (`%.17g`: 0.1 is "0.10000000000000001"), where 7.2+ writes the shortest text. Null likewise.
   */
  listpackBytesG17?: number | null;
  /** Every element (set member / list item) is a canonical int64: a set could load as intset. */
  allInts?: boolean;
  /** Widest intset width (2/4/8) the integer members need, when allInts. */
  intWidth?: number;
  /** Hash-table members / hash fields: length histogram. */
  members?: SizeHistogram;
  /** Hash values: length histogram. */
  values?: SizeHistogram;
  /** Hash fields with a TTL: field length histogram (mstr/entry gets TTL metadata). */
  ttlFieldLengths?: SizeHistogram;
  /**
   * Hash fields with a TTL: their absolute expiry times (ms) in file order, the order a loading
   * server adds them to its index of volatile fields (Valkey 9 `vset`, rdb-format.md §9.7.5);
   * omitted when the hash has too many to keep (65 536).
   */
  ttlFieldExpiries?: Float64Array;
  /**
   * Hash-table hashes: 0-based index of the first field or value longer than 64 bytes in file order,
   * or -1; decides the dict growth path on load (rdb-format.md §9.7.8 (a)).
   */
  firstLongEntryIndex?: number;
  /** Longest field and longest value (hash conversion thresholds check both). */
  maxFieldBytes?: number;
  maxValueBytes?: number;
  /** Quicklist PACKED nodes (listpack bytes) and stream node listpacks: size histogram. */
  nodes?: SizeHistogram;
  /** Quicklist PLAIN nodes: element size histogram. */
  plainNodes?: SizeHistogram;
  /**
   * Streams: raw 16-byte IDs (BE ms, BE seq) concatenated in file order (= ascending): the node keys,
   * then per group (same order as `stream.groupInfo`) its PEL and each consumer's PEL (same order as
   * `consumerShapes`). The memory model derives radix-tree node counts from them (rdb-format.md
   * §9.7.8 "Radix trees"); omit the field when the IDs would be too many to keep.
   */
  streamIds?: { nodes: Uint8Array; groups: { pel: Uint8Array; consumers: Uint8Array[] }[] };
}

/** One key of the dump. Everything a user can see about a key is a field here or a store column. */
export interface KeyRecord {
  db: number;
  /** The exact key bytes. */
  key: Uint8Array;
  /** `key.length`, where a record tells it without making a view of its bytes (the parser's do). */
  readonly keyLength?: number;
  /** Where such a record holds the key: keyBuf[keyStart, keyStart + keyLength) (see keyBufferOf). */
  readonly keyBuf?: Uint8Array;
  readonly keyStart?: number;
  /** UTF-8 when valid, else escaped as redis-cli prints binary (`"\xff"` style, without quotes). */
  keyPrintable: string;
  type: RedisType;
  rdbType: RdbEncoding;
  rdbTypeId: number;
  /** STRLEN for strings, LLEN / SCARD / ZCARD / HLEN / XLEN / VCARD / ARCOUNT otherwise. */
  elements: number;
  /** Bytes the value occupies in the file (after the type byte and the key). */
  valueBytes: number;
  /** Longest element (string length for strings; member/field/value/item otherwise). */
  largestElementBytes: number;
  /** Absolute Unix ms, or null. */
  expireAtMs: number | null;
  idleSeconds: number | null;
  lfuFreq: number | null;
  /** Byte offset of the record's first byte (its first prefix opcode, or the type byte). */
  offset: number;
  /** Hashes with field TTLs: how many fields carry one, and the earliest. */
  fieldsWithTtl?: number;
  minFieldExpireAtMs?: number | null;
  stream?: StreamInfo;
  module?: ModuleInfo;
  vectorSet?: VectorSetInfo;
  array?: ArrayInfo;
  /** Redis 8.6+ KEY_META classes attached to the key (`KMT1` …). */
  keyMeta?: { classes: { name: string; version: number; flags: number; firstString: string | null }[] };
  shape: ValueShape;
  /** Filled by the memory model (src/memory), never by the parser. */
  memory?: MemoryEstimate;
}

export interface MemoryEstimate {
  /** OBJECT ENCODING once a server of the chosen profile has loaded the file. */
  encoding: string;
  /** Estimated MEMORY USAGE key SAMPLES 0. */
  bytes: number;
  /** False when the figure depends on randomness (skiplist levels, hash seeds) or module internals. */
  exact: boolean;
}

/**
 * A list, set, sorted set or hash with no element. No server holds one: Redis 6.2.6+ / 7.0+ and
 * Valkey skip such a key on load and count it ("empty keys skipped: N"; `R@7.0:rdb.c rdbLoadObject`
 * `goto emptykey`, PR #9297), older servers kept a broken empty key. Empty strings and streams are
 * ordinary keys (a stream whose entries were all deleted stays).
 */
export function isEmptyCollection(rec: { readonly type: RedisType; readonly elements: number }): boolean {
  return rec.elements === 0 && (rec.type === 'list' || rec.type === 'set' || rec.type === 'zset' || rec.type === 'hash');
}

/** The key's length in bytes; a parser record answers without making a view of the key. */
export function keyLengthOf(rec: Pick<KeyRecord, 'key' | 'keyLength'>): number {
  return rec.keyLength ?? rec.key.length;
}

/**
 * A buffer holding the key's bytes from keyStartOf(rec) on, for keyLengthOf(rec) bytes: a parser
 * record answers with its own buffer, without making a view of the key (a view costs ~40 ns and
 * ~100 bytes of young-generation garbage per key, a sixth of what a load allocates per tiny key).
 */
export function keyBufferOf(rec: Pick<KeyRecord, 'key' | 'keyBuf'>): Uint8Array {
  return rec.keyBuf ?? rec.key;
}

/** Where the key starts in keyBufferOf(rec). */
export function keyStartOf(rec: Pick<KeyRecord, 'keyBuf' | 'keyStart'>): number {
  return rec.keyBuf !== undefined ? rec.keyStart! : 0;
}
