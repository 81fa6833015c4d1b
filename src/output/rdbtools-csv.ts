import type { KeyRecord } from '../core/record.js';
import { csvField } from './csv-field.js';

/**
 * redis-rdb-tools' `rdb -c memory` CSV, so scripts built on that tool keep working on dumps it cannot
 * read: `database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry`.
 *
 * Differences that follow from what we know: size_in_bytes is the memory model's estimate when
 * present, else the value's bytes in the file; encoding is the in-memory encoding when estimated, else
 * the file encoding. Keys are printable (binary bytes escaped). Cells are not formula-neutralised:
 * this format feeds scripts, and a changed key would break their joins. Hand-rolled quoting (not
 * csv-stringify) because `keys` streams millions of rows through it.
 */
export const RDBTOOLS_CSV_HEADER = 'database,type,key,size_in_bytes,encoding,num_elements,len_largest_element,expiry\n';

/** rdb-tools calls a zset `sortedset`. */
export const RDBTOOLS_TYPE: Record<string, string> = { zset: 'sortedset' };

export function rdbtoolsCsvRow(rec: KeyRecord): string {
  const expiry = rec.expireAtMs === null ? '' : pythonIsoformat(rec.expireAtMs);
  return [
    rec.db,
    RDBTOOLS_TYPE[rec.type] ?? rec.type,
    csvField(rec.keyPrintable),
    rec.memory?.bytes ?? rec.valueBytes,
    csvField(rec.memory?.encoding ?? rec.rdbType),
    rec.elements,
    rec.largestElementBytes,
    expiry,
  ].join(',') + '\n';
}

/** Writes the header once, then one line per record, to any string sink. */
export function rdbtoolsCsvWriter(write: (chunk: string) => void): { write(rec: KeyRecord): void; writeBatch(recs: readonly KeyRecord[]): void } {
  write(RDBTOOLS_CSV_HEADER);
  return {
    write: (rec) => write(rdbtoolsCsvRow(rec)),
    writeBatch: (recs) => {
      let s = '';
      for (const rec of recs) s += rdbtoolsCsvRow(rec);
      write(s);
    },
  };
}

/** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z: Python's datetime holds years 1 to 9999 (datetime.MINYEAR, MAXYEAR). */
const PYTHON_MIN_MS = -62_135_596_800_000;
const PYTHON_END_MS = 253_402_300_800_000;

/**
 * Python's `datetime.utcfromtimestamp(s).isoformat()`, as rdb-tools prints expiry (UTC, no zone). A
 * time Python's datetime cannot hold (years outside 1–9999: a corrupt TTL) is printed as its number
 * of ms, where rdb-tools itself would stop with a ValueError.
 */
export function pythonIsoformat(ms: number): string {
  if (!(ms >= PYTHON_MIN_MS && ms < PYTHON_END_MS)) return String(ms);
  const iso = new Date(ms).toISOString(); // 2024-01-15T10:30:00.123Z
  const base = iso.slice(0, 19);
  const millis = ms - Math.floor(ms / 1000) * 1000;
  return millis === 0 ? base : `${base}.${String(millis * 1000).padStart(6, '0')}`;
}
