import { humanBytes, humanPercentOrDash } from '../output/human-units.js';
import { isoTime, rowArray, type ResultTable, type Row } from '../output/result.js';
import type { Store } from '../store/open-store.js';
import { keyRowsOf } from '../store/schema.js';
import { instanceOf, type SnapshotRow } from '../store/snapshots.js';
import { capacity } from './capacity.js';
import { eviction } from './eviction.js';
import { forecast } from './forecast.js';
import { growth } from './growth.js';
import { reconcileSnapshot } from './reconciliation.js';
import { remedyCommand, type SiblingFacts } from './remedy-command.js';
import type { Report, ReportOptions } from './report.js';
import { groupPercentiles } from './percentiles.js';
import { basisFor, col, compareSnapshots, describeSnapshot, pickSnapshot, serverName, share, snapshotFacts, snapshotLabels, snapshotsUpTo, type Basis } from './scope.js';
import { DOMINANT_KEY_SHARE, IMMORTAL_SHARE, MIN_FORECAST_SNAPSHOTS, UNBOUNDED_ELEMENTS } from './thresholds.js';

/** Pattern names that say "cache": keys that should expire (seed: cache keys without TTLs accumulating forever). */
const CACHE_LIKE = /(^|[:._\-/])(cache|cached|session|sessions|sess|tmp|temp|token|tokens|otp|nonce|lock|locks|rate|ratelimit|throttle|captcha)([:._\-/*]|$)/i;

/**
 * The one-screen answer after an OOM: where the memory is (top patterns, flagged where a seed cause
 * applies), the big keys with the command that fixes each, what each eviction policy could free, and
 * growth and forecast when the database holds earlier snapshots of the instance. `analyze` prints it;
 * its JSON is the same content for scripts.
 */
export const diagnosis: Report = {
  name: 'diagnosis',
  help: 'the one-screen analysis: headline, where the memory is (flagged patterns), big keys with the command that fixes each, eviction, growth and forecast',
  accepts: ['snapshot', 'instance', 'top', 'maxmemory'],
  run(db, options) {
    const snap = pickSnapshot(db, options.snapshot, options.instance);
    const b = basisFor(snap);
    const m = b.name;
    const notes: string[] = [];
    // What a section says beyond its table, by section (the screen prints each under its table).
    const remarks: Row[] = [];
    const remark = (section: string) => (text: string) => remarks.push({ section, text });
    const tables: ResultTable[] = [];

    const total = db.prepare(`SELECT coalesce(sum(keys), 0) AS keys, coalesce(sum(${b.statsColumn}), 0) AS size, coalesce(sum(${b.untimedColumn}), 0) AS untimed,
                                     count(DISTINCT db) AS dbs FROM type_stats WHERE snapshot_id = ?`).get(snap.id) as { keys: number; size: number; untimed: number; dbs: number };
    const recon = b.estimated ? reconcileSnapshot(db, snap, total.size) : null;
    const explained: Explained | null = recon?.rows[0]
      ? { bytes: recon.rows[0]['explained'] as number, share: (recon.rows[0]['share_explained'] as number | null) ?? null }
      : null;
    tables.push(headline(snap, b, total, explained));
    notes.push(...headlineNotes(snap, b, total, explained));
    // Where the snapshot stands against --maxmemory, as capacity says it: the forecast's dates need
    // three snapshots, and the dump taken after an OOM is often the only one.
    if (options.maxmemory !== undefined && options.maxmemory > 0) {
      notes.push(...capacity.run(db, { snapshot: String(snap.id), top: 1, maxmemory: options.maxmemory }).notes.filter((n) => CAPACITY_VERDICT.test(n)));
    }

    const growth = growthSection(db, snap, options, remark('growth'));
    // Its rows and each one's facts are held to be printed together: a bound, not the whole keyspace.
    const top = Math.min(options.top, DIAGNOSIS_MAX_TOP);
    if (options.top > top) notes.push(`the diagnosis lists at most ${DIAGNOSIS_MAX_TOP} patterns and big keys: 'report patterns' and 'report bigkeys' rank them all`);
    const patterns = topPatterns(db, snap, b, top);
    const keys = bigKeys(db, snap, b, top);
    const facts = patternFacts(db, snap, b, [...new Set([...patterns.map((p) => p.pattern_id), ...keys.map((k) => k.pattern_id)])]);
    tables.push(patternsTable(patterns, facts, b, total.size, growth.rates, growth.rateColumn));
    tables.push(bigKeysTable(keys, facts, snap, b));

    const ev = eviction.run(db, { snapshot: String(snap.id), top: 1 });
    const byPolicy = rowArray(ev.tables.find((t) => t.name === 'by_policy')!.rows);
    tables.push({
      name: 'eviction',
      title: 'What each maxmemory-policy family could evict',
      columns: [col('policy', 'text'), col('evictable_keys', 'int'), col(`evictable_${m}`, 'bytes'), col('evictable_share', 'percent')],
      rows: byPolicy.map((r) => ({ policy: r['policy']!, evictable_keys: r['evictable_keys']!, [`evictable_${m}`]: r[`evictable_${m}`]!, evictable_share: r['evictable_share']! })),
    });
    ev.notes.filter((n) => /LRU|LFU/.test(n)).forEach(remark('eviction'));

    if (growth.table) tables.push(growth.table);
    tables.push({ name: 'remarks', title: 'Remarks', columns: [col('section', 'text'), { ...col('text', 'text'), key: false }], rows: remarks });
    return { report: 'diagnosis', notes, tables, labels: snapshotLabels(snap), snapshot: snapshotFacts(snap) };
  },
};

/** capacity's line on used memory against maxmemory (past it, past the alarm, or what is left), and where used memory comes from. */
const CAPACITY_VERDICT = /^(at or past maxmemory|ALARM: |[\d.]+% of maxmemory used;|used memory: )/;

/**
 * What the estimate explains of used-mem: the keys plus what is not per key (an empty server, dict
 * buckets and expires entries, allocator gaps; reconciliation.ts), and its share of used-mem.
 */
interface Explained {
  bytes: number;
  share: number | null;
}

function headline(snap: SnapshotRow, b: Basis, total: { keys: number; size: number }, explained: Explained | null): ResultTable {
  return {
    name: 'headline',
    title: 'Snapshot',
    vertical: true,
    columns: [col('instance', 'text'), col('file', 'text'), col('server', 'text'), col('rdb_version', 'int'), col('snapshot_time', 'time'),
      col('status', 'text'), col('keys', 'int'), col('used_mem', 'bytes'), col(b.estimated ? 'estimated_memory' : 'file_bytes', 'bytes'),
      ...(b.estimated ? [col('estimated_used_mem', 'bytes')] : []), col('share_of_used_mem_explained', 'percent'), col('memory_profile', 'text')],
    rows: [{
      instance: instanceOf(snap), file: snap.file_name, server: serverName(snap), rdb_version: snap.rdb_version, snapshot_time: snap.snapshot_time_ms,
      status: snap.status, keys: total.keys, used_mem: snap.used_mem, [b.estimated ? 'estimated_memory' : 'file_bytes']: total.size,
      ...(b.estimated ? { estimated_used_mem: explained?.bytes ?? null } : {}), share_of_used_mem_explained: explained?.share ?? null, memory_profile: snap.memory_profile,
    }],
  };
}

function headlineNotes(snap: SnapshotRow, b: Basis, total: { keys: number; size: number; untimed: number; dbs: number }, explained: Explained | null): string[] {
  const when = snap.snapshot_time_ms === null ? 'time unknown' : `written ${isoTime(snap.snapshot_time_ms).replace('T', ' ').slice(0, 16)} UTC (${snap.time_source})`;
  const lines = [`${snap.file_name} — instance ${instanceOf(snap)}, ${serverName(snap) ?? 'server unknown'}, RDB v${snap.rdb_version ?? '?'}, ${when}`];
  lines.push(`${total.keys} keys in ${total.dbs} db(s); used-mem ${snap.used_mem === null ? 'not recorded' : humanBytes(snap.used_mem)}; ` +
    `${humanPercentOrDash(share(total.untimed, total.size))} of the keys' memory has no TTL`);
  lines.push(b.estimated
    ? `keys estimated at ${humanBytes(total.size)}${explained !== null && explained.share !== null
      ? `; with the server's overhead ${humanBytes(explained.bytes)} = ${humanPercentOrDash(explained.share)} of used-mem`
      : ''} (profile ${snap.memory_profile})`
    : `${humanBytes(total.size)} of values in the file (no memory estimate)`);
  // What every other report says of such a snapshot (describeSnapshot): the screen read after an
  // OOM must not show figures as sound when they are not.
  lines.push(...describeSnapshot(snap).slice(1));
  return lines;
}

/** A pattern of the top by memory, from the complete aggregates. */
interface PatternRow {
  pattern: string;
  pattern_id: number;
  types: string;
  keys: number;
  untimed_keys: number;
  size: number;
  untimed_size: number;
  /** Keys without a TTL, and keys, of the pattern's types whose keys are partly timed (a TTL forgotten on some). */
  mixed_untimed: number;
  mixed_keys: number;
}

function topPatterns(db: Store, snap: SnapshotRow, b: Basis, top: number): PatternRow[] {
  return db.prepare(
    `SELECT s.pattern, coalesce(p.id, -1) AS pattern_id, group_concat(DISTINCT s.type) AS types, sum(s.keys) AS keys, sum(s.untimed_keys) AS untimed_keys,
            sum(s.${b.statsColumn}) AS size, sum(s.${b.untimedColumn}) AS untimed_size,
            sum(CASE WHEN s.untimed_keys BETWEEN 1 AND s.keys - 1 THEN s.untimed_keys ELSE 0 END) AS mixed_untimed,
            sum(CASE WHEN s.untimed_keys BETWEEN 1 AND s.keys - 1 THEN s.keys ELSE 0 END) AS mixed_keys
     FROM pattern_stats s LEFT JOIN patterns p ON p.pattern = s.pattern
     WHERE s.snapshot_id = ? GROUP BY s.pattern ORDER BY size DESC, keys DESC, s.pattern LIMIT ?`,
  ).all(snap.id, top) as PatternRow[];
}

/**
 * Per pattern id, from its key rows: the largest key, the longest collection without a TTL, and per
 * type what a remedy goes by. Per type: a pattern can mix types (`user:42` profile hashes kept for
 * good beside `user:<token>` strings that expire), and neither a string's length (its element
 * count) nor a token's TTL says how long a list may be or how long a profile may live.
 */
interface PatternFacts {
  keys: number;
  maxSize: number | null;
  maxUntimedElements: number | null;
  byType: Map<string, TypeFacts>;
}

/** The pattern's keys of one type: how many, their median element count, how many have a TTL still to run and its median. */
interface TypeFacts {
  keys: number;
  medianElements: number | null;
  withTtl: number;
  medianTtlSeconds: number | null;
}

function patternFacts(db: Store, snap: SnapshotRow, b: Basis, patternIds: number[]): Map<number, PatternFacts> {
  const wanted = new Set(patternIds.filter((id) => id >= 0));
  const out = new Map<number, PatternFacts>();
  if (wanted.size === 0) return out;
  const now = snap.snapshot_time_ms ?? 0;
  const typeOf = new Map((db.prepare('SELECT id, type FROM key_kinds').all() as { id: number; type: string }[]).map((k) => [k.id, k.type]));
  // One pass over the rows (two scans): no sort of a pattern's keys, however many it has.
  const stats = groupPercentiles(db, snap, {
    measures: [
      `coalesce(${b.keysColumn}, 0)`,
      "CASE WHEN expire_at_ms IS NULL AND kind_id IN (SELECT id FROM key_kinds WHERE type <> 'string') THEN elements END",
      'elements',
      // Lower median by rank (p50, nearest rank) of the TTL still to run at snapshot time.
      `CASE WHEN expire_at_ms > ${Math.trunc(now)} THEN expire_at_ms - ${Math.trunc(now)} END`,
    ],
    percentiles: [50],
    groupOf: (kind, pattern) => (wanted.has(pattern) ? `${pattern}\0${typeOf.get(kind)}` : null),
    patternIds: [...wanted],
  });
  for (const [group, [size, untimedElements, elements, ttl]] of stats) {
    const [id, type] = group.split('\0') as [string, string];
    let f = out.get(Number(id));
    if (f === undefined) out.set(Number(id), (f = { keys: 0, maxSize: null, maxUntimedElements: null, byType: new Map() }));
    f.keys += size!.n;
    f.maxSize = larger(f.maxSize, size!.max);
    f.maxUntimedElements = larger(f.maxUntimedElements, untimedElements!.max);
    f.byType.set(type, {
      keys: size!.n, medianElements: elements!.p.get(50) ?? null,
      withTtl: ttl!.n, medianTtlSeconds: ttl!.n > 0 ? Math.round(ttl!.p.get(50)! / 1000) : null,
    });
  }
  return out;
}

function larger(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

/** The top patterns by memory, each with the seed causes that apply to it. */
/**
 * `rates` flag the patterns that grow in any measure (a list longer every night is longer in the
 * file too); `rateColumn` shows them beside the memory only when they are rates of that memory.
 */
function patternsTable(rows: PatternRow[], facts: Map<number, PatternFacts>, b: Basis, totalSize: number, rates: Map<string, PatternRate> | null, rateColumn: boolean): ResultTable {
  const m = b.name;
  return {
    name: 'patterns',
    title: 'Where the memory is',
    columns: [col('pattern', 'text'), { ...col('types', 'text'), key: false }, col('keys', 'int'), col(m, 'bytes'), col('share', 'percent'),
      col('untimed_share', 'percent', `share of the pattern's ${m} without a TTL`),
      ...(rates && rateColumn ? [col('per_day', 'bytes', `${m} added per day over the instance's snapshots (least squares)`)] : []),
      { ...col('flag', 'text', 'the seed causes of OOM that apply'), key: false }],
    rows: rows.map((r) => ({
      pattern: r.pattern, types: r.types, keys: r.keys, [m]: r.size, share: share(r.size, totalSize), untimed_share: share(r.untimed_size, r.size),
      ...(rates && rateColumn ? { per_day: rates.get(r.pattern)?.perDay ?? null } : {}),
      flag: flags(r, facts.get(r.pattern_id), rates?.get(r.pattern) ?? null) || null,
    })),
  };
}

