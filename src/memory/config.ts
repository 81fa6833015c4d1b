/**
 * Encoding thresholds of the *loading* server (rdb-format.md §9.5): they decide whether a value
 * stays compact or becomes a hash table / skiplist / quicklist after load.
 */
export interface EncodingConfig {
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  setMaxIntsetEntries: number;
  setMaxListpackEntries: number;
  setMaxListpackValue: number;
  /** `list-max-listpack-size`: negative = byte limit class (−1 … −5 → 4 … 64 KiB), positive = entries. */
  listMaxListpackSize: number;
}

/** Redis 7.0 defaults (`R:config.c`, §9.5). */
export const DEFAULT_ENCODING_CONFIG: EncodingConfig = Object.freeze({
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  setMaxListpackEntries: 128,
  setMaxListpackValue: 64,
  listMaxListpackSize: -2,
});

/**
 * This server's element limits for compact encodings (§9.5), as the parser's CompactLimits: what it
 * keeps compact on load bounds the per-element work a parse must do for this model.
 */
export function compactLimitsOf(cfg: EncodingConfig): { hash: number; zset: number; set: number; intset: number } {
  return {
    hash: Math.max(0, cfg.hashMaxListpackEntries),
    zset: Math.max(0, cfg.zsetMaxListpackEntries),
    set: Math.max(0, cfg.setMaxListpackEntries),
    intset: Math.max(0, cfg.setMaxIntsetEntries),
  };
}

/**
 * How a redis.conf directive sets one threshold (`R:config.c` standardConfig table, 7.0 to 8.x):
 * its field, whether it takes memory units (MEMORY_CONFIG: `memtoull`, as `1kb`; INTEGER_CONFIG:
 * a plain integer) and its bounds, beyond which Redis refuses to start.
 */
export interface EncodingDirective {
  field: keyof EncodingConfig;
  memoryUnits: boolean;
  min: bigint;
  max: bigint;
}

/** C's LONG_MAX (size_t configs, bounded to it) and INT_MIN/INT_MAX (int configs), on a 64-bit build. */
const LONG_MAX = 2n ** 63n - 1n;
const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;

const sizeConfig = (field: keyof EncodingConfig, memoryUnits: boolean): EncodingDirective => ({ field, memoryUnits, min: 0n, max: LONG_MAX });

/**
 * The directives that set an EncodingConfig field, by lower-case name, with the pre-7.0
 * `*-ziplist-*` aliases Redis still accepts. `set-max-listpack-*` are Redis 7.2's (and, unlike the
 * hash and zset values, take no units there).
 */
export const ENCODING_DIRECTIVES: Readonly<Record<string, EncodingDirective>> = {
  'hash-max-listpack-entries': sizeConfig('hashMaxListpackEntries', false),
  'hash-max-ziplist-entries': sizeConfig('hashMaxListpackEntries', false),
  'hash-max-listpack-value': sizeConfig('hashMaxListpackValue', true),
  'hash-max-ziplist-value': sizeConfig('hashMaxListpackValue', true),
  'zset-max-listpack-entries': sizeConfig('zsetMaxListpackEntries', false),
  'zset-max-ziplist-entries': sizeConfig('zsetMaxListpackEntries', false),
  'zset-max-listpack-value': sizeConfig('zsetMaxListpackValue', true),
  'zset-max-ziplist-value': sizeConfig('zsetMaxListpackValue', true),
  'set-max-intset-entries': sizeConfig('setMaxIntsetEntries', false),
  'set-max-listpack-entries': sizeConfig('setMaxListpackEntries', false),
  'set-max-listpack-value': sizeConfig('setMaxListpackValue', false),
  'list-max-listpack-size': { field: 'listMaxListpackSize', memoryUnits: false, min: INT_MIN, max: INT_MAX },
  'list-max-ziplist-size': { field: 'listMaxListpackSize', memoryUnits: false, min: INT_MIN, max: INT_MAX },
};

/** Byte and entry limits of one quicklist node for `list-max-listpack-size` (`quicklistNodeLimit`). */
export function listNodeLimits(fill: number): { bytes: number; entries: number } {
  if (fill >= 0) return { bytes: Infinity, entries: Math.max(fill, 1) };
  const classes = [4096, 8192, 16384, 32768, 65536];
  return { bytes: classes[Math.min(-fill, classes.length) - 1]!, entries: Infinity };
}
