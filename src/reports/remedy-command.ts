import { terminalSafe } from '../output/terminal-safe.js';
import { escapeBinary, printable } from '../rdb/printable.js';
import { FORGOTTEN_IDLE_SECONDS, HASH_SPLIT_FIELDS, HASH_SPLIT_MIN_FIELDS, LIST_CAP, STREAM_CAP, ZSET_CAP } from './thresholds.js';

const UTF8 = new TextEncoder();

/** One big key as the diagnosis sees it. */
export interface BigKeyFacts {
  key: Uint8Array;
  type: string;
  elements: number;
  /** Seconds left at snapshot time, or null without a TTL. */
  ttlSeconds: number | null;
  /** LRU idle seconds when the dump has them. */
  idleSeconds: number | null;
  /** A stream's entries delivered to its consumer groups and not acknowledged (Σ of the groups' PELs). */
  streamPending?: number | null;
}

/**
 * What the key's siblings (the other keys of its pattern and type) do, from the snapshot's rows. Of
 * its type: another type's keys say nothing of this one's length or lifetime (a string's element
 * count is its length; the tokens of `user:*` expire, its profile hashes do not).
 */
export interface SiblingFacts {
  /** Keys of the pattern and type, this one included. */
  keys: number;
  /** Siblings with a TTL, and their median remaining TTL at snapshot time (seconds). */
  withTtl: number;
  medianTtlSeconds: number | null;
  /** Median element count of the pattern's keys of this type. */
  medianElements: number | null;
}

export interface RemedyCommand {
  /** What to type (redis-cli syntax, the key quoted as redis-cli reads it), or null when no one command fits. */
  command: string | null;
  /** Why, in a few words. */
  why: string;
}

/**
 * Key names past this many bytes get no command: no one types or pastes a line of up to 4 characters
 * a byte of it (redis-cli's prompt takes 4096 characters, linenoise's LINENOISE_MAX_LINE), and a
 * name past PRINTABLE_MAX_BYTES is cut in its printable form, so the command would name another key.
 */
const COMMAND_KEY_MAX_BYTES = 64 << 10;

/**
 * The command that fixes one big key, following the seed's remedies: a TTL on cache keys (the one its
 * siblings use, their median remaining TTL), a hard cap on lists, sets, sorted sets and streams
 * (LTRIM / ZREMRANGEBYRANK / XTRIM), splitting a huge hash into buckets that stay compact, and UNLINK
 * (a delete that frees memory off the main thread) for a giant nobody has touched in a month.
 */