/** The seed's causes, as short flags: immortal cache keys, forgotten TTLs, unbounded collections, one key holding the pattern. */
function flags(r: PatternRow, x: PatternFacts | undefined, rate: PatternRate | null): string {
  const out: string[] = [];
  const untimedShare = r.size > 0 ? r.untimed_size / r.size : 0;
  // Within a type: timed keys of one type (user:<token> strings) and untimed ones of another
  // (user:<id> profile hashes) are two kinds of key, not a TTL forgotten on some.
  if (r.mixed_untimed > 0) out.push(`TTL missing on ${r.mixed_untimed} of ${r.mixed_keys} keys`);
  else if (r.untimed_keys === r.keys && untimedShare >= IMMORTAL_SHARE && CACHE_LIKE.test(r.pattern)) out.push('cache keys without TTL');
  if (x?.maxUntimedElements != null && x.maxUntimedElements >= UNBOUNDED_ELEMENTS) out.push(`unbounded: ${x.maxUntimedElements} el., no TTL`);
  else if (rate !== null && rate.perDay > 0 && Math.abs(rate.keysPerDay) < 1 && untimedShare >= IMMORTAL_SHARE && r.types.split(',').some((t) => t !== 'string')
    && rate.stillGrowing()) {
    // The same keys, bigger every night, and nothing expires them: collections without a cap.
    out.push('each key grows, no cap');
  }
  if (r.keys >= 2 && x?.maxSize != null && r.size > 0 && x.maxSize / r.size >= DOMINANT_KEY_SHARE) out.push(`one key holds ${Math.round((x.maxSize / r.size) * 100)}%`);
  return out.join('; ');
}

