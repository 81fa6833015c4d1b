import type { Column, Row } from '../output/result.js';
import type { SnapshotRow } from '../store/snapshots.js';
import { col } from './scope.js';

/**
 * Size percentiles per group of keys, by the nearest-rank method: the p-th percentile of n values is
 * the value at rank ⌈p·n/100⌉ in ascending order (so it is always a value some key has). Computed by
 * SQLite over the snapshot's per-key rows (window functions: its sorter spills to disk, nothing is
 * held in JS), hence exact — and only available when every key of the snapshot has a row.
 */
export const PERCENTILES = [50, 90, 99] as const;

/** The measures percentiles are given for: per-key size (memory or file bytes) and element count. */
export type Measure = 'size' | 'elements';

/** Output column names for one measure: `p50_memory` … `max_memory`, `p50_elements` … `max_elements`. */
export function percentileColumnNames(label: string): string[] {
  return [...PERCENTILES.map((p) => `p${p}_${label}`), `max_${label}`];
}

export function percentileColumns(sizeLabel: string): Column[] {
  return [
    ...percentileColumnNames(sizeLabel).map((n) => col(n, 'bytes')),
    ...percentileColumnNames('elements').map((n) => col(n, 'int')),
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

/**
 * SQL giving, per group of `source`, the nearest-rank percentiles and the max of `value`. `source`
 * must yield the group columns and the value; the result has the group columns and
 * `p50_<label>` … `max_<label>`.
 */
export function percentileSql(source: string, groups: readonly string[], value: string, label: string): string {
  const g = groups.join(', ');
  const ranks = PERCENTILES.map((p) => `max(CASE WHEN rn = (n * ${p} + 99) / 100 THEN v END) AS p${p}_${label}`).join(', ');
  return `SELECT ${g}, ${ranks}, max(v) AS max_${label}
          FROM (SELECT ${g}, ${value} AS v, row_number() OVER w AS rn, count(*) OVER (PARTITION BY ${g}) AS n
                FROM ${source} WINDOW w AS (PARTITION BY ${g} ORDER BY ${value}))
          GROUP BY ${g}`;
}

/** A row's percentile cells (all null when not available). */
export function percentileCells(found: Row | undefined, sizeLabel: string): Row {
  const out: Row = {};
  for (const n of [...percentileColumnNames(sizeLabel), ...percentileColumnNames('elements')]) out[n] = found?.[n] ?? null;
  return out;
}
