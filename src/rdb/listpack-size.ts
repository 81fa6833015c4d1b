import { listpackBacklenSize } from './canonical-int.js';

/**
 * Bytes a string element of `len` bytes takes in a listpack when its text is not an integer:
 * encoding header + data + backlen (rdb-format.md §5.2: 6-bit length below 64, 12-bit below
 * 4096, else 32-bit). Used for elements that were measured but not read (long or compressed).
 */
export function listpackStringEntrySize(len: number): number {
  const encoded = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
  return encoded + listpackBacklenSize(encoded);
}