/** Patterns and big keys the diagnosis lists at most, whatever --top asks: one screen's worth, held whole. */
export const DIAGNOSIS_MAX_TOP = 1000;

const EXPIRED_FIX = { command: null, why: 'none: expired at snapshot time, a server drops it on load' } as const;

/** A key of the top by memory. */
interface BigKeyRow {
  key: Uint8Array;
  key_text: string;
  pattern_id: number;
  pattern: string;
  type: string;
  db: number;
  size: number;
  elements: number;
  expire_at_ms: number | null;
  access: number | null;
  stream_pending: number | null;
}

function bigKeys(db: Store, snap: SnapshotRow, b: Basis, top: number): BigKeyRow[] {
  if (snap.first_row === null) return [];
  return db.prepare(
    `SELECT r.key, coalesce(r.key_printable, CAST(r.key AS TEXT)) AS key_text, r.pattern_id, p.pattern, k.type, k.db, r.${b.keysColumn} AS size, r.elements, r.expire_at_ms, r.access,
            json_extract(r.extra, '$.stream_pending') AS stream_pending
     FROM key_rows r JOIN key_kinds k ON k.id = r.kind_id JOIN patterns p ON p.id = r.pattern_id
     -- The ranking sorts row ids only (sizes and keys would copy every key into SQLite's sorter).
     -- Empty lists, sets, zsets and hashes are no big keys: a server drops them on load, and every
     -- total leaves them out (core/record.ts isEmptyCollection).
     WHERE r.row_id IN (SELECT row_id FROM key_rows WHERE row_id BETWEEN ? AND ? AND snapshot_id = ?
                          AND NOT (elements = 0 AND kind_id IN (SELECT id FROM key_kinds WHERE type IN ('list', 'set', 'zset', 'hash')))
                        ORDER BY ${b.keysColumn} DESC, row_id LIMIT ?)
     ORDER BY size DESC, r.row_id`,
  ).all(...keyRowsOf(snap), top) as BigKeyRow[];
}

