import type { ValueShape } from '../../core/record.js';
import type { AtomicDecoder } from './decoder.js';
import { measureString, measured } from '../rdb-string.js';

/**
 * Type 0 (rdb-format.md §4.1). STRLEN is the logical length; the payload is skipped, never held
 * (a 500 MB value costs no memory), and only values short enough to be integers are inspected.
 */
export const decodeString: AtomicDecoder = (r, rec) => {
  measureString(r);
  rec.elements = measured.len;
  rec.largestElementBytes = measured.len;
  rec.shape = measured.isInt ? INT_STRING : PLAIN_STRING;
};

// Shared, frozen: strings are most keys of most dumps, and their shape is one boolean.
export const INT_STRING: ValueShape = Object.freeze({ strIsInt: true });
export const PLAIN_STRING: ValueShape = Object.freeze({ strIsInt: false });
