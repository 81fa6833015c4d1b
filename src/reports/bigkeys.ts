import type { ResultTable, Row, RowSource } from '../output/result.js';
import type { Report } from './report.js';
import { KEY_ROWS_OF, KEY_TEXT_SQL, keyRowsOf } from '../store/schema.js';
import { remedyFor } from './remedy.js';
import { basisFor, col, describeSnapshot, filters, pickSnapshot, queryRows } from './scope.js';

/** Top N keys per type by memory and by element count, each with the remedy that fits. */
export const bigkeys: Report = {
  name: 'bigkeys',
  help: 'top N keys per type by memory and by element count, with the fitting remedy',
  accepts: ['snapshot', 'type', 'match', 'top'],
  run(db, options) {
    const snap = pickSnapshot(db, options.snapshot);
    const b = basisFor(snap);
    const f = filters(options, KEY_TEXT_SQL);
    const enc = b.estimated ? 'encoding' : 'rdb_type';
    // Read a row at a time when printed: with a large --top these tables hold most of the keyspace.
    // ttl at the snapshot's own time; ties broken by key so output is stable.
    const top = (order: string, where: string): RowSource =>
      queryRows(
        db.prepare(
          `SELECT * FROM (
             SELECT type, ROW_NUMBER() OVER (PARTITION BY type ORDER BY ${order} DESC, ${KEY_TEXT_SQL}) AS rank,
                    db, ${KEY_TEXT_SQL} AS key, ${b.keysColumn} AS size, elements, largest_element,
                    ${enc} AS enc,
                    CASE WHEN expire_at_ms IS NULL THEN NULL ELSE (expire_at_ms - ?) / 1000 END AS ttl_s
             FROM keys WHERE ${KEY_ROWS_OF}${where}${f.sql})
           WHERE rank <= ? ORDER BY type, rank`,
        ),
        [snap.snapshot_time_ms ?? 0, ...keyRowsOf(snap), ...f.params, options.top],
        ({ size, enc: e, ...r }: Row & { type: string; ttl_s: number | null }): Row => ({ ...r, [b.name]: size, [enc]: e, remedy: remedyFor(r.type, r.ttl_s !== null) }),
      );

    const columns = [col('type', 'text'), col('rank', 'int'), col('db', 'int'), col('key', 'text'), col(b.name, 'bytes'), col('elements', 'int'),
      col('largest_element', 'bytes'), col(enc, 'text'), col('ttl_s', 'int'), col('remedy', 'text')];
    const bySize: ResultTable = { name: `by_${b.name}`, title: `Top ${options.top} per type by ${b.name === 'memory' ? 'memory' : 'bytes in the file'}`, columns, rows: top(b.keysColumn, '') };
    // A string's element count is its length: the size ranking already covers it.
    const byElements: ResultTable = { name: 'by_elements', title: `Top ${options.top} per type by element count`, columns, rows: top('elements', " AND type <> 'string'") };
    return { report: 'bigkeys', notes: [...describeSnapshot(snap), b.note, 'ttl_s: seconds left at snapshot time; - = no TTL'], tables: [bySize, byElements] };
  },
};
