import type { Column, Row } from '../output/result.js';
import type { Store } from '../store/open-store.js';
import { keyRowsOf } from '../store/schema.js';
import type { SnapshotRow } from '../store/snapshots.js';
import { col } from './scope.js';

/**
 * Size percentiles per group of keys, by the nearest-rank method: the p-th percentile of n values is
 * the value at rank ⌈p·n/100⌉ in ascending order (so it is always a value some key has). Exact,
 * from the snapshot's per-key rows, and only available when every key has a row.
 *
 * Computed in two passes over the rows, neither of which sorts them (a window query sorting a
 * million rows took seconds): the first counts values in log buckets, 8 per doubling, per group;
 * the second counts the distinct values of just the buckets where the wanted ranks fall. Memory is
 * the bucket counts plus those distinct values — bounded by the buckets' widths, never by the rows.
 * The same serves any rank statistic over key rows (a pattern's median TTL, its largest key).
 */
export const PERCENTILES = [50, 90, 99] as const;

/** Output column names for one measure: `p50_memory` … `max_memory`, `p50_elements` … `max_elements`. */
export function percentileColumnNames(label: string): string[] {
  return [...PERCENTILES.map((p) => `p${p}_${label}`), `max_${label}`];
}

export function percentileColumns(sizeLabel: string): Column[] {
  return [
    ...percentileColumnNames(sizeLabel).map((n) => col(n, 'bytes', `nearest-rank ${n.split('_')[0]} of the per-key ${sizeLabel}`)),
    ...percentileColumnNames('elements').map((n) => col(n, 'int', `nearest-rank ${n.split('_')[0]} of the per-key element count`)),
  ];
}

/**
 * Whether per-key percentiles are exact for this snapshot: every key read has a row (no
 * `--keys-min-bytes` / `--top-per-pattern` limit dropped any). When not, the note says why and the
 * cells are null — never a figure computed from the kept (biggest) keys only.
 */
export function percentilesAvailable(snap: SnapshotRow): { available: boolean; note: string | null } {
  if (snap.key_rows === null || snap.key_rows >= snap.key_count) return { available: true, note: null };
  const knobs = [
    snap.keys_min_bytes !== null ? `--keys-min-bytes ${snap.keys_min_bytes}` : null,
    snap.top_per_pattern !== null ? `--top-per-pattern ${snap.top_per_pattern}` : null,
  ].filter((k) => k !== null).join(' ');
  return {
    available: false,
    note: `percentiles not available: the snapshot was loaded with ${knobs || 'row limits'}, so only ${snap.key_rows} of ${snap.key_count} keys have a row ` +
      '(table size_stats keeps every key\'s size per type in buckets 9% wide)',
  };
}

/** A row's percentile cells (all null when not found). */
export function percentileCells(found: Row | undefined, sizeLabel: string): Row {
  const out: Row = {};
  for (const n of [...percentileColumnNames(sizeLabel), ...percentileColumnNames('elements')]) out[n] = found?.[n] ?? null;
  return out;
}

/** Log bucket of a non-negative value: 0 for values below 1, else 1 + ⌊8·log2 v⌋. */
function bucketOf(v: number): number {
  return v < 1 ? 0 : 1 + Math.floor(8 * Math.log2(v));
}

/** One measure of one group: how many values fall in each bucket, then the values where the ranks fall. */
class MeasureHistogram {
  n = 0;
  max = -Infinity;
  readonly buckets = new Map<number, number>();
  /** Bucket → rank within it (1-based) of each wanted percentile falling there, filled by plan(). */
  readonly wanted = new Map<number, { p: number; rank: number }[]>();
  /** Bucket → distinct value → count, for wanted buckets only (the second pass). */
  readonly values = new Map<number, Map<number, number>>();

  add(v: number): void {
    this.n++;
    if (v > this.max) this.max = v;
    const b = bucketOf(v);
    this.buckets.set(b, (this.buckets.get(b) ?? 0) + 1);
  }

  /** Finds the bucket and in-bucket rank of each percentile; true when a second pass is needed. */
  plan(percentiles: readonly number[]): boolean {
    const order = [...this.buckets.keys()].sort((a, b) => a - b);
    for (const p of percentiles) {
      const rank = Math.ceil((p * this.n) / 100);
      let below = 0;
      for (const b of order) {
        const c = this.buckets.get(b)!;
        if (below + c >= rank) {
          const list = this.wanted.get(b) ?? [];
          list.push({ p, rank: rank - below });
          this.wanted.set(b, list);
          if (!this.values.has(b)) this.values.set(b, new Map());
          break;
        }
        below += c;
      }
    }
    return this.wanted.size > 0;
  }

