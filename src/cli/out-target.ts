import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './exit.js';

/**
 * Where no output file can be written (`option`: the option naming it, `what`: what it holds), said
 * before the command reads anything: an empty path (`--out "$FILE"` with FILE unset), a directory, a
 * missing directory. Otherwise they fail at the first write, after the work, as node's EISDIR /
 * ENOENT text and exit 1.
 */
export function checkOutTarget(out: string, option: string, what: string): void {
  if (out === '') throw new UsageError(`${option} is empty: give ${what} a file name`);
  if (isDirectory(out)) throw new UsageError(`${option} ${out} is a directory: give ${what} a file name`);
  const dir = dirname(out);
  if (!isDirectory(dir)) throw new UsageError(`${option} ${out}: no directory ${dir}`);
}

/** True for a directory; false for anything else, nothing there, or a path through a file (ENOTDIR). */
function isDirectory(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false;
  }
}
