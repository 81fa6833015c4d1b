import { GLOB_BYTE, redisGlob, type KeyMatcher } from '../patterns/redis-glob.js';
import type { Store } from '../store/open-store.js';

/**
 * `--match` in SQL: Redis's glob (KEYS / SCAN MATCH; redisGlob, the matcher of `keys --match`) on
 * the bytes of a column. SQLite's GLOB alone would not do: it steps through UTF-8 characters, not
 * bytes, and has no `\` escape.
 *
 * Where a byte comparison is the whole glob (`user:*`, a glob with no wildcard, `*` alone) SQLite
 * does it alone. Otherwise the literal bytes the glob starts with are compared first, then, on keys
 * SQLite's own GLOB reads byte by byte, an equivalent SQLite GLOB decides; the matcher itself, run as
 * a SQL function (some 4× slower per row), decides only on the other keys, or when no equivalent
 * SQLite GLOB can be written (then after a search for the glob's longest literal run).
 */

const { STAR, QUESTION, OPEN, CLOSE, CARET, BACKSLASH, DASH } = GLOB_BYTE;

/** A glob as Redis's matcher reads it: a literal byte, `*`, or one byte of any other kind (`?`, a `[…]` set). */
type Token = { kind: 'byte'; byte: number } | { kind: 'star' } | { kind: 'one' };

/** The tokens of a glob, read the way stringmatchlen() (src/patterns/redis-glob.ts) steps through it. */
function tokens(p: Uint8Array): Token[] {
  const out: Token[] = [];
  const plen = p.length;
  for (let pi = 0; pi < plen; pi++) {
    const c = p[pi]!;
    if (c === STAR) out.push({ kind: 'star' });
    else if (c === QUESTION) out.push({ kind: 'one' });
    else if (c === OPEN) {
      // Where the set ends, by the matcher's own loop: `\` escapes a byte, `a-z` is a range, a set
      // left open runs to the end of the glob.
      pi++;
      if (pi < plen && p[pi] === CARET) pi++;
      for (;;) {
        const q = pi < plen ? p[pi]! : 0;
        if (q === BACKSLASH && plen - pi >= 2) pi++;
        else if (q === CLOSE) break;
        else if (pi >= plen) {
          pi--;
          break;
        } else if (plen - pi >= 3 && p[pi + 1] === DASH) pi += 2;
        pi++;
      }
      out.push({ kind: 'one' });
    } else {
      if (c === BACKSLASH && plen - pi >= 2) pi++;
      out.push({ kind: 'byte', byte: p[pi]! });
    }
  }
  return out;
}

/** The SQL function `rdbscope_glob(glob, bytes)`: 1 when the bytes match the Redis glob. */
const GLOB_FUNCTION = 'rdbscope_glob';
const withGlob = new WeakSet<Store>();

function registerGlob(db: Store): void {
  if (withGlob.has(db)) return;
  // A statement binds one glob: keep the last one compiled.
  let compiled: { glob: string; match: KeyMatcher } | null = null;
  db.function(GLOB_FUNCTION, { deterministic: true }, (glob: unknown, value: unknown) => {
    if (!(value instanceof Uint8Array)) return 0;
    const g = String(glob);
    if (compiled === null || compiled.glob !== g) compiled = { glob: g, match: redisGlob(Buffer.from(g, 'utf8')) };
    return compiled.match(value, 0, value.length) ? 1 : 0;
  });
  withGlob.add(db);
}

/**
 * ` AND …` (and its parameters) selecting the rows whose `column` — a BLOB of key bytes, or a TEXT
 * read as its UTF-8 bytes — matches `glob`, given as text and matched as its UTF-8 bytes, as `keys
 * --match` takes it.
 */
export function globSql(db: Store, glob: string, column: string): { sql: string; params: unknown[] } {
  const bytes = Buffer.from(glob, 'utf8');
  // KEYS and SCAN take `*` alone as every key, the empty one too (the matcher is not called).
  if (bytes.length === 1 && bytes[0] === STAR) return { sql: '', params: [] };
  const value = `CAST(${column} AS BLOB)`;
  const t = tokens(bytes);
  let head = 0;
  while (head < t.length && t[head]!.kind === 'byte') head++;
  const literal = Buffer.from(t.slice(0, head).map((x) => (x.kind === 'byte' ? x.byte : 0)));
  if (head === t.length) return { sql: ` AND ${value} = ?`, params: [literal] };
  let sql = '';
  const params: unknown[] = [];
  if (head > 0) {
    sql += ` AND substr(${value}, 1, ${head}) = ?`;
    params.push(literal);
    // Literal bytes, then only stars: a prefix, and nothing more to check.
    if (t.slice(head).every((x) => x.kind === 'star')) return { sql, params };
  }
  registerGlob(db);
  const same = sqliteGlob(bytes, t);
  if (same === null) {
    // The glob's longest literal run (past the head already compared) is somewhere in every key it
    // matches: instr() looks for it in C, and the matcher runs only where it is found.
    const run = longestLiteral(t, head);
    if (run.length > 0) {
      sql += ` AND instr(${value}, ?) > 0`;
      params.push(run);
    }
    sql += ` AND ${GLOB_FUNCTION}(?, ${value})`;
    params.push(glob);
  } else {
    // SQLite's GLOB steps through text a character at a time, reading UTF-8: on a key in which
    // every byte is one character (no NUL, which ends the text, and no byte of 0xC0 or more followed
    // by continuation bytes, which it reads as one character) it selects what the Redis glob selects
    // on the bytes, some 4× faster than calling the matcher. length() of the text counts characters
    // by the same rule, so a key it counts as long as its bytes is such a key.
    sql += ` AND CASE WHEN length(CAST(${value} AS TEXT)) = length(${value}) AND length(${value}) > 0
                      THEN CAST(${value} AS TEXT) GLOB ? ELSE ${GLOB_FUNCTION}(?, ${value}) END`;
    params.push(same, glob);
  }
  return { sql, params };
}

