import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** The file an output is renamed over, and its permission bits when it exists (null: a new file). */
export interface Replaced {
  path: string;
  mode: number | null;
}

/**
 * The file to rename an output (report/sql --out, an html page) over: the path when nothing is there
 * yet, the regular file it names (a symbolic link stays a link: the file it names is replaced); null
 * for anything else, which is written in place: a FIFO, a device, and a name under /dev or /proc
 * (/dev/stdout leads to the pipe, terminal or log file the process writes to: a log file renamed over
 * would leave the shell's later output in the unlinked old one).
 */
export function replacedFile(file: string): Replaced | null {
  if (/^\/(dev|proc)\//.test(resolve(file))) return null;
  const st = statSync(file, { throwIfNoEntry: false });
  if (st === undefined) return { path: file, mode: null };
  if (!st.isFile()) return null;
  const mode = st.mode & 0o7777;
  try {
    return { path: realpathSync(file), mode };
  } catch {
    return { path: file, mode };
  }
}
