/**
 * The `keys` output as the string code of 386467e wrote it (the base of issue 16), kept as the
 * reference the byte writer (src/output/key-lines.ts) must equal: JSON.stringify of the keyRow
 * object (jsonl), csv-stringify of its cells with formula cells neutralised (csv), rdbtoolsCsvRow
 * (rdbtools-csv). Nothing here is fast; it is what the contract says, written the obvious way.
 */
import { stringify } from 'csv-stringify/sync';
import type { KeyRecord } from '../../src/core/record.js';
import { neutralizeFormula, rdbtoolsCsvRow, RDBTOOLS_CSV_HEADER } from '../../src/output/index.js';
import { KEY_COLUMNS, keyRow, type KeyLineFormat } from '../../src/output/key-lines.js';

/**
 * keyRow(rec) as CSV cells: the key, type and encoding neutralised (spreadsheet formulas); a flag as
 * the JSON text `true` / `false` (csv-stringify would write `1` / an empty cell).
 */
function csvCells(rec: KeyRecord): (string | number | null)[] {
  const row = keyRow(rec);
  return KEY_COLUMNS.map((c) => {
    const v = row[c];
    if (typeof v === 'boolean') return String(v);
    return (c === 'key' || c === 'type' || c === 'encoding') && typeof v === 'string' ? neutralizeFormula(v) : v;
  });
}

export function referenceHeader(format: KeyLineFormat): string {
  if (format === 'csv') return stringify([KEY_COLUMNS as unknown as string[]]);
  if (format === 'rdbtools-csv') return RDBTOOLS_CSV_HEADER;
  return '';
}

export function referenceLines(format: KeyLineFormat, recs: readonly KeyRecord[]): string {
  if (format === 'csv') return recs.length ? stringify(recs.map(csvCells)) : '';
  if (format === 'rdbtools-csv') return recs.map(rdbtoolsCsvRow).join('');
  return recs.map((r) => JSON.stringify(keyRow(r)) + '\n').join('');
}
