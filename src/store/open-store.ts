import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS, READABLE_SINCE_VERSION, SCHEMA_VERSION } from './schema.js';

export type Store = Database.Database;

export interface OpenStoreOptions {
  /** Open read-only (reports, `sql`): no migrations, writes rejected by SQLite itself. */
  readonly?: boolean;
}

/**
 * How long a writer (a load, analyze, export) waits for another process's write lock before it
 * fails with "database is locked". Loads of a fleet's dumps run side by side into one database, each
 * holding the lock for a slice of rows at a time; SQLite's waiters are not served in turn, so one
 * may wait out several others' slices: with better-sqlite3's default of 5 s, one of four shard
 * loads started together failed. A process that holds the lock this long is stuck.
 */
export const WRITE_LOCK_WAIT_MS = 10 * 60_000;

/** Thrown when a database cannot be used (newer schema, not an rdbscope database). */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/**
 * Opens (creating if needed) an rdbscope database and migrates it forward. An existing database is
 * in WAL mode; a new one is in rollback-journal mode until its first load ends (useWal).
 */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const fresh = !options.readonly && !existsSync(path);
  refuseNonFile(path);
  let db: Store;
  try {
    db = options.readonly
      ? new Database(path, { readonly: true, fileMustExist: true })
      : new Database(path, { timeout: WRITE_LOCK_WAIT_MS });
  } catch (err) {
    throw namingFile(path, err, true);
  }
  try {
    // Before any pragma below changes the file (WAL mode): a database this build must not use stays as it was.
    try {
      checkedVersion(db);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (options.readonly && (code === 'SQLITE_READONLY_DIRECTORY' || code === 'SQLITE_CANTOPEN') && isWalFile(path)) {
        throw new StoreError(
          `${path}: cannot be read in place: it is in WAL mode, and SQLite must create or open ${path}-shm beside it to read it, which it cannot (${(err as Error).message}): a read-only directory? copy the database to a writable one`,
        );
      }
      if (code !== 'SQLITE_READONLY_ROLLBACK') throw err;
      db.close();
      db = recoverHotJournal(path);
      checkedVersion(db);
    }
    if (!options.readonly) {
      // 16 KiB pages for a new database (ignored for an existing one): key rows are small and
      // appended in order; measured ~4% off loads of 5 M tiny keys and of 1 M mixed keys against
      // the 4 KiB default. Must precede WAL mode, which fixes the page size.
      db.pragma('page_size = 16384');
      if (fresh) {
        // A new database's first load writes each new page once with a rollback journal, which
        // records only pages that existed before; in WAL each page goes to the log, then to the
        // file at a checkpoint. Measured: load of 2 M small keys 1.88 -> 1.67 s. FULL sync: a
        // rollback journal is durable across a power loss only with it (sqlite.org/pragma.html
        // #pragma_synchronous). Readers wait for each commit meanwhile (busy timeout).
        db.pragma('journal_mode = TRUNCATE');
        db.pragma('synchronous = FULL');
      } else useWal(db);
      // Bulk loads: 8 MiB of page cache. Measured on 1 M small keys: load CPU is the same from 8 to
      // 64 MiB, while RSS grows with it (177 → 267 MB); 8 instead of 16 MiB kept the load of an .lz4
      // dump under 150 MB and did not change load times (5 M small keys, 1 M mixed).
      db.pragma('cache_size = -8192');
    }
    db.pragma('foreign_keys = OFF'); // bulk loads; integrity is kept by the loader
    migrate(db, options.readonly ?? false);
    return db;
  } catch (err) {
    db.close();
    throw namingFile(path, err);
  }
}

/**
 * A database is a regular file. A named pipe at the path would block a read-only open until some
 * process writes into it (a report that never returns); a device or a directory gives SQLite's
 * "disk I/O error" (read-only) or "unable to open database file", naming nothing. They are refused
 * by name first.
 */
function refuseNonFile(path: string): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    return; // missing (a new database) or unreadable: SQLite's own open says what is wrong
  }
  if (st.isFile()) return;
  if (st.isDirectory()) throw new StoreError(`${path}: a directory, not a database file: give --db a file (e.g. ${join(path, 'rdbscope.sqlite')})`);
  throw new StoreError(`${path}: not a regular file (a pipe, socket or device): a database must be a file`);
}

