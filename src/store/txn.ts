import { WRITE_LOCK_WAIT_MS, type Store } from './open-store.js';

/**
 * How long a transaction waits for another process's write lock before it says so (Txn onLockWait)
 * and goes on waiting up to WRITE_LOCK_WAIT_MS. Another load holds the lock for one slice of rows
 * at a time, about a second; a wait past this is worth a line, as the whole wait may be long.
 */
export const LOCK_NOTICE_MS = 3000;

/**
 * The write transaction of a load, shared by every snapshot being written into one database (one
 * writer, several files parsed in parallel). Rows are committed in slices of `commitEvery` so a huge
 * load does not build one giant transaction; a snapshot stays invisible to reports (status
 * `loading`) until the commit that finishes it. A SIGKILL between commits leaves a consistent database
 * (WAL, or a new database's rollback journal) whose `loading` snapshots the next load replaces.
 *
 * A slice takes the write lock when it begins (BEGIN IMMEDIATE), so a lock held by another process
 * is waited for there, where the wait can be told (`onLockWait`, once per Txn): better-sqlite3 has
 * no busy-handler hook, and a wait inside a later statement would be silent for up to 10 minutes.
 * An IMMEDIATE transaction also never fails halfway on SQLITE_BUSY when a deferred one would have
 * to upgrade its read lock after another writer's commit (sqlite.org/lang_transaction.html).
 */
export class Txn {
  private rows = 0;
  private told = false;

  constructor(
    private readonly db: Store,
    private readonly commitEvery = 250_000,
    private readonly onLockWait?: () => void,
  ) {}

  begin(): void {
    if (this.db.inTransaction) return;
    if (this.onLockWait === undefined || this.told) {
      this.db.exec('BEGIN IMMEDIATE');
      return;
    }
    this.db.pragma(`busy_timeout = ${LOCK_NOTICE_MS}`);
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_BUSY') throw err;
      this.told = true;
      this.onLockWait();
      this.db.pragma(`busy_timeout = ${WRITE_LOCK_WAIT_MS}`);
      this.db.exec('BEGIN IMMEDIATE');
    } finally {
      this.db.pragma(`busy_timeout = ${WRITE_LOCK_WAIT_MS}`);
    }
  }

  /** Counts rows written; commits once a slice is full. */
  wrote(n: number): void {
    this.rows += n;
    if (this.rows >= this.commitEvery) this.commit();
  }

  commit(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.rows = 0;
  }
}
