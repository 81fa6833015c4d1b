import { humanPercentOrDash } from '../output/human-units.js';
import type { ResultTable, Row } from '../output/result.js';
import { keyRowsOf } from '../store/schema.js';
import { TTL_BUCKETS } from '../store/ttl-buckets.js';
import { accessBandSql, accessBands, accessData } from './access-data.js';
import type { Report } from './report.js';
import { basisFor, col, describeSnapshot, keyCol, pickSnapshot, queryRows, share, snapshotFacts, snapshotLabels } from './scope.js';
import { COLD_IDLE_SECONDS, COLD_LFU_BELOW } from './thresholds.js';

/**
 * What each maxmemory-policy family could free: `noeviction` nothing, `volatile-*` the keys with a
 * TTL, `allkeys-*` every key (`R:evict.c performEvictions`: volatile policies pick from the expires
 * dict only). The patterns no volatile policy can touch are the immortal ones that cause the OOM.
 * With LRU idle times or LFU counters in the dump, what an LRU/LFU policy would evict first.
 */
export const eviction: Report = {
  name: 'eviction',
  help: 'what each maxmemory-policy could evict (volatile-* vs allkeys-*), immortal patterns, cold data by idle time / LFU counter, volatile-ttl order',
  accepts: ['snapshot', 'instance', 'top'],
  metrics: { name: 'eviction', tables: ['by_policy', 'by_db', 'immortal_patterns', 'cold'] },
  run(db, options) {
    const snap = pickSnapshot(db, options.snapshot, options.instance);
    const b = basisFor(snap);
    const m = b.name;
    const perDb = db.prepare(
      `SELECT db, sum(keys) AS keys, sum(${b.statsColumn}) AS size, sum(untimed_keys) AS untimed_keys, sum(${b.untimedColumn}) AS untimed_size,
              sum(expired_keys) AS expired_keys
       FROM type_stats WHERE snapshot_id = ? GROUP BY db ORDER BY db`,
    ).all(snap.id) as { db: number; keys: number; size: number; untimed_keys: number; untimed_size: number; expired_keys: number }[];
    const total = perDb.reduce((t, r) => ({ keys: t.keys + r.keys, size: t.size + (r.size ?? 0), untimed_keys: t.untimed_keys + r.untimed_keys, untimed_size: t.untimed_size + (r.untimed_size ?? 0), expired_keys: t.expired_keys + r.expired_keys }),
      { keys: 0, size: 0, untimed_keys: 0, untimed_size: 0, expired_keys: 0 });
    const volatileKeys = total.keys - total.untimed_keys;
    const volatileSize = total.size - total.untimed_size;

    const byPolicy: ResultTable = {
      name: 'by_policy',
      title: 'What each maxmemory-policy family can evict',
      columns: [
        col('policy', 'text'), col('evictable_keys', 'int'), col(`evictable_${m}`, 'bytes', `${m} of the keys this policy family may evict`),
        col('evictable_share', 'percent', `share of the snapshot's ${m} this policy family may evict`),
        col(`never_evicted_${m}`, 'bytes', `${m} this policy family never evicts`), { ...col('policies', 'text'), key: false },
      ],
      rows: [
        { policy: 'noeviction', evictable_keys: 0, [`evictable_${m}`]: 0, evictable_share: share(0, total.size), [`never_evicted_${m}`]: total.size, policies: 'noeviction (writes fail with OOM at maxmemory)' },
        { policy: 'volatile-*', evictable_keys: volatileKeys, [`evictable_${m}`]: volatileSize, evictable_share: share(volatileSize, total.size), [`never_evicted_${m}`]: total.untimed_size, policies: 'volatile-lru, volatile-lfu, volatile-random, volatile-ttl (keys with a TTL only)' },
        { policy: 'allkeys-*', evictable_keys: total.keys, [`evictable_${m}`]: total.size, evictable_share: share(total.size, total.size), [`never_evicted_${m}`]: 0, policies: 'allkeys-lru, allkeys-lfu, allkeys-random' },
      ],
    };
    const byDb: ResultTable = {
      name: 'by_db',
      title: 'Per db',
      columns: [keyCol('db', 'int'), col('keys', 'int'), col(m, 'bytes'), col('volatile_keys', 'int'), col(`volatile_${m}`, 'bytes'), col('volatile_share', 'percent'),
        col('untimed_keys', 'int'), col(`untimed_${m}`, 'bytes'), col('expired_keys', 'int')],
      rows: perDb.map((r) => ({
        db: r.db, keys: r.keys, [m]: r.size, volatile_keys: r.keys - r.untimed_keys, [`volatile_${m}`]: r.size - r.untimed_size,
        volatile_share: share(r.size - r.untimed_size, r.size), untimed_keys: r.untimed_keys, [`untimed_${m}`]: r.untimed_size, expired_keys: r.expired_keys,
      })),
    };
    const immortal: ResultTable = {
      name: 'immortal_patterns',
      title: `Patterns no volatile-* policy can evict (top ${options.top} by ${m} without TTL)`,
      columns: [col('pattern', 'text'), col('type', 'text'), col('untimed_keys', 'int'), col('keys', 'int'), col(`untimed_${m}`, 'bytes', `${m} of the pattern's keys without a TTL`),
        col('share_of_total', 'percent')],
      rows: queryRows(
        db.prepare(`SELECT pattern, type, untimed_keys, keys, ${b.untimedColumn} AS untimed_size FROM pattern_stats
                    WHERE snapshot_id = ? AND untimed_keys > 0 ORDER BY untimed_size DESC, untimed_keys DESC, pattern LIMIT ?`),
        [snap.id, options.top],
        (r: Row & { untimed_size: number }): Row => ({ pattern: r.pattern, type: r.type, untimed_keys: r.untimed_keys, keys: r.keys, [`untimed_${m}`]: r.untimed_size, share_of_total: share(r.untimed_size, total.size) }),
      ),
    };
    // volatile-ttl evicts the keys closest to expiring first (`R:evict.c`: EVPOOL by TTL).
    const ttlRows = db.prepare(`SELECT bucket, sum(keys) AS keys, sum(${b.statsColumn}) AS size FROM ttl_stats WHERE snapshot_id = ? AND bucket <> 'none' GROUP BY bucket`)
      .all(snap.id) as { bucket: string; keys: number; size: number }[];
    let cumulative = 0;
    const volatileTtl: ResultTable = {
      name: 'volatile_ttl',
      title: 'volatile-ttl order: keys with a TTL by time left at snapshot time (evicted soonest-expiring first)',
      columns: [col('remaining_ttl', 'text'), col('keys', 'int'), col(m, 'bytes'), col(`cumulative_${m}`, 'bytes', `${m} freed by evicting this band and every sooner one`), col('share_of_volatile', 'percent')],
      rows: TTL_BUCKETS.filter((t) => t !== 'none').map((bucket) => {
        const r = ttlRows.find((x) => x.bucket === bucket);
        cumulative += r?.size ?? 0;
        return { remaining_ttl: bucket, keys: r?.keys ?? 0, [m]: r?.size ?? 0, [`cumulative_${m}`]: cumulative, share_of_volatile: share(r?.size ?? 0, volatileSize) };
      }),
    };

    const notes = [...describeSnapshot(snap), b.note];
    notes.push(`${volatileKeys} of ${total.keys} keys have a TTL (${humanPercentOrDash(share(volatileSize, total.size))} of ${m}): a volatile-* policy can evict at most these; ` +
      `${humanPercentOrDash(share(total.untimed_size, total.size))} of ${m} has no TTL and is never evicted by one`);
    if (total.expired_keys > 0) notes.push(`${total.expired_keys} key(s) had already expired at snapshot time (a server drops them on load)`);
    const access = accessData(db, snap);
    notes.push(access.note);
    const tables: ResultTable[] = [byPolicy, byDb, immortal];
    if (access.kind !== 'none') {
      if (snap.key_rows !== null && snap.key_rows < snap.key_count) {
        notes.push(`cold data from the ${snap.key_rows} of ${snap.key_count} keys that have a row (the snapshot was loaded with row limits): smaller keys are missing from it`);
      }
      tables.push(...coldTables(db, snap, access.kind, b.keysColumn, m, options.top));
    }
    tables.push(volatileTtl);
    return { report: 'eviction', notes, tables, labels: snapshotLabels(snap), snapshot: snapshotFacts(snap) };
  },
};

