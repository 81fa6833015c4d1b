import type { ByteReader } from '../byte-reader.js';
import { readLength } from '../length.js';

/** Runs one unit, yielding until its bytes have arrived (commits after it). */
export function* once<S>(r: ByteReader, unit: (r: ByteReader, s: S) => void, s: S): Generator<void, void, void> {
  while (!r.attempt(unit, s)) yield;
}

/**
 * Runs `unit` n times, committing after each so that only one element is ever buffered.
 * Every unit reads at least one byte through need(), so a count that lies about what follows
 * ends at the end of the input (an error), never in an endless loop.
 */
export function* repeat<S>(r: ByteReader, n: number, unit: (r: ByteReader, s: S) => void, s: S): Generator<void, void, void> {
  for (let i = 0; i < n; ) {
    if (r.attempt(unit, s)) i++;
    else yield;
  }
}

/** A count read as its own unit. */
export class Count {
  n = 0;
}

export function readCountUnit(r: ByteReader, c: Count): void {
  c.n = readLength(r);
}
