import { keyBufferOf, keyLengthOf, keyStartOf, type KeyRecord } from '../core/record.js';
import { auxValue, type RdbFileInfo } from '../rdb/index.js';
import { redisGlob, type KeyMatcher } from '../patterns/redis-glob.js';
import { argumentBytes } from './argv-bytes.js';
import { UsageError } from './exit.js';

/** The options of `keys` that select keys. */
export interface KeyFilterOptions {
  db?: string[];
  type?: string[];
  match?: string;
  minBytes?: string;
  /** --ttl: true (keys with an expiry), --no-ttl: false, neither: undefined. */
  ttl?: boolean;
  expiresBefore?: string;
}

/**
 * Types a record can have besides module type names (RedisType). Not `gcra`: a dump holding type
 * 29 is refused (rdb/values/type-table.ts: no release writes it), so no key could match it.
 */
const CORE_TYPES = ['string', 'list', 'set', 'zset', 'hash', 'stream', 'array'];
/** Module type names are 9 characters of A-Z a-z 0-9 - _ (Redis's moduleTypeNameIsValid). */
const MODULE_TYPE_NAME = /^[A-Za-z0-9_-]{9}$/;

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const DURATION = /^(?:\d+(?:ms|s|m|h|d|w))+$/;
/**
 * ISO 8601 / RFC 3339 in extended format: a date, then optionally T (or t, or a space), hh[:mm[:ss[.fff…]]]
 * (a comma as decimal sign too, any number of digits, as `date -Ins` and Python write them) and a
 * zone Z, ±hh, ±hhmm or ±hh:mm (`date +%FT%T%z` writes +0200).
 */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** --expires-before: an absolute time, or a duration counted from the dump's ctime. */
type ExpiryLimit = { at: number } | { afterCtime: number; text: string };

/**
 * What `keys` keeps, parsed from its options (bad values are usage errors). The checks that need no
 * memory estimate (db, type, TTL, expiry, pattern) run first, before any formatting or estimate;
 * --min-bytes needs the estimate and runs after it.
 */
export class KeyFilter {
  private constructor(
    private readonly dbs: ReadonlySet<number> | null,
    private readonly types: ReadonlySet<string> | null,
    private readonly matcher: KeyMatcher | null,
    readonly minBytes: number | null,
    private readonly ttl: boolean | null,
    private readonly expiry: ExpiryLimit | null,
  ) {}

  static parse(o: KeyFilterOptions): KeyFilter {
    const dbs = o.db?.length ? new Set(o.db.map(parseDb)) : null;
    const types = o.type?.length ? new Set(o.type.map(parseType)) : null;
    const matcher = o.match !== undefined ? redisGlob(argumentBytes(o.match, '--match')) : null;
    let minBytes: number | null = null;
    if (o.minBytes !== undefined) {
      if (!/^\d+$/.test(o.minBytes) || !Number.isSafeInteger(Number(o.minBytes))) throw new UsageError(`--min-bytes must be a whole number of bytes, got ${JSON.stringify(o.minBytes)}`);
      minBytes = Number(o.minBytes);
    }
    // Keys without an expiry never expire before anything: the two together select nothing, always.
    if (o.ttl === false && o.expiresBefore !== undefined) throw new UsageError('--no-ttl selects keys without an expiry and --expires-before keys with one: give one of them');
    const expiry = o.expiresBefore !== undefined ? parseExpiry(o.expiresBefore) : null;
    return new KeyFilter(dbs, types, matcher, minBytes, o.ttl ?? null, expiry);
  }

  /** No option selects anything: every key is printed. */
  get keepsAll(): boolean {
    return this.dbs === null && this.types === null && this.matcher === null && this.minBytes === null && this.ttl === null && this.expiry === null;
  }