  addValue(v: number): void {
    const m = this.values.get(bucketOf(v));
    if (m !== undefined) m.set(v, (m.get(v) ?? 0) + 1);
  }

  result(): MeasureStats {
    const p = new Map<number, number>();
    for (const [b, list] of this.wanted) {
      const distinct = [...this.values.get(b)!].sort((x, y) => x[0] - y[0]);
      for (const { p: pct, rank } of list) {
        let seen = 0;
        for (const [v, c] of distinct) {
          seen += c;
          if (seen >= rank) {
            p.set(pct, v);
            break;
          }
        }
      }
    }
    return { n: this.n, max: this.n > 0 ? this.max : null, p };
  }
}

/** What one measure of one group came to: values counted, the largest, and the wanted percentiles. */
export interface MeasureStats {
  n: number;
  max: number | null;
  p: Map<number, number>;
}

export interface PercentileQuery {
  /** SQL expressions over a `key_rows` row (null = the row has no value for that measure). */
  measures: readonly string[];
  percentiles: readonly number[];
  /** A row's group from its kind and pattern ids, or null to leave the row out. */
  groupOf: (kindId: number, patternId: number) => string | null;
  /** Only rows of these patterns are read (when given): SQLite skips the others before any JS runs. */
  patternIds?: readonly number[];
}

/**
 * Exact nearest-rank percentiles (and count and max) of each measure, per group of the snapshot's key
 * rows: group → one MeasureStats per measure, in order. Two scans, each a JS aggregate over the rows
 * (one call per row, no sort: GROUP BY would sort every row).
 */
export function groupPercentiles(db: Store, snap: SnapshotRow, q: PercentileQuery): Map<string, MeasureStats[]> {
  const groups = new Map<string, MeasureHistogram[]>();
  if (snap.first_row === null) return new Map();
  const scan = (name: string, onRow: (h: MeasureHistogram, v: number) => void, create: boolean) => {
    db.aggregate(name, {
      start: 0,
      varargs: true,
      step: ((acc: number, kind: number, pattern: number, ...values: (number | null)[]) => {
        const key = q.groupOf(kind, pattern);
        if (key === null) return acc;
        let g = groups.get(key);
        if (g === undefined) {
          if (!create) return acc;
          g = q.measures.map(() => new MeasureHistogram());
          groups.set(key, g);
        }
        for (let i = 0; i < values.length; i++) if (values[i] !== null) onRow(g[i]!, values[i]!);
        return acc + 1;
      }) as (total: number, ...next: unknown[]) => number,
    });
    const only = q.patternIds ? ` AND pattern_id IN (SELECT value FROM json_each(?))` : '';
    db.prepare(`SELECT ${name}(kind_id, pattern_id, ${q.measures.join(', ')}) FROM key_rows WHERE row_id BETWEEN ? AND ? AND snapshot_id = ?${only}`)
      .get(...keyRowsOf(snap), ...(q.patternIds ? [JSON.stringify(q.patternIds)] : []));
  };
  scan('rdbscope_percentile_buckets', (h, v) => h.add(v), true);
  let second = false;
  for (const g of groups.values()) for (const h of g) if (h.plan(q.percentiles)) second = true;
  if (second) scan('rdbscope_percentile_values', (h, v) => h.addValue(v), false);
  return new Map([...groups].map(([k, g]) => [k, g.map((h) => h.result())]));
}

/**
 * p50/p90/p99 and max of per-key size (`sizeColumn`, null counted as 0) and element count per group,
 * as the cells `p50_<sizeLabel>` … `max_elements`.
 */
export function keyPercentiles(
  db: Store,
  snap: SnapshotRow,
  sizeColumn: 'memory_bytes' | 'value_bytes',
  sizeLabel: string,
  groupOf: (kindId: number, patternId: number) => string | null,
): Map<string, Row> {
  const stats = groupPercentiles(db, snap, { measures: [`coalesce(${sizeColumn}, 0)`, 'elements'], percentiles: PERCENTILES, groupOf });
  const out = new Map<string, Row>();
  for (const [key, [size, elements]] of stats) {
    const cells: Row = {};
    for (const [label, m] of [[sizeLabel, size!], ['elements', elements!]] as const) {
      for (const p of PERCENTILES) cells[`p${p}_${label}`] = m.p.get(p) ?? null;
      cells[`max_${label}`] = m.max;
    }
    out.set(key, cells);
  }
  return out;
}
