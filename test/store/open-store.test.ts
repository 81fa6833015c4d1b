import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore, StoreError } from '../../src/store/open-store.js';
import { MIGRATIONS, READABLE_SINCE_VERSION, SCHEMA_VERSION } from '../../src/store/schema.js';
import { fakeSource, syntheticKeyspace } from '../support/records.js';
import { dummyFile, tempDir } from '../support/temp.js';
import { loadSnapshot } from '../../src/store/load-snapshot.js';

describe('openStore', () => {
  it('finds a kind by what it is through an index (a load looks each new one up; a scan per lookup made 20 000 dbs take seconds)', () => {
    const db = openStore(join(tempDir(), 'k.sqlite'));
    try {
      // The lookup of Dictionaries.kind (key-inserter.ts).
      const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id FROM key_kinds WHERE db = ? AND type = ? AND rdb_type = ? AND encoding IS ?').all(3, 'hash', 'listpack', null) as { detail: string }[];
      expect(plan.map((p) => p.detail).join('; ')).toMatch(/USING (COVERING )?INDEX key_kinds_by_kind \(db=\? AND type=\? AND rdb_type=\? AND encoding=\?\)/);
    } finally {
      db.close();
    }
  });

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

  it('an older schema opened read-only (reports, sql) is refused with its path and what to run', () => {
    const dir = tempDir();
    const p = join(dir, 'old.sqlite');
    const db = openStore(p);
    db.pragma(`user_version = ${READABLE_SINCE_VERSION - 1}`);
    db.close();
    expect(() => openStore(p, { readonly: true })).toThrow(`${p}: database schema version ${READABLE_SINCE_VERSION - 1} is older than ${SCHEMA_VERSION}; run \`rdbscope load\` once to migrate it`);
  });

  it('a version-9 database (written before the v10 index) is read as it is by a read-only open, and migrated by the next load', async () => {
    // v10 only adds key_kinds_by_kind: dropping it and setting version 9 gives the file a v9 build wrote.
    const dir = tempDir();
    const p = join(dir, 'v9.sqlite');
    const db = openStore(p);
    await loadSnapshot(db, { path: dummyFile(dir, 'a.rdb', 'a'), open: fakeSource(syntheticKeyspace(3)) });
    db.exec('DROP INDEX key_kinds_by_kind');
    db.pragma('user_version = 9');
    const keys = db.prepare('SELECT count(*) FROM v_keys').pluck().get() as number;
    expect(keys).toBeGreaterThan(0);
    db.close();
    const before = readFileSync(p);

    const ro = openStore(p, { readonly: true });
    expect(ro.prepare('SELECT count(*) FROM v_keys').pluck().get()).toBe(keys);
    expect(ro.pragma('user_version', { simple: true })).toBe(9);
    ro.close();
    expect(readFileSync(p).equals(before)).toBe(true);

    const rw = openStore(p);
    expect(rw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(rw.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'key_kinds_by_kind'").pluck().get()).toBe(1);
    rw.close();
  });

  it('a named pipe or a device as the database is refused by name, never opened (a read-only open of a pipe blocks)', () => {
    const dir = tempDir();
    const fifo = join(dir, 'db.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    for (const readonly of [true, false]) {
      expect(() => openStore(fifo, { readonly })).toThrow(`${fifo}: not a regular file (a pipe, socket or device): a database must be a file`);
    }
    expect(() => openStore('/dev/null')).toThrow('/dev/null: not a regular file (a pipe, socket or device): a database must be a file');
  });

  it('a directory as the database is refused by name (SQLite says "disk I/O error" or "unable to open database file")', () => {
    const dir = tempDir();
    for (const readonly of [true, false]) {
      expect(() => openStore(dir, { readonly })).toThrow(`${dir}: a directory, not a database file: give --db a file (e.g. ${join(dir, 'rdbscope.sqlite')})`);
    }
  });

  it('a new database another process creates the schema of while this one waits for the lock is used as it is', async () => {
    // Two `load`s started at once on a new --db: both read schema version 0, one creates the tables;
    // the other, once it has the write lock, must not create them again ("table snapshots already exists").
    const dir = tempDir();
    const p = join(dir, 'race.sqlite');
    const worker = new Worker(
      `
      const { parentPort, workerData } = require('node:worker_threads');
      const Database = require('better-sqlite3');
      const db = new Database(workerData.path);
      db.pragma('journal_mode = WAL');
      db.exec('BEGIN IMMEDIATE');
      parentPort.postMessage('held');
      parentPort.once('message', () => {
        // long enough for the main thread to read the version and block on the write lock
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
        for (const sql of workerData.migrations) db.exec(sql);
        db.pragma('user_version = ' + workerData.version);
        db.exec('COMMIT');
        db.close();
        parentPort.postMessage('done');
      });
      `,
      { eval: true, workerData: { path: p, migrations: MIGRATIONS, version: SCHEMA_VERSION } },
    );
    const messages: string[] = [];
    const next = () => new Promise<string>((resolve) => worker.once('message', resolve));
    messages.push(await next());
    const done = next();
    worker.postMessage('go');
    const db = openStore(p); // blocks (busy timeout) until the worker commits
    messages.push(await done);
    expect(messages).toEqual(['held', 'done']);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT count(*) FROM snapshots').pluck().get()).toBe(0);
    db.close();
    await worker.terminate();
  });

  it('a read-only open of a database whose load was killed mid-commit (hot rollback journal) sees the last commit', async () => {
    const dir = tempDir();
    const p = join(dir, 'new.sqlite');
    const db = openStore(p); // a new database: rollback journal until its first load ends
    const records = syntheticKeyspace(3);
    const first = await loadSnapshot(db, { path: dummyFile(dir, 'a.rdb', 'a'), open: fakeSource(records) });
    db.close();
    // The next transaction is killed with its changes spilled into the file: a hot journal.
    const child = spawnSync(process.execPath, ['-e', `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1]);
      db.pragma('journal_mode = TRUNCATE');
      db.pragma('cache_size = 2');
      db.pragma('foreign_keys = OFF');
      db.exec('BEGIN');
      db.prepare("UPDATE snapshots SET status = 'loading'").run();
      const ins = db.prepare('INSERT INTO aux (snapshot_id, seq, name, value) VALUES (?, ?, ?, ?)');
      for (let i = 0; i < 20000; i++) ins.run(999, i, 'k' + i, 'x'.repeat(200));
      process.kill(process.pid, 'SIGKILL');
    `, p], { cwd: process.cwd() });
    expect(child.signal, child.stderr.toString()).toBe('SIGKILL');
    expect(statSync(p + '-journal').size).toBeGreaterThan(0);

    const ro = openStore(p, { readonly: true });
    expect(ro.prepare('SELECT id, status, key_count FROM snapshots').all()).toEqual([{ id: first.snapshotId, status: 'complete', key_count: records.length }]);
    expect(ro.prepare('SELECT count(*) FROM aux WHERE snapshot_id = 999').pluck().get()).toBe(0);
    expect(ro.pragma('integrity_check', { simple: true })).toBe('ok');
    ro.close();
    expect(existsSync(p + '-journal') ? statSync(p + '-journal').size : 0).toBe(0);
  });
});