/** The biggest keys, each with the command that fixes it (from what its siblings do). */
function bigKeysTable(keys: BigKeyRow[], facts: Map<number, PatternFacts>, snap: SnapshotRow, b: Basis): ResultTable {
  const m = b.name;
  const now = snap.snapshot_time_ms ?? 0;
  return {
    name: 'bigkeys',
    title: 'Big keys and what to type',
    columns: [col('db', 'int'), col('key', 'text'), col('type', 'text'), col(m, 'bytes'), col('elements', 'int'), col('ttl_s', 'int', 'seconds left at snapshot time; - = no TTL'),
      col('pattern', 'text'), { ...col('command', 'text', 'the redis-cli command that fixes it'), whole: true }, col('why', 'text')],
    rows: keys.map((k) => {
      const ttl = k.expire_at_ms === null ? null : Math.round((k.expire_at_ms - now) / 1000);
      const f = facts.get(k.pattern_id);
      const t = f?.byType.get(k.type);
      const siblings: SiblingFacts | null = t ? { keys: t.keys, withTtl: t.withTtl, medianTtlSeconds: t.medianTtlSeconds, medianElements: t.medianElements } : null;
      // Expired when the dump was written (the ttl report's 'expired' bucket): nothing to type.
      const expired = k.expire_at_ms !== null && snap.snapshot_time_ms !== null && k.expire_at_ms < snap.snapshot_time_ms;
      const fix = expired ? EXPIRED_FIX : remedyCommand({ key: k.key, type: k.type, elements: k.elements, ttlSeconds: ttl, idleSeconds: k.access !== null && k.access >= 0 ? k.access : null, streamPending: k.stream_pending }, siblings);
      // redis-cli starts in db 0: a command for a key of another db names a key of db 0 unless
      // SELECT comes first (and may trim or delete that other key).
      const why = k.db !== 0 && fix.command !== null ? `in db ${k.db}: SELECT ${k.db} first; ${fix.why}` : fix.why;
      return { db: k.db, key: k.key_text, type: k.type, [m]: k.size, elements: k.elements, ttl_s: ttl, pattern: k.pattern, command: fix.command, why };
    }),
  };
}

