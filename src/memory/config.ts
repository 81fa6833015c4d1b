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

/** Directive names, including the pre-7.0 `*-ziplist-*` aliases Redis still accepts. */
const DIRECTIVES: Record<string, keyof EncodingConfig> = {
  'hash-max-listpack-entries': 'hashMaxListpackEntries',
  'hash-max-ziplist-entries': 'hashMaxListpackEntries',
  'hash-max-listpack-value': 'hashMaxListpackValue',
  'hash-max-ziplist-value': 'hashMaxListpackValue',
  'zset-max-listpack-entries': 'zsetMaxListpackEntries',
  'zset-max-ziplist-entries': 'zsetMaxListpackEntries',
  'zset-max-listpack-value': 'zsetMaxListpackValue',
  'zset-max-ziplist-value': 'zsetMaxListpackValue',
  'set-max-intset-entries': 'setMaxIntsetEntries',
  'set-max-listpack-entries': 'setMaxListpackEntries',
  'set-max-listpack-value': 'setMaxListpackValue',
  'list-max-listpack-size': 'listMaxListpackSize',
  'list-max-ziplist-size': 'listMaxListpackSize',
};

/**
 * Reads the encoding thresholds from a redis.conf text. Later lines win, as in Redis. Memory-unit
 * suffixes (`1kb`, `2m`) are honoured like Redis's `memtoull`. Unknown directives are ignored.
 */
export function readRedisConf(text: string): Partial<EncodingConfig> {
  const out: Partial<EncodingConfig> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [name, value] = line.split(/\s+/, 2);
    const field = DIRECTIVES[name!.toLowerCase()];
    if (!field || value === undefined) continue;
    const n = parseConfNumber(value.replace(/^["']|["']$/g, ''));
    if (n !== null) out[field] = n;
  }
  return out;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };

function parseConfNumber(s: string): number | null {
  const m = /^(-?\d+)([a-z]*)$/i.exec(s);
  if (!m) return null;
  const unit = UNITS[m[2]!.toLowerCase()];
  return unit === undefined ? null : Number(m[1]) * unit;
}

/** Byte and entry limits of one quicklist node for `list-max-listpack-size` (`quicklistNodeLimit`). */
export function listNodeLimits(fill: number): { bytes: number; entries: number } {
  if (fill >= 0) return { bytes: Infinity, entries: Math.max(fill, 1) };
  const classes = [4096, 8192, 16384, 32768, 65536];
  return { bytes: classes[Math.min(-fill, classes.length) - 1]!, entries: Infinity };
}