/** The longest run of literal bytes among tokens[from..]. */
function longestLiteral(t: Token[], from: number): Buffer {
  let best: number[] = [];
  let run: number[] = [];
  for (let i = from; i <= t.length; i++) {
    const x = t[i];
    if (x?.kind === 'byte') run.push(x.byte);
    else {
      if (run.length > best.length) best = run;
      run = [];
    }
  }
  return Buffer.from(best);
}

/** Stars a glob may hold and still be translated: past ~1 000 Redis's matcher gives up (no match). */
const MAX_STARS = 500;
/** SQLite refuses GLOB patterns longer than 50 000 bytes (SQLITE_MAX_LIKE_PATTERN_LENGTH). */
const MAX_SQLITE_GLOB = 40_000;

/**
 * The SQLite GLOB that selects, among texts whose characters are single bytes of 0x01–0xFF, what
 * the Redis glob `p` selects on their bytes; null when there is none to write (a literal byte
 * outside ASCII or a NUL, a set whose bytes of 0x80 and up are not all in it or all out of it, a set
 * of nothing, very many stars). Each `[…]` set is written out as the list of what it holds, worked
 * out by Redis's matcher itself, so no rule of its (escapes, reversed and signed ranges, a set left
 * open) has to be restated in SQLite's terms.
 */
function sqliteGlob(p: Uint8Array, t: Token[]): string | null {
  if (t.filter((x) => x.kind === 'star').length > MAX_STARS) return null;
  let out = '';
  // Re-read the glob for the bytes of each set (tokens() keeps only their kind).
  const plen = p.length;
  let i = 0;
  for (let pi = 0; pi < plen; pi++, i++) {
    const c = p[pi]!;
    const tok = t[i]!;
    if (tok.kind === 'star') out += '*';
    else if (tok.kind === 'byte') {
      if (c === BACKSLASH && plen - pi >= 2) pi++;
      const b = p[pi]!;
      if (b === 0 || b >= 0x80) return null;
      out += b === STAR || b === QUESTION || b === OPEN ? `[${String.fromCharCode(b)}]` : String.fromCharCode(b);
    } else if (c === QUESTION) out += '?';
    else {
      const start = pi;
      pi = setEnd(p, pi);
      const set = sqliteSet(p.subarray(start, pi + 1));
      if (set === null) return null;
      out += set;
    }
  }
  return out.length > MAX_SQLITE_GLOB ? null : out;
}

/** Index of the last byte of the `[…]` set that starts at `pi` (the matcher's own walk, as in tokens()). */
function setEnd(p: Uint8Array, pi: number): number {
  const plen = p.length;
  pi++;
  if (pi < plen && p[pi] === CARET) pi++;
  for (;;) {
    const q = pi < plen ? p[pi]! : 0;
    if (q === BACKSLASH && plen - pi >= 2) pi++;
    else if (q === CLOSE) return pi;
    else if (pi >= plen) return pi - 1;
    else if (plen - pi >= 3 && p[pi + 1] === DASH) pi += 2;
    pi++;
  }
}

/** One Redis `[…]` set as a SQLite set of the same bytes (see sqliteGlob), or null. */
function sqliteSet(set: Uint8Array): string | null {
  const match = redisGlob(set);
  const one = new Uint8Array(1);
  const holds = (b: number) => {
    one[0] = b;
    return match(one, 0, 1);
  };
  const high = holds(0x80);
  for (let b = 0x81; b <= 0xff; b++) if (holds(b) !== high) return null;
  // The ASCII bytes in it, or (when it holds the high bytes) those out of it, after SQLite's `^`.
  const listed: number[] = [];
  for (let b = 1; b < 0x80; b++) if (holds(b) !== high) listed.push(b);
  if (listed.length === 0) return high ? '?' : null;
  // `]` first (else it would close the set), `^` not first (else it would negate it), `-` last
  // (else it would make a range).
  const chars = [...(listed.includes(CLOSE) ? [CLOSE] : []), ...listed.filter((b) => b !== CLOSE && b !== DASH && b !== CARET),
    ...(listed.includes(CARET) ? [CARET] : []), ...(listed.includes(DASH) ? [DASH] : [])];
  if (!high && chars[0] === CARET) {
    if (chars.length === 1) return '^';
    chars.reverse(); // `^-` → `-^`: a `-` first is itself
  }
  return `[${high ? '^' : ''}${String.fromCharCode(...chars)}]`;
}
