import { statSync } from 'node:fs';
import { resolve } from 'node:path';

/** SQLite's own files beside a database (its rollback journal and WAL, sqlite.org/tempfiles.html); '' is the database. */
export const DATABASE_SIDE_FILES = ['', '-journal', '-wal', '-shm'];

/** The same file: by path, or, for files that exist, by device and inode (a link or another spelling). */
export function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  const [sa, sb] = [statSync(a, { throwIfNoEntry: false }), statSync(b, { throwIfNoEntry: false })];
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino;
}

/**
 * Which of the database's files `path` is, in words ('the database', 'the -wal file of the
 * database'), or null: for refusing an output that would overwrite it.
 */
export function databaseFileAt(path: string, dbPath: string): string | null {
  const side = DATABASE_SIDE_FILES.find((s) => sameFile(path, `${dbPath}${s}`));
  return side === undefined ? null : side === '' ? 'the database' : `the ${side} file of the database`;
}