/** Memory by idle-time / LFU band, and the patterns holding the coldest memory. */
function coldTables(db: Parameters<Report['run']>[0], snap: Parameters<typeof keyRowsOf>[0], kind: 'lru' | 'lfu', keysColumn: string, m: string, top: number): ResultTable[] {
  const band = accessBandSql(kind);
  const range = 'r.row_id BETWEEN ? AND ? AND r.snapshot_id = ?';
  const bands = db.prepare(
    `SELECT ${band} AS band, count(*) AS keys, coalesce(sum(${keysColumn}), 0) AS size FROM key_rows r WHERE ${range} AND access IS NOT NULL GROUP BY band`,
  ).all(...keyRowsOf(snap)) as { band: string; keys: number; size: number }[];
  const all = bands.reduce((s, r) => s + r.size, 0);
  const measure = kind === 'lru' ? 'idle' : 'lfu_counter';
  const cold: ResultTable = {
    name: 'cold',
    title: kind === 'lru' ? 'Cold data: memory by idle time when the dump was written (an LRU policy evicts the longest idle first)'
      : 'Cold data: memory by LFU counter when the dump was written (an LFU policy evicts the lowest counters first)',
    columns: [col(measure, 'text'), col('keys', 'int'), col(m, 'bytes'), col('share', 'percent')],
    rows: accessBands(kind).map((name) => {
      const r = bands.find((x) => x.band === name);
      return { [measure]: name, keys: r?.keys ?? 0, [m]: r?.size ?? 0, share: share(r?.size ?? 0, all) };
    }),
  };
  const coldWhere = kind === 'lru' ? `access >= ${COLD_IDLE_SECONDS}` : `access < 0 AND -1 - access < ${COLD_LFU_BELOW}`;
  const coldLabel = kind === 'lru' ? 'idle 7 days or more' : `LFU counter below ${COLD_LFU_BELOW} (decayed: unused for a while)`;
  const extreme = kind === 'lru' ? 'max(access)' : 'min(-1 - access)';
  const patterns: ResultTable = {
    name: 'cold_patterns',
    title: `Patterns holding the coldest memory (${coldLabel}; top ${top})`,
    columns: [col('pattern', 'text'), col('type', 'text'), col('keys', 'int'), col(m, 'bytes'), col('cold_keys', 'int'), col(`cold_${m}`, 'bytes', `${m} of the pattern's keys that are ${coldLabel}`),
      col('cold_share', 'percent'), col(kind === 'lru' ? 'max_idle_s' : 'min_lfu_counter', 'int')],
    rows: queryRows(
      db.prepare(
        `SELECT p.pattern, k.type, count(*) AS keys, coalesce(sum(r.${keysColumn}), 0) AS size,
                sum(${coldWhere}) AS cold_keys, coalesce(sum(CASE WHEN ${coldWhere} THEN r.${keysColumn} END), 0) AS cold_size, ${extreme} AS extreme
         FROM key_rows r JOIN key_kinds k ON k.id = r.kind_id JOIN patterns p ON p.id = r.pattern_id
         WHERE ${range} AND access IS NOT NULL
         GROUP BY p.pattern, k.type HAVING cold_keys > 0 ORDER BY cold_size DESC, cold_keys DESC, p.pattern LIMIT ?`,
      ),
      [...keyRowsOf(snap), top],
      (r: Row & { size: number; cold_size: number }): Row => ({
        pattern: r.pattern, type: r.type, keys: r.keys, [m]: r.size, cold_keys: r.cold_keys, [`cold_${m}`]: r.cold_size,
        cold_share: share(r.cold_size, r.size), [kind === 'lru' ? 'max_idle_s' : 'min_lfu_counter']: r.extreme,
      }),
    ),
  };
  return [cold, patterns];
}
