import { humanBytes, humanPercent, humanTime } from '../human-units.js';
import { isoTime, type Cell, type Column } from '../result.js';
import { clip } from './escape.js';

/** Longest text shown in a cell (code points): keys can be megabytes long; CSV and JSON carry them whole. */
export const MAX_CELL_TEXT = 200;

/** What a cell shows, the exact value behind it (a tooltip), and the number it sorts by. */
export interface ShownCell {
  text: string;
  exact: string | null;
  sortValue: string | null;
}

/**
 * A value as a person reads it in the page: bytes in KB/MB/GB (the exact count in the tooltip), shares
 * as percentages, times to the second in UTC (ISO 8601 in the tooltip), long text clipped. Numbers
 * sort by their exact value.
 */
export function showCell(value: Cell, column: Column): ShownCell {
  if (value === null) return { text: '-', exact: null, sortValue: null };
  // An empty text (the empty key, which Redis allows) shown as redis-cli shows it: a blank cell reads as missing.
  if (value === '') return { text: '""', exact: 'empty string', sortValue: null };
  if (typeof value === 'string') return { text: clip(value, MAX_CELL_TEXT), exact: null, sortValue: null };
  const n = Number(value);
  const sortValue = String(value);
  switch (column.kind) {
    case 'bytes':
      return { text: humanBytes(n), exact: `${groupDigits(value)} ${n === 1 ? 'byte' : 'bytes'}`, sortValue };
    case 'percent':
      return { text: humanPercent(n), exact: null, sortValue };
    case 'float':
      return { text: n.toFixed(2), exact: String(value), sortValue };
    case 'days':
      return { text: `${n.toFixed(1)} d`, exact: `${String(value)} days`, sortValue };
    case 'time': {
      const text = humanTime(n);
      const iso = isoTime(n);
      return { text, exact: iso === text ? null : iso, sortValue };
    }
    case 'int':
      return { text: groupDigits(value), exact: null, sortValue };
    case 'text':
      return { text: String(value), exact: null, sortValue };
  }
}

/** 1234567 → "1,234,567" (exact for 64-bit integers). */
export function groupDigits(value: number | bigint): string {
  return typeof value === 'bigint' || Number.isInteger(value) ? value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(value);
}