/**
 * Whether a database file's header says WAL mode (file format version numbers 2 at offsets 18 and
 * 19, sqlite.org/fileformat.html). Readers of a WAL database need its -shm file, which they create
 * when it is missing: in a read-only directory (a backup mount, a directory of another user) they
 * cannot, and SQLite's "unable to open database file" / "attempt to write a readonly database" say
 * nothing of why.
 */
function isWalFile(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(20);
      return readSync(fd, head, 0, 20, 0) === 20 && head[18] === 2 && head[19] === 2;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * A new database's first load runs with a rollback journal (openStore): killed in the middle of a
 * commit, it leaves a hot journal, which only a connection that can write rolls back. A read-only
 * open (reports, `sql`) then fails on its first read ("attempt to write a readonly database")
 * until some load opens the file again. Rolling the interrupted transaction back restores the last
 * commit, as the next load would; this opens the file read-write for that, then read-only again.
 */
function recoverHotJournal(path: string): Store {
  try {
    const rw = new Database(path, { fileMustExist: true });
    try {
      rw.pragma('user_version', { simple: true });
    } finally {
      rw.close();
    }
    return new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new StoreError(
      `${path}: a load into it was interrupted and its journal (${path}-journal) must be rolled back, which needs write access (${(err as Error).message}); run \`rdbscope load\` on it where it can be written`,
    );
  }
}

/**
 * Failures to open ("unable to open database file": a directory; "Cannot open database because the
 * directory does not exist"; every error of the constructor, `opening`) and "file is not a database"
 * (SQLITE_CANTOPEN, SQLITE_NOTADB) say nothing of which file: they become a StoreError naming it, with
 * SQLite's code kept. Other errors are returned as they are.
 */
function namingFile(path: string, err: unknown, opening = false): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (!(err instanceof Error) || (!opening && code !== 'SQLITE_CANTOPEN' && code !== 'SQLITE_NOTADB')) return err;
  return Object.assign(new StoreError(`${path}: ${err.message}`), code === undefined ? {} : { code });
}

/**
 * WAL mode: reports can read while a load writes; NORMAL sync is durable across app crashes in
 * WAL. Leaving a rollback journal needs the database to itself: while another connection reads it
 * (past the busy timeout) the database keeps its journal and FULL sync, and the next load's
 * openStore tries again. False then.
 */
export function useWal(db: Store): boolean {
  try {
    db.pragma('journal_mode = WAL');
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'SQLITE_BUSY') throw e;
    db.pragma('synchronous = FULL');
    return false;
  }
  db.pragma('synchronous = NORMAL');
  return true;
}

function migrate(db: Store, readonly: boolean): void {
  const version = checkedVersion(db);
  if (version === SCHEMA_VERSION) return;
  if (readonly) {
    if (version === 0) throw new StoreError(`${db.name} is not an rdbscope database (run \`rdbscope load\` first)`);
    if (version >= READABLE_SINCE_VERSION) return;
    throw new StoreError(`${db.name}: database schema version ${version} is older than ${SCHEMA_VERSION}; run \`rdbscope load\` once to migrate it`);
  }
  const apply = db.transaction(() => {
    // Read again under the write lock: another process (a second `load` started on the same new
    // database) may have created or migrated the schema between the read above and this lock.
    const current = checkedVersion(db);
    for (let v = current; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    if (current !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  apply.immediate();
}

/**
 * The database's schema version, refused when newer than this build's, or when it is 0 (no
 * rdbscope schema) while the file holds tables: an SQLite database of some other program, which a
 * load must not add its tables to.
 */
function checkedVersion(db: Store): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new StoreError(`${db.name}: database schema version ${version} is newer than this rdbscope (${SCHEMA_VERSION}); upgrade rdbscope`);
  }
  if (version === 0) {
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 4").pluck().all() as string[];
    if (names.length > 0) {
      const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : '');
      throw new StoreError(`${db.name}: an SQLite database of another program (tables: ${shown}), not an rdbscope database; give --db a new file`);
    }
  }
  return version;
}
