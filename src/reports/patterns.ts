import { fixedDepthPattern } from '../patterns/key-pattern.js';
import { DEFAULT_SEPARATORS } from '../patterns/options.js';
import { KEY_TEXT_SQL, keyRowsOf } from '../store/schema.js';
import type { Row } from '../output/result.js';
import type { Report } from './report.js';
import { keyPercentiles, percentileCells, percentileColumns, percentilesAvailable } from './percentiles.js';
import type { Store } from '../store/open-store.js';
import type { SnapshotRow } from '../store/snapshots.js';
import { basisFor, col, describeSnapshot, filters, keyRowsLimit, pickSnapshot, queryRows, share } from './scope.js';

/**
 * Keys and memory by key pattern. Inferred patterns come from pattern_stats (complete, computed at
 * load); the fixed `--depth N` mode regroups the per-key rows with a SQL function.
 */
export const patterns: Report = {
  name: 'patterns',
  help: 'keys and memory by inferred key pattern (or fixed prefixes with --depth N --sep :), with p50/p90/p99/max per key; --match filters patterns',
  accepts: ['snapshot', 'instance', 'type', 'match', 'top', 'depth', 'separators'],
  run(db, options) {
    const snap = pickSnapshot(db, options.snapshot, options.instance);
    const b = basisFor(snap);
    const fixed = options.depth !== undefined;
    let source: string;
    const f = filters(db, options, { column: 'pattern' });
    if (fixed) {
      const sep = options.separators ?? DEFAULT_SEPARATORS[0]!;
      const depth = options.depth!;
      db.function('rdbscope_prefix', { deterministic: true }, (key: unknown) => fixedDepthPattern(String(key), { separators: sep, depth }));
      // Integers inlined: the source is a subquery of the statements below, which bind their own values.
      const [first, last, id] = keyRowsOf(snap);
      // key_rows and key_kinds, not the `keys` view: its join with patterns is not needed here.
      source = `(SELECT r.snapshot_id, rdbscope_prefix(${KEY_TEXT_SQL}) AS pattern, k.type, 1 AS keys, r.${b.keysColumn} AS ${b.statsColumn},
                  CASE WHEN r.expire_at_ms IS NULL THEN 1 ELSE 0 END AS untimed_keys
                FROM key_rows r JOIN key_kinds k ON k.id = r.kind_id
                WHERE r.row_id BETWEEN ${first ?? 'NULL'} AND ${last ?? 'NULL'} AND r.snapshot_id = ${id})`;
    } else {
      source = 'pattern_stats';
    }
    // Shares are of the snapshot's whole keyspace (of --type's keys): pattern_stats and type_stats
    // are complete even where per-key rows were limited, and reading them costs no scan of the keys.
    const totals = fixed ? 'type_stats' : 'pattern_stats';
    const total = db.prepare(`SELECT coalesce(sum(${b.statsColumn}), 0) AS size FROM ${totals} WHERE snapshot_id = ?${filters(db, options, null).sql}`)
      .get(snap.id, ...filters(db, options, null).params) as { size: number };
    const ranking = db.prepare(
      `SELECT pattern, type, sum(keys) AS keys, sum(${b.statsColumn}) AS size, sum(untimed_keys) AS untimed_keys
       FROM ${source} WHERE snapshot_id = ?${f.sql} GROUP BY pattern, type ORDER BY size DESC, keys DESC, pattern LIMIT ?`,
    );
    const params = [snap.id, ...f.params, options.top];
    const notes = [...describeSnapshot(snap), b.note];
    const pct = fixed ? { available: false, note: 'percentiles are given for inferred patterns only, not with --depth' } : percentilesAvailable(snap);
    if (pct.note) notes.push(pct.note);
    // --depth groups the key rows: a key without a row is in no group, and a prefix whose keys all
    // lack one is not listed at all, so the reader must be told.
    const limit = fixed ? keyRowsLimit(snap) : null;
    if (limit !== null) notes.push(`--depth groups the keys that have a row: ${limit}; the others are in no group (shares are of every key; the inferred patterns, without --depth, count every key)`);
    const mode = fixed ? `patterns: first ${options.depth} segment(s) split on ${JSON.stringify(options.separators ?? ':')}` : `patterns: inferred (${snap.pattern_mode})`;
    // One row past the limit tells whether the ranking holds more patterns than get percentiles.
    const ranked = pct.available ? ranking.all(snap.id, ...f.params, Math.min(options.top, MAX_PERCENTILE_GROUPS + 1)) as Row[] : [];
    const percentiles = pct.available ? rankedPercentiles(db, snap, b.keysColumn, b.name, ranked.slice(0, MAX_PERCENTILE_GROUPS)) : new Map<string, Row>();
    if (ranked.length > MAX_PERCENTILE_GROUPS) notes.push(`percentiles for the first ${MAX_PERCENTILE_GROUPS} patterns only (the others' cells are empty)`);
    // Read a row at a time when printed: with --depth there can be a group per key.
    const rows = queryRows(
      ranking,
      params,
      (r: Row & { keys: number; size: number; untimed_keys: number }): Row => ({
        pattern: r.pattern, type: r.type, keys: r.keys, [b.name]: r.size, [`${b.name}_share`]: share(r.size, total.size),
        [`avg_${b.name}`]: r.keys ? Math.round(r.size / r.keys) : null, untimed_keys: r.untimed_keys, untimed_key_share: share(r.untimed_keys, r.keys),
        ...percentileCells(percentiles.get(`${r.pattern}\0${r.type}`), b.name),
      }),
    );
    return {
      report: 'patterns',
      notes: [...notes, mode],
      tables: [{
        name: 'patterns',
        columns: [col('pattern', 'text'), col('type', 'text'), col('keys', 'int'), col(b.name, 'bytes'), col(`${b.name}_share`, 'percent'),
          col(`avg_${b.name}`, 'bytes'), col('untimed_keys', 'int'), col('untimed_key_share', 'percent'), ...percentileColumns(b.name)],
        rows,
      }],
    };
  },
};

/** Patterns given percentiles at most (each holds a histogram while they are computed). */
const MAX_PERCENTILE_GROUPS = 5000;

/** Percentiles of the ranked (pattern, type) groups, keyed `pattern\0type`. */
function rankedPercentiles(db: Store, snap: SnapshotRow, sizeColumn: 'memory_bytes' | 'value_bytes', sizeLabel: string, ranked: Row[]): Map<string, Row> {
  if (ranked.length === 0) return new Map();
  const wanted = new Set(ranked.map((r) => `${r['pattern']}\0${r['type']}`));
  const names = [...new Set(ranked.map((r) => String(r['pattern'])))];
  const ids = new Map<number, string>();
  for (const r of db.prepare(`SELECT id, pattern FROM patterns WHERE pattern IN (SELECT value FROM json_each(?))`).all(JSON.stringify(names)) as { id: number; pattern: string }[]) ids.set(r.id, r.pattern);
  const types = new Map((db.prepare('SELECT id, type FROM key_kinds').all() as { id: number; type: string }[]).map((k) => [k.id, k.type]));
  return keyPercentiles(db, snap, sizeColumn, sizeLabel, (kind, pattern) => {
    const name = ids.get(pattern);
    if (name === undefined) return null;
    const key = `${name}\0${types.get(kind)}`;
    return wanted.has(key) ? key : null;
  });
}
