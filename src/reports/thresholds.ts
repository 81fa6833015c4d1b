/**
 * The numbers the judging reports (diagnosis, eviction, capacity, forecast) judge by, each with the
 * rule it comes from. "Seed" is the Redis OOM troubleshooting page these reports answer
 * (`../shared/seeds/`); Redis sources are cited by file and symbol.
 */

/** Alarm when used memory passes this share of maxmemory (seed: alarm on used_memory / maxmemory > 0.85). */
export const ALARM_SHARE = 0.85;

/**
 * Headroom over used memory a host needs for the fork of BGSAVE / AOF rewrite, whose copy-on-write can
 * copy every page written while it runs (seed: leave 25–50% headroom over used_memory_peak).
 */
export const FORK_HEADROOM_MIN = 0.25;
export const FORK_HEADROOM_COMFORT = 0.5;

/** Largest share of the host's RAM Redis should use (seed: don't run Redis at > 80% of OS memory). */
export const MAX_RAM_SHARE = 0.8;

/** A forecast needs at least this many snapshots of one instance… */
export const MIN_FORECAST_SNAPSHOTS = 3;
/** …at least this far apart: closer ones measure noise, not growth (a later one is skipped). */
export const MIN_SNAPSHOT_SPACING_MS = 3_600_000;

export const DAY_MS = 86_400_000;

/**
 * A trend that reaches the alarm or maxmemory only further out than this gets no date: a date a
 * century away tells a capacity plan nothing, and slow growth can put it past the last day a date
 * holds (ECMA-262: 8.64e15 ms, the year 275760).
 */
export const FORECAST_HORIZON_DAYS = 100 * 365.25;

/**
 * LRU idle-time bands for cold data (IDLE opcode: seconds since the key was last touched when the
 * dump was written; rdb-format.md §3.2). Upper bounds in seconds; the last band is open.
 */
export const IDLE_BANDS: readonly { name: string; below: number }[] = [
  { name: '<1h', below: 3_600 },
  { name: '<1d', below: 86_400 },
  { name: '<7d', below: 7 * 86_400 },
  { name: '<30d', below: 30 * 86_400 },
  { name: '>=30d', below: Infinity },
];
/** Idle at least this long counts as cold (a week untouched). */
export const COLD_IDLE_SECONDS = 7 * 86_400;

/**
 * LFU counter bands (FREQ opcode: the 8-bit logarithmic counter, 0–255). A new key starts at
 * LFU_INIT_VAL = 5 (`R:server.h`) and loses one per lfu-decay-time minutes untouched
 * (`R:evict.c LFUDecrAndReturn`); with the default lfu-log-factor 10 about 100 hits make 10 and a
 * million make 255 (redis.conf's table). Upper bounds, exclusive.
 */
export const LFU_BANDS: readonly { name: string; below: number }[] = [
  { name: '0', below: 1 },
  { name: '1-4', below: 5 },
  { name: '5-9', below: 10 },
  { name: '10-99', below: 100 },
  { name: '100-255', below: 256 },
];
/** Counters below a new key's start value have decayed: the key was not used for a while. */
export const COLD_LFU_BELOW = 5;

/** Default caps a remedy suggests when the key's siblings give none (seed: "trim a list to the last 1000 entries"). */
export const LIST_CAP = 1000;
export const STREAM_CAP = 10_000;
export const ZSET_CAP = 1000;

/**
 * Splitting a big hash: into buckets of this many fields on average, half the default
 * hash-max-listpack-entries (512, `R:config.c`), so that buckets filled unevenly by a hash of the
 * field still stay in the compact listpack encoding (several times smaller than a hash table).
 */
export const HASH_SPLIT_FIELDS = 256;
/** A hash is told to split only past this many fields: a smaller one is a listpack or close to one. */
export const HASH_SPLIT_MIN_FIELDS = 2 * HASH_SPLIT_FIELDS;

/** A collection with at least this many elements and no TTL is flagged as growing without a cap. */
export const UNBOUNDED_ELEMENTS = 10_000;
/** A key holding at least this share of its pattern's memory is flagged (one key dominates). */
export const DOMINANT_KEY_SHARE = 0.5;
/** A pattern whose memory is at least this share without TTL is flagged as immortal. */
export const IMMORTAL_SHARE = 0.9;
/** Keys at least this idle (LRU) with no TTL are "forgotten": the remedy is to remove them. */
export const FORGOTTEN_IDLE_SECONDS = 30 * 86_400;
