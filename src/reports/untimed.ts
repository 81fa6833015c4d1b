import type { Row } from '../output/result.js';
import type { Report } from './report.js';
import { basisFor, col, describeSnapshot, filters, pickSnapshot, queryRows, share } from './scope.js';

/** Keys without a TTL grouped by pattern, ranked by memory: the immortal keys that fill a cache. */
export const untimed: Report = {
  name: 'untimed',
  help: 'keys without TTL grouped by pattern, ranked by memory, with counts and shares (--match filters patterns)',
  accepts: ['snapshot', 'instance', 'type', 'match', 'top'],
  run(db, options) {
    const snap = pickSnapshot(db, options.snapshot, options.instance);
    const b = basisFor(snap);
    const f = filters(db, options, { column: 'pattern' });
    const totals = db.prepare(
      `SELECT coalesce(sum(${b.statsColumn}), 0) AS size, coalesce(sum(${b.untimedColumn}), 0) AS untimed_size, coalesce(sum(untimed_keys), 0) AS untimed_keys, coalesce(sum(keys), 0) AS keys
       FROM pattern_stats WHERE snapshot_id = ?${filters(db, options, null).sql}`,
    ).get(snap.id, ...filters(db, options, null).params) as { size: number; untimed_size: number; untimed_keys: number; keys: number };
    const name = `untimed_${b.name}`;
    // Read a row at a time when printed (up to one per tracked pattern and type).
    const rows = queryRows(
      db.prepare(
        `SELECT pattern, type, untimed_keys, keys, ${b.untimedColumn} AS untimed_size
         FROM pattern_stats WHERE snapshot_id = ? AND untimed_keys > 0${f.sql}
         ORDER BY untimed_size DESC, untimed_keys DESC, pattern LIMIT ?`,
      ),
      [snap.id, ...f.params, options.top],
      (r: Row & { untimed_keys: number; keys: number; untimed_size: number }): Row => ({
        pattern: r.pattern, type: r.type, untimed_keys: r.untimed_keys, keys: r.keys, untimed_key_share: share(r.untimed_keys, r.keys),
        [name]: r.untimed_size, share_of_untimed: share(r.untimed_size, totals.untimed_size), share_of_total: share(r.untimed_size, totals.size),
      }),
    );
    return {
      report: 'untimed',
      notes: [
        ...describeSnapshot(snap),
        b.note,
        `${totals.untimed_keys} of ${totals.keys} keys have no TTL, holding ${totals.untimed_size} of ${totals.size} bytes`,
      ],
      tables: [{
        name: 'untimed',
        columns: [col('pattern', 'text'), col('type', 'text'), col('untimed_keys', 'int'), col('keys', 'int'), col('untimed_key_share', 'percent'),
          col(name, 'bytes'), col('share_of_untimed', 'percent'), col('share_of_total', 'percent')],
        rows,
      }],
    };
  },
};