export function remedyCommand(k: BigKeyFacts, s: SiblingFacts | null): RemedyCommand {
  if (k.key.length > COMMAND_KEY_MAX_BYTES) return { command: null, why: `a key name of ${k.key.length} bytes: too long to type; fix it where it is written` };
  const key = cliArgument(k.key);
  const untimed = k.ttlSeconds === null;
  // The siblings' TTL only when most of them have one: when most have none, no TTL is the family's
  // rule, and a ready-to-paste EXPIRE would delete a key its application keeps for good.
  const siblings = s === null ? 0 : s.keys - 1;
  const siblingTtl = untimed && s !== null && s.withTtl * 2 > siblings && s.medianTtlSeconds !== null && s.medianTtlSeconds > 0 ? Math.round(s.medianTtlSeconds) : null;
  const fewTtl = untimed && siblingTtl === null && s !== null && s.withTtl > 0 ? `only ${s.withTtl} of ${counted(siblings, 'sibling')} ${s.withTtl === 1 ? 'has' : 'have'} one` : null;
  if (untimed && k.idleSeconds !== null && k.idleSeconds >= FORGOTTEN_IDLE_SECONDS) {
    return { command: `UNLINK ${key}`, why: `no TTL and untouched for ${Math.floor(k.idleSeconds / 86_400)} days` };
  }
  const ttlWhy = (n: number) => `no TTL; ${n} of ${counted(siblings, 'sibling')} ${n === 1 ? 'has' : 'have'} one (median ${formatDuration(siblingTtl!)})`;
  // A cap from the siblings when they are clearly smaller, else the default cap.
  const cap = (fallback: number) => {
    const m = s?.medianElements ?? null;
    return m !== null && s!.keys >= 3 && m > 0 && m * 2 <= k.elements ? niceCeil(m) : fallback;
  };
  switch (k.type) {
    case 'string':
      if (siblingTtl !== null) return { command: `EXPIRE ${key} ${siblingTtl}`, why: ttlWhy(s!.withTtl) };
      return untimed
        ? { command: `EXPIRE ${key} <seconds>`, why: fewTtl === null ? 'no TTL, nor have its siblings: give it one if it is a cache entry' : `no TTL, like most siblings (${fewTtl}): give it one if it is a cache entry` }
        : { command: null, why: 'has a TTL, so it expires by itself; if the value is large, compress or split it' };
    case 'list': {
      const n = cap(LIST_CAP);
      // The tail is the newest only when the list is fed by RPUSH: fed by LPUSH (the idiom of LTRIM's
      // own docs: LPUSH, then LTRIM 0 N-1) it is the oldest, and -N -1 would drop every recent entry.
      // The dump does not say which end is pushed, so the why names the other command.
      if (k.elements > n) return { command: `LTRIM ${key} -${n} -1`, why: `the last ${n} of ${k.elements}: newest if RPUSHed; LPUSHed? LTRIM 0 ${n - 1}` };
      if (siblingTtl !== null) return { command: `EXPIRE ${key} ${siblingTtl}`, why: ttlWhy(s!.withTtl) };
      return { command: null, why: `${counted(k.elements, 'element')}${untimed ? ', no TTL' : ''}: cap it where it is written (LTRIM after each push)` };
    }
    case 'zset': {
      const n = cap(ZSET_CAP);
      if (k.elements > n) return { command: `ZREMRANGEBYRANK ${key} 0 -${n + 1}`, why: `keep the ${n} highest scores of ${k.elements}` };
      break;
    }
    case 'stream': {
      const n = cap(STREAM_CAP);
      if (k.elements > n) {
        // XTRIM deletes the oldest entries whether or not a consumer group still has them pending
        // (R:t_stream.c streamTrim): those are the messages a stalled consumer has not handled yet.
        const pending = k.streamPending ?? 0;
        const why = pending > 0
          ? `keep ~${n} of ${k.elements} entries, but ${pending} are pending in its consumer groups: trimming loses those not yet handled; XPENDING first`
          : `keep ~${n} of ${k.elements} entries; XADD … MAXLEN ~ ${n}`;
        return { command: `XTRIM ${key} MAXLEN ~ ${n}`, why };
      }
      break;
    }
    case 'hash':
      if (k.elements > HASH_SPLIT_MIN_FIELDS) {
        const buckets = Math.ceil(k.elements / HASH_SPLIT_FIELDS);
        return { command: `split: HSET ${cliArgument(concat(k.key, ':<n>'))} field value, n = crc32(field) % ${buckets}`, why: `${k.elements} fields: hashes of ~${HASH_SPLIT_FIELDS} stay listpacks (smaller)` };
      }
      break;
    case 'set':
      break;
    default:
      break;
  }
  if (siblingTtl !== null) return { command: `EXPIRE ${key} ${siblingTtl}`, why: ttlWhy(s!.withTtl) };
  return untimed
    ? { command: `EXPIRE ${key} <seconds>`, why: `${counted(k.elements, 'element')}, no TTL${fewTtl === null ? '' : ` (${fewTtl})`}: cap it where it is written, or give it a TTL` }
    : { command: null, why: `${counted(k.elements, 'element')}: cap its size where it is written` };
}

/**
 * A key as one redis-cli argument: bare when it is printable ASCII without space, quote or
 * backslash; else in double quotes with redis-cli's escapes (`\"`, `\\`, `\n`, `\xHH`; its
 * sdssplitargs reads them back into the same bytes).
 */
export function cliArgument(bytes: Uint8Array): string {
  const text = printable(bytes);
  let bare = bytes.length > 0;
  for (let i = 0; i < bytes.length && bare; i++) {
    const b = bytes[i]!;
    bare = b > 0x20 && b < 0x7f && b !== 0x22 && b !== 0x27 && b !== 0x5c;
  }
  if (bare) return text;
  // Valid UTF-8 without control characters prints as itself: quote it, escaping quote and backslash.
  // A character every text writer shows escaped (terminalSafe: zero-width, bidi and line
  // separators, BOM) goes as its UTF-8 bytes in \xHH: shown as `\u200b` the line would name another
  // key, since sdssplitargs reads `\u` as a plain `u`.
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  if (text === utf8) {
    let quoted = '';
    for (const ch of utf8) {
      quoted += ch === '"' || ch === '\\' ? `\\${ch}` : terminalSafe(ch) === ch ? ch : escapeBinary(UTF8.encode(ch));
    }
    return `"${quoted}"`;
  }
  return `"${escapeBinary(bytes)}"`;
}

/** 1, 2, 5 × a power of ten at or above n (caps read better round). */
export function niceCeil(n: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(1, n)));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

export function formatDuration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 2 * 86_400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

/** `1 element`, `3 elements`. */
function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function concat(key: Uint8Array, suffix: string): Uint8Array {
  const s = UTF8.encode(suffix);
  const out = new Uint8Array(key.length + s.length);
  out.set(key);
  out.set(s, key.length);
  return out;
}
