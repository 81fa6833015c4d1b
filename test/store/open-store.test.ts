import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore, StoreError } from '../../src/store/open-store.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { tempDir } from '../support/temp.js';

describe('openStore', () => {
  it('refuses an SQLite database of another program, naming it, and leaves it as it was', () => {
    const dir = tempDir();
    const p = join(dir, 'grafana.db');
    const other = new Database(p);
    other.exec("CREATE TABLE users (id INTEGER, name TEXT); INSERT INTO users VALUES (1, 'a')");
    const journal = other.pragma('journal_mode', { simple: true });
    other.close();

    for (const readonly of [false, true]) {
      let err: unknown;
      try {
        openStore(p, { readonly }).close();
      } catch (e) {
        err = e;
      }
      expect(err, `readonly ${readonly}`).toBeInstanceOf(StoreError);
      expect((err as Error).message).toBe(`${p}: an SQLite database of another program (tables: users), not an rdbscope database; give --db a new file`);
    }
    const after = new Database(p, { readonly: true });
    expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['users']);
    expect(after.pragma('user_version', { simple: true })).toBe(0);
    expect(after.pragma('journal_mode', { simple: true })).toBe(journal);
    after.close();
  });

  it('a database from a newer rdbscope is refused with its path', () => {
    const dir = tempDir();
    const p = join(dir, 't.sqlite');
    const db = openStore(p);
    db.pragma(`user_version = ${SCHEMA_VERSION + 3}`);
    db.close();
    expect(() => openStore(p)).toThrow(`${p}: database schema version ${SCHEMA_VERSION + 3} is newer than this rdbscope (${SCHEMA_VERSION}); upgrade rdbscope`);
  });
});
