/** The one row of snapshot.parquet (columns.ts SNAPSHOT_COLUMNS), from a dump or a stored snapshot. */
export interface SnapshotInfo {
  snapshotId: string;
  instance: string;
  fileName: string;
  path: string;
  fileBytes: number;
  compression: string;
  snapshotTimeMs: number;
  timeSource: string;
  server: string | null;
  serverVersion: string | null;
  rdbVersion: number | null;
  usedMem: number | null;
  keyCount: number;
  keyRows: number;
  keysMinBytes: number | null;
  topPerPattern: number | null;
  status: 'complete' | 'partial';
  error: string | null;
  memoryProfile: string | null;
  unestimatedKeys: number;
  rdbBytes: number;
  checksum: string;
}

/** One row of patterns.parquet: pattern, type, keys, memory, file, untimed keys, untimed memory, untimed file (null memory = no model). */
export type PatternRow = [string, string, number, number | null, number, number, number | null, number];

/**
 * The server that wrote a dump, from its AUX fields: Valkey writes `valkey-ver` (and a `redis-ver`
 * for compatibility), Redis only `redis-ver`.
 */
export function serverOf(aux: readonly { key: string; value: string }[]): { server: string | null; version: string | null } {
  const get = (k: string) => aux.find((a) => a.key === k)?.value;
  const valkey = get('valkey-ver');
  if (valkey !== undefined) return { server: 'valkey', version: valkey };
  const redis = get('redis-ver');
  return redis !== undefined ? { server: 'redis', version: redis } : { server: null, version: null };
}
