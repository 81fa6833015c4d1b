import type { Report } from './report.js';
import { TTL_BUCKETS } from '../store/ttl-buckets.js';
import { basisFor, col, describeSnapshot, filters, pickSnapshot, share } from './scope.js';
import { humanTime } from '../output/human-units.js';

/** Histogram of remaining TTL at the snapshot's own time (never today's clock). */
export const ttl: Report = {
  name: 'ttl',
  help: 'histogram of remaining TTL at snapshot time (<1m … >30d, none) and keys already expired then',
  accepts: ['snapshot', 'instance', 'type'],
  run(db, options) {
    const snap = pickSnapshot(db, options.snapshot, options.instance);
    const b = basisFor(snap);
    const f = filters(db, options, null);
    const got = db.prepare(
      `SELECT bucket, sum(keys) AS keys, sum(${b.statsColumn}) AS size FROM ttl_stats WHERE snapshot_id = ?${f.sql} GROUP BY bucket`,
    ).all(snap.id, ...f.params) as { bucket: string; keys: number; size: number }[];
    const byBucket = new Map(got.map((g) => [g.bucket, g]));
    const keys = got.reduce((s, g) => s + g.keys, 0);
    const size = got.reduce((s, g) => s + (g.size ?? 0), 0);
    const expired = byBucket.get('expired')?.keys ?? 0;
    const at = snap.snapshot_time_ms === null ? 'unknown time' : `${humanTime(snap.snapshot_time_ms)} (${snap.time_source})`;
    return {
      report: 'ttl',
      notes: [
        ...describeSnapshot(snap),
        b.note,
        `remaining TTL measured at snapshot time ${at}`,
        `${expired} key(s) had already expired at snapshot time (a server drops them on load)`,
      ],
      tables: [{
        name: 'ttl',
        columns: [col('remaining_ttl', 'text'), col('keys', 'int'), col('key_share', 'percent'), col(b.name, 'bytes'), col(`${b.name}_share`, 'percent')],
        rows: TTL_BUCKETS.map((bucket) => {
          const g = byBucket.get(bucket);
          return { remaining_ttl: bucket, keys: g?.keys ?? 0, key_share: share(g?.keys ?? 0, keys), [b.name]: g?.size ?? 0, [`${b.name}_share`]: share(g?.size ?? 0, size) };
        }),
      }],
    };
  },
};