  /**
   * The check of everything but --min-bytes, for a dump whose AUX fields are known (the first key
   * comes after them), or null when nothing is checked there. Throws a UsageError when a duration
   * is given and the dump has no ctime to count it from.
   */
  beforeEstimate(info: RdbFileInfo): ((rec: KeyRecord) => boolean) | null {
    const { dbs, types, matcher, ttl } = this;
    let expiresBefore: number | null = null;
    if (this.expiry !== null) {
      if ('at' in this.expiry) expiresBefore = this.expiry.at;
      else {
        const ctime = auxValue(info, 'ctime');
        if (ctime === undefined || !/^\d+$/.test(ctime) || Number(ctime) <= 0) {
          throw new UsageError(`--expires-before ${this.expiry.text}: this dump has no creation time (AUX ctime) to count from; give an ISO time instead`);
        }
        expiresBefore = Number(ctime) * 1000 + this.expiry.afterCtime;
      }
    }
    if (dbs === null && types === null && matcher === null && ttl === null && expiresBefore === null) return null;
    return (rec) => {
      if (dbs !== null && !dbs.has(rec.db)) return false;
      if (types !== null && !types.has(rec.type)) return false;
      if (ttl !== null && (rec.expireAtMs !== null) !== ttl) return false;
      if (expiresBefore !== null && (rec.expireAtMs === null || rec.expireAtMs >= expiresBefore)) return false;
      if (matcher !== null) {
        return matcher(keyBufferOf(rec), keyStartOf(rec), keyLengthOf(rec));
      }
      return true;
    };
  }

  /** --min-bytes on a record whose estimate is made: the estimate, else the value's bytes in the file. */
  bigEnough(rec: KeyRecord): boolean {
    return this.minBytes === null || (rec.memory?.bytes ?? rec.valueBytes) >= this.minBytes;
  }
}

function parseDb(v: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`--db must be a database number (0, 1, ...), got ${JSON.stringify(v)}`);
  return Number(v);
}

/** A --type value: a core type name or a module's type name, else a UsageError (keys and report take the same). */
export function parseType(v: string): string {
  if (CORE_TYPES.includes(v) || MODULE_TYPE_NAME.test(v)) return v;
  throw new UsageError(`--type must be one of ${CORE_TYPES.join(', ')} or a module's 9-character type name (vectorset), got ${JSON.stringify(v)}`);
}

/**
 * An ISO 8601 time (`2026-01-31`, `2026-01-31T12:00`, `…:00.123456Z`, `…+02:00`, `…+0200`; UTC when
 * no zone is given) or a duration after the dump's ctime (`90m`, `1h30m`, `7d`; units ms s m h d w).
 */
function parseExpiry(v: string): ExpiryLimit {
  if (DURATION.test(v)) {
    let ms = 0;
    for (const m of v.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) ms += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    if (Number.isSafeInteger(ms)) return { afterCtime: ms, text: v };
  } else {
    const at = isoTimeMs(v);
    if (at !== null) return { at };
  }
  throw new UsageError(`--expires-before must be an ISO time (2026-01-31, 2026-01-31T12:00:00Z) or a duration after the dump's ctime (90m, 1h30m, 7d), got ${JSON.stringify(v)}`);
}

/**
 * An ISO time (ISO_TIME) as Unix ms, or null when it names no moment: a day the month does not have
 * (2026-02-30: Date.parse would take it for March 2), an hour past 23 (24:00 alone, the day's end,
 * is taken), a minute or second past 59, a zone past ±23:59. Keys expire at whole milliseconds: a
 * limit between two (sub-millisecond digits) is rounded up, so `expireAtMs < limit` keeps exactly the
 * keys expiring before the time given.
 */
function isoTimeMs(v: string): number | null {
  const m = ISO_TIME.exec(v);
  if (m === null) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const digits = m[7] ?? '';
  const zone = m[8] ?? 'Z';
  if (month! < 1 || month! > 12 || day! < 1 || minute > 59 || second > 59) return null;
  if (hour > 24 || (hour === 24 && (minute > 0 || second > 0 || /[1-9]/.test(digits)))) return null;
  const date = new Date(0);
  date.setUTCFullYear(year!, month! - 1, day!);
  if (date.getUTCMonth() !== month! - 1) return null; // the day overflowed into the next month
  let ms = date.getTime() + ((hour * 60 + minute) * 60 + second) * 1000;
  ms += Number(digits.slice(0, 3).padEnd(3, '0')) + (/[1-9]/.test(digits.slice(3)) ? 1 : 0);
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = zone.length > 3 ? Number(zone.slice(-2)) : 0;
    if (oh > 23 || om > 59) return null;
    ms -= (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return Number.isSafeInteger(ms) ? ms : null;
}
