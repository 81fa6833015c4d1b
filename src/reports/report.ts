import type { MetricSpec, ReportResult } from '../output/result.js';
import type { Store } from '../store/open-store.js';

/** Options every report may read; `accepts` says which a given report understands. */
export interface ReportOptions {
  /** Snapshot id or file name; default the latest. */
  snapshot?: string;
  /** Only snapshots of this instance (the server the dumps come from). */
  instance?: string;
  /** Only keys of this Redis type. */
  type?: string;
  /** Redis's glob (as `keys --match`) on the key's bytes — or on the pattern's name, for the reports that read per-pattern figures. */
  match?: string;
  top: number;
  /** growth: snapshots to compare (id or name). */
  from?: string;
  to?: string;
  /** patterns: fixed mode — first `depth` segments split on the first of `separators`. */
  depth?: number;
  separators?: string;
  /** capacity / forecast / diagnosis: the server's maxmemory in bytes (0 = no limit), and the host's RAM. */
  maxmemory?: number;
  ram?: number;
  /** The maxmemory-policy the server runs, when known (from its redis.conf). */
  maxmemoryPolicy?: string;
}

export type ReportOptionName = 'snapshot' | 'instance' | 'type' | 'match' | 'top' | 'from' | 'to' | 'depth' | 'separators' | 'maxmemory' | 'ram';

/**
 * A canned report: data (its SQL lives in its file), a help line, and the options it understands.
 * `run` reads what the notes need; tables that grow with the data or with --top come back as
 * RowSources that read `db` only as they are printed — write the result before closing `db`.
 */
export interface Report {
  name: string;
  help: string;
  accepts: readonly ReportOptionName[];
  /** What `--format prometheus` writes; absent = the report has no metrics output. */
  metrics?: MetricSpec;
  run(db: Store, options: ReportOptions): ReportResult;
}

/** A report asked for something the database does not have (unknown snapshot, one snapshot for growth). */
export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
}
