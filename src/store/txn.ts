import type { Store } from './open-store.js';

/**
 * The write transaction of a load, shared by every snapshot being written into one database (one
 * writer, several files parsed in parallel). Rows are committed in slices of `commitEvery` so a huge
 * load does not build one giant transaction; a snapshot stays invisible to reports (status
 * `loading`) until the commit that finishes it. A SIGKILL between commits leaves a consistent database
 * (WAL, or a new database's rollback journal) whose `loading` snapshots the next load replaces.
 */
export class Txn {
  private rows = 0;

  constructor(private readonly db: Store, private readonly commitEvery = 250_000) {}

  begin(): void {
    if (!this.db.inTransaction) this.db.exec('BEGIN');
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
