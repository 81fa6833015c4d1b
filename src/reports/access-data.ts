import type { Store } from '../store/open-store.js';
import { keyRowsOf } from '../store/schema.js';
import type { SnapshotRow } from '../store/snapshots.js';
import { IDLE_BANDS, LFU_BANDS } from './thresholds.js';

/**
 * What a dump says about its server's maxmemory-policy: Redis saves an LRU idle time per key (IDLE
 * opcode) only under an LRU policy and an LFU counter (FREQ) only under an LFU one
 * (`R:rdb.c rdbSaveKeyValuePair`; rdb-format.md §3.2). Read from the stored key rows, whose
 * `access` column holds idle seconds (≥ 0) or −1 − the LFU counter.
 */
export interface AccessData {
  kind: 'lru' | 'lfu' | 'none';
  /** Key rows carrying the data, and key rows read. */
  keysWithData: number;
  rows: number;
  note: string;
}

export function accessData(db: Store, snap: SnapshotRow): AccessData {
  const r = db
    .prepare(`SELECT count(*) AS n, coalesce(sum(access >= 0), 0) AS lru, coalesce(sum(access < 0), 0) AS lfu FROM key_rows WHERE row_id BETWEEN ? AND ? AND snapshot_id = ?`)
    .get(...keyRowsOf(snap)) as { n: number; lru: number; lfu: number };
  if (r.lru > 0 && r.lru >= r.lfu) {
    return { kind: 'lru', keysWithData: r.lru, rows: r.n, note: 'idle times saved with the keys: the server ran an LRU maxmemory-policy (allkeys-lru or volatile-lru)' };
  }
  if (r.lfu > 0) {
    return { kind: 'lfu', keysWithData: r.lfu, rows: r.n, note: 'LFU counters saved with the keys: the server ran an LFU maxmemory-policy (allkeys-lfu or volatile-lfu)' };
  }
  return {
    kind: 'none', keysWithData: 0, rows: r.n,
    // No row because the dump holds no key says nothing of the policy, as rows left out at load do.
    note: snap.key_count === 0
      ? 'the dump holds no keys: no LRU/LFU data to tell the maxmemory-policy by'
      : r.n === 0
        ? 'no key rows stored: whether the dump holds LRU/LFU data is unknown'
      : 'no LRU/LFU data: the server ran noeviction, volatile-ttl or a random policy (only LRU / LFU policies save them)',
  };
}

/** SQL CASE naming the cold-data band of a key row's `access` for this kind of data. */
export function accessBandSql(kind: 'lru' | 'lfu'): string {
  if (kind === 'lru') {
    return `CASE ${IDLE_BANDS.map((b) => (Number.isFinite(b.below) ? `WHEN access < ${b.below} THEN '${b.name}'` : `ELSE '${b.name}'`)).join(' ')} END`;
  }
  // access = -1 - counter
  return `CASE ${LFU_BANDS.map((b) => `WHEN -1 - access < ${b.below} THEN '${b.name}'`).join(' ')} END`;
}

/** Band names from hottest to coldest (LRU: shortest idle first; LFU: highest counter first). */
export function accessBands(kind: 'lru' | 'lfu'): string[] {
  return kind === 'lru' ? IDLE_BANDS.map((b) => b.name) : LFU_BANDS.map((b) => b.name).reverse();
}