/**
 * Growth: with enough snapshots of the instance the forecast's total and its top growing patterns
 * (and the dates of the walls with --maxmemory); with one earlier snapshot, the change since it.
 */
/** A pattern's growth per day over the instance's snapshots. */
interface PatternRate {
  perDay: number;
  keysPerDay: number;
  /**
   * Never smaller from one snapshot of the fit to the next, and bigger in the last than in the one
   * before: what "no cap" means. A positive slope alone is also a step once (keys that changed type,
   * a field added to every hash by a migration) and a plateau since.
   */
  stillGrowing: () => boolean;
}

function growthSection(db: Store, snap: SnapshotRow, options: ReportOptions, say: (text: string) => void): { table: ResultTable | null; rates: Map<string, PatternRate> | null; rateColumn: boolean } {
  const instance = instanceOf(snap);
  // Only the snapshot and those before it (by time, then id, as growth orders them): a diagnosis
  // of an older snapshot is what could be said then.
  const earlier = snapshotsUpTo(db, snap).filter((s) => s.id !== snap.id);
  if (earlier.length === 0) {
    say(`no earlier snapshot of instance ${instance}: load the nightly dumps of this server (load --instance ${instance}) for growth and a forecast`);
    return { table: null, rates: null, rateColumn: false };
  }
  // Every pattern's rate (for the patterns table); the growth table shows the top three.
  const f = forecast.run(db, { snapshot: String(snap.id), top: Number.MAX_SAFE_INTEGER, maxmemory: options.maxmemory });
  const total = f.tables.find((t) => t.name === 'total');
  // What the patterns table measures; growth and the forecast measure file bytes instead when an
  // earlier snapshot has no memory estimates, or estimates of another allocator build (basisFor of
  // all of them).
  const m = basisFor(snap).name;
  const columns = [col('scope', 'text'), col('per_day', 'bytes', 'bytes added per day'), col('r2', 'float'), col('snapshots', 'int'),
    col('alarm_at', 'time', 'when the 85% alarm is reached (with --maxmemory)'), col('maxmemory_at', 'time', 'when maxmemory is reached (with --maxmemory)')];
  if (!total) {
    // Too few snapshots for a fit: the change since the previous complete one. A partial snapshot's
    // keys stop at its fault, so a change to or from one is mostly keys that were not read.
    const fit = `${earlier.length + 1} snapshot(s) of instance ${instance}: a forecast needs ${MIN_FORECAST_SNAPSHOTS} complete ones at least an hour apart`;
    if (snap.status !== 'complete') {
      say(`${fit}; no change since the previous one is shown: this snapshot is PARTIAL, so every pattern would seem to shrink by the keys after its fault`);
      return { table: null, rates: null, rateColumn: false };
    }
    const previous = earlier.filter((s) => s.status === 'complete').at(-1);
    const skipped = earlier.filter((s) => s.status !== 'complete' && (previous === undefined || compareSnapshots(s, previous) > 0)).map((s) => s.id);
    const skippedNote = skipped.length > 0 ? ` (PARTIAL snapshot(s) ${skipped.join(', ')} left out: their keys stop at a fault)` : '';
    if (previous === undefined) {
      say(`${fit}; no earlier complete snapshot to show the change since${skippedNote}`);
      return { table: null, rates: null, rateColumn: false };
    }
    say(`${fit}; above, the change since the previous complete one, snapshot ${previous.id}${skippedNote}`);
    const g = growth.run(db, { from: String(previous.id), to: String(snap.id), top: 3 });
    const gb = basisFor(previous, snap);
    const gm = gb.name;
    const per = (r: Row) => (r[`${gm}_change_per_day`] as number | null) ?? null;
    const changes = rowArray(g.tables.find((t) => t.name === 'growth')!.rows);
    return {
      table: {
        name: 'growth',
        title: `Change since the previous snapshot of instance ${instance}${skipped.length > 0 ? ` that is complete (${previous.id})` : ''}${gm === m ? '' : ` (in bytes in the file: ${gb.fallback ?? ''})`}`,
        columns: [col('scope', 'text'), col('change', 'bytes'), col('per_day', 'bytes'), col('status', 'text')],
        rows: changes.map((r) => ({ scope: String(r['pattern']), change: r[`${gm}_change`]!, per_day: per(r), status: r['status']! })),
      },
      rates: null,
      rateColumn: false,
    };
  }
  // The forecast's lines about the walls (and, with maxmemory 0, why there is none).
  f.notes.filter((n) => / reaches | already past | not growing|driven by|^maxmemory 0:|^no dates for the alarm/.test(n)).forEach(say);
  const wall = f.tables.find((t) => t.name === 'wall');
  const wallRows = wall ? rowArray(wall.rows) : [];
  const reached = (threshold: string) => (wallRows.find((r) => r['threshold'] === threshold)?.['reached_at'] as number | null | undefined) ?? null;
  const totals = rowArray(total.rows);
  const patternsTable = f.tables.find((t) => t.name === 'patterns')!;
  const pats = rowArray(patternsTable.rows);
  const fm = patternsTable.columns.some((c) => c.name === `${m}_per_day`) ? m : 'file_bytes';
  // The patterns table shows a rate only in its own measure (memory per day beside memory); its flags
  // go by the rate's sign, which bytes in the file give too.
  const usedIds = rowArray(f.tables.find((t) => t.name === 'series')!.rows).map((r) => Number(r['snapshot_id']));
  const sizeIn = db.prepare(`SELECT coalesce(sum(${fm === 'memory' ? 'memory_bytes' : 'file_bytes'}), 0) FROM pattern_stats WHERE snapshot_id = ? AND pattern = ?`).pluck();
  const stillGrowing = (pattern: string) => () => {
    const sizes = usedIds.map((id) => sizeIn.get(id, pattern) as number);
    return sizes.every((v, i) => i === 0 || v >= sizes[i - 1]!) && sizes.at(-1)! > sizes.at(-2)!;
  };
  const rates = new Map(pats.map((p) => [String(p['pattern']), { perDay: p[`${fm}_per_day`] as number, keysPerDay: p['keys_per_day'] as number, stillGrowing: stillGrowing(String(p['pattern'])) }]));
  const rows: Row[] = totals.filter((r) => r['measure'] !== 'keys').map((r) => ({
    scope: `total ${r['measure']}`, per_day: Math.round(r['per_day'] as number), r2: r['r2']!, snapshots: r['snapshots']!,
    alarm_at: r['measure'] === wallRows[0]?.['measure'] ? reached('alarm') : null, maxmemory_at: r['measure'] === wallRows[0]?.['measure'] ? reached('maxmemory') : null,
  }));
  for (const p of pats.slice(0, 3)) rows.push({ scope: String(p['pattern']), per_day: p[`${fm}_per_day`]!, r2: p['r2']!, snapshots: p['snapshots']!, alarm_at: null, maxmemory_at: null });
  return { table: { name: 'growth', title: `Growth per day over the snapshots of instance ${instance} (least squares)`, columns, rows }, rates, rateColumn: fm === m };
}

