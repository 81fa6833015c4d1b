import type { ResultTable, Row, RowSource } from '../output/result.js';
import type { Report } from './report.js';
import { KEY_ROWS_OF, KEY_TEXT_SQL, keyRowsOf } from '../store/schema.js';
import { remedyFor } from './remedy.js';
import { basisFor, col, describeSnapshot, filters, keyRowsLimit, pickSnapshot } from './scope.js';

const EXPIRED_REMEDY = 'none: expired at snapshot time, a server drops it on load';

/** Top N keys per type by memory and by element count, each with the remedy that fits. */
export const bigkeys: Report = {
  name: 'bigkeys',
  help: 'top N keys per type by memory and by element count, with the fitting remedy',
  accepts: ['snapshot', 'instance', 'type', 'match', 'top'],
  run(db, options) {
    const snap = pickSnapshot(db, options.snapshot, options.instance);
    const b = basisFor(snap);
    // --type picks the rankings below; --match selects keys by their bytes (Redis's glob, as `keys --match`).
    const f = filters(db, { ...options, type: undefined }, { column: 'r.key' });
    const enc = b.estimated ? 'encoding' : 'rdb_type';
    // One top-N query per type (ORDER BY … LIMIT keeps only N rows in SQLite's sorter) instead of one
    // ROW_NUMBER() over every key, which sorted the whole snapshot: on 1 M keys 1.9 s → 0.5 s a ranking.
    // It reads key_rows and key_kinds, not the `keys` view, whose join with patterns costs a third.
    // Rows are read a type at a time when printed (a large --top holds most of the keyspace). Types
    // come from the snapshot's complete aggregates; ties are broken by key so output is stable, and
    // ttl is taken at the snapshot's own time.
    const types = (db.prepare('SELECT DISTINCT type FROM type_stats WHERE snapshot_id = ? ORDER BY type').pluck().all(snap.id) as string[])
      .filter((t) => options.type === undefined || t === options.type);
    const top = (order: string, ranked: string[]): RowSource => {
      const stmt = db.prepare(
        `SELECT type, db, ${KEY_TEXT_SQL} AS key, ${b.keysColumn} AS size, elements, largest_element, ${enc} AS enc,
                CASE WHEN ttl_ms IS NULL THEN NULL WHEN ttl_ms >= 0 THEN (ttl_ms + 500) / 1000 ELSE -((500 - ttl_ms) / 1000) END AS ttl_s,
                coalesce(ttl_ms < 0, 0) AS expired
         -- Whole seconds, rounded as Redis's TTL rounds (R:expire.c ttlGenericCommand: (ttl+500)/1000),
         -- in integer arithmetic: the snapshot time is cast, or it is bound as a REAL and the TTL
         -- comes out with a fraction.
         FROM (SELECT *, expire_at_ms - CAST(? AS INTEGER) AS ttl_ms FROM key_rows WHERE ${KEY_ROWS_OF} AND kind_id IN (SELECT id FROM key_kinds WHERE type = ?)) r
           JOIN key_kinds k ON k.id = r.kind_id
         WHERE 1${f.sql}
         ORDER BY ${order} DESC, ${KEY_TEXT_SQL} LIMIT ?`,
      );
      return {
        *[Symbol.iterator]() {
          for (const type of ranked) {
            let rank = 0;
            const rows = stmt.iterate(snap.snapshot_time_ms ?? 0, ...keyRowsOf(snap), type, ...f.params, options.top) as IterableIterator<Row & { type: string; ttl_s: number | null; expired: number }>;
            for (const { size, enc: e, type: t, expired, ...r } of rows) {
              // Expired at snapshot time (the ttl report's 'expired' bucket): a server loading the dump
              // drops it, so there is nothing to cap, split or compress.
              const remedy = expired === 1 ? EXPIRED_REMEDY : remedyFor(t, r.ttl_s !== null, Number(r['elements']));
              yield { type: t, rank: ++rank, ...r, [b.name]: size, [enc]: e, remedy };
            }
          }
        },
      };
    };

    const columns = [col('type', 'text'), col('rank', 'int'), col('db', 'int'), col('key', 'text'), col(b.name, 'bytes'), col('elements', 'int'),
      col('largest_element', 'bytes'), col(enc, 'text'), col('ttl_s', 'int'), col('remedy', 'text')];
    const bySize: ResultTable = { name: `by_${b.name}`, title: `Top ${options.top} per type by ${b.name === 'memory' ? 'memory' : 'bytes in the file'}`, columns, rows: top(b.keysColumn, types) };
    // A string's element count is its length: the size ranking already covers it.
    const byElements: ResultTable = { name: 'by_elements', title: `Top ${options.top} per type by element count`, columns, rows: top('elements', types.filter((t) => t !== 'string')) };
    // The rankings read the key rows: with rows limited at load, a key without a row is in neither
    // (by element count, a small key with many elements can be one).
    const limit = keyRowsLimit(snap);
    const limitNote = limit === null ? [] : [`the rankings are of the keys that have a row: ${limit}; a smaller key is in neither ranking`];
    return { report: 'bigkeys', notes: [...describeSnapshot(snap), b.note, ...limitNote, 'ttl_s: seconds left at snapshot time; - = no TTL'], tables: [bySize, byElements] };
  },
};
