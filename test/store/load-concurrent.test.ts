import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { KeyRecord } from '../../src/core/record.js';
import { DEFAULT_MEMORY_SPEC, type MemorySpec } from '../../src/store/memory-spec.js';
import { loadSnapshot, openStore, type LoadInput, type LoadParse, type LoadResult } from '../../src/store/index.js';
import { removeAbandonedLoads } from '../../src/store/snapshots.js';
import { fakeSource, syntheticKeyspace } from '../support/records.js';
import { dummyFile, tempDir } from '../support/temp.js';

// Loads of one process into one database, in flight together as `load --jobs` runs them (one writer,
// the parse of each file interleaved with the others' at every await).

type Source = () => Promise<{ input: LoadInput; parse: LoadParse }>;

/** A deferred: a promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * fakeSource whose parse stops after its first batch until `wait` settles; `onOpen` is told when the
 * file is opened. `crc`: the RDB trailer, which with the length read tells dumps apart by content.
 */
function heldSource(records: KeyRecord[], wait: Promise<void>, onOpen: () => void = () => {}, crc = '0123456789abcdef'): Source {
  const inner = fakeSource(records, { batchSize: 5 });
  return async () => {
    onOpen();
    const src = await inner();
    const batches = src.parse.batches.bind(src.parse);
    return {
      input: src.input,
      parse: {
        info: src.parse.info,
        async *batches() {
          let first = true;
          for await (const b of batches()) {
            yield b;
            if (first) await wait;
            first = false;
          }
          // a whole RDB read: its content (CRC64 + length) is compared with complete snapshots
          src.parse.info.bytesRead = 4242;
          src.parse.info.checksum = { status: 'ok', value: crc };
        },
      },
    };
  };
}

/** fakeSource whose parse waits for `pauses[i]()` after its batch i (whole-RDB content as heldSource). */
function pausedSource(records: KeyRecord[], pauses: (() => Promise<unknown>)[]): Source {
  const inner = fakeSource(records, { batchSize: 5 });
  return async () => {
    const src = await inner();
    const batches = src.parse.batches.bind(src.parse);
    return {
      input: src.input,
      parse: {
        info: src.parse.info,
        async *batches() {
          let i = 0;
          for await (const b of batches()) {
            yield b;
            await pauses[i++]?.();
          }
          src.parse.info.bytesRead = 4242;
          src.parse.info.checksum = { status: 'ok', value: '0123456789abcdef' };
        },
      },
    };
  };
}

async function until(what: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

function setup() {
  const dir = tempDir();
  const db = openStore(join(dir, 't.sqlite'));
  const snapshots = () => db.prepare('SELECT id, file_name, status, key_count FROM snapshots ORDER BY id').all() as { id: number; file_name: string; status: string; key_count: number }[];
  const keysOf = (id: number) => (db.prepare('SELECT count(*) n FROM key_rows WHERE snapshot_id = ?').get(id) as { n: number }).n;
  const allKeys = () => (db.prepare('SELECT count(*) n FROM key_rows').get() as { n: number }).n;
  return { dir, db, snapshots, keysOf, allKeys };
}

describe('concurrent loads into one database', () => {
  it('a copy of a file another load is writing waits for it and is skipped as already loaded; that snapshot stays whole', async () => {
    const { dir, db, snapshots, keysOf, allKeys } = setup();
    const records = syntheticKeyspace(3);
    const a = dummyFile(dir, 'a.rdb', 'one dump');
    const b = dummyFile(dir, 'b.rdb', 'one dump');
    const hold = gate();
    const first = loadSnapshot(db, { path: a, open: heldSource(records, hold.opened) });
    // a.rdb's snapshot is in flight (status loading) when b.rdb starts
    await until(() => snapshots().some((s) => s.status === 'loading'));
    let bOpened = false;
    const second = loadSnapshot(db, { path: b, open: heldSource(records, Promise.resolve(), () => { bOpened = true; hold.open(); }) });
    // b.rdb must not open its file while a.rdb is loading; let a.rdb go on once b.rdb had every chance to
    setTimeout(hold.open, 300);
    const [ra, rb] = await Promise.all([first, second]);
    expect(ra).toMatchObject({ outcome: 'loaded', status: 'complete', keys: records.length });
    expect(rb).toMatchObject({ outcome: 'already-loaded', snapshotId: ra.snapshotId, status: 'complete', keys: records.length });
    expect(rb).not.toHaveProperty('sameContent');
    expect(bOpened).toBe(false);
    expect(snapshots()).toEqual([{ id: ra.snapshotId, file_name: 'a.rdb', status: 'complete', key_count: records.length }]);
    expect(keysOf(ra.snapshotId)).toBe(records.length);
    expect(allKeys()).toBe(records.length);
    db.close();
  });

  it('many copies started at once: one snapshot, every other copy skipped with its id, no rows left of the others', async () => {
    const { dir, db, snapshots, allKeys } = setup();
    const records = syntheticKeyspace(5);
    const paths = Array.from({ length: 6 }, (_, i) => dummyFile(dir, `copy-${i}.rdb`, 'the same bytes'));
    const results = await Promise.all(paths.map((path) => loadSnapshot(db, { path, open: heldSource(records, new Promise((r) => setTimeout(r, 20))) })));
    const loaded = results.filter((r) => r.outcome === 'loaded');
    expect(loaded.length).toBe(1);
    const id = loaded[0]!.snapshotId;
    expect(results.map((r) => r.snapshotId)).toEqual(paths.map(() => id));
    expect(snapshots()).toEqual([{ id, file_name: expect.stringMatching(/^copy-\d\.rdb$/), status: 'complete', key_count: records.length }]);
    expect(allKeys()).toBe(records.length);
    // rows of one snapshot only were ever written: no row ids left free by deleted rows
    expect(db.prepare('SELECT min(rowid) lo, max(rowid) hi FROM key_rows').get()).toEqual({ lo: 1, hi: records.length });
    db.close();
  });

  it('the same RDB content under two fingerprints (a .gz copy) finishing together is stored once', async () => {
    const { dir, db, snapshots, allKeys } = setup();
    const records = syntheticKeyspace(7);
    // With a memory spec that settles the build at the end of the load (spec.replaced), the load has
    // more to do between its content lookup and its status update.
    const spec: MemorySpec = { ...DEFAULT_MEMORY_SPEC, replaced: { profile: 'redis-7.2', keysBytes: 0, allocationGap: 0, source: null } };
    const hold = gate();
    const paths = [dummyFile(dir, 'a.rdb', 'plain'), dummyFile(dir, 'a.rdb.gz', 'gzip'), dummyFile(dir, 'a.rdb.lz4', 'lz4')];
    const loads = paths.map((path) => loadSnapshot(db, { path, open: heldSource(records, hold.opened), memorySpec: spec }));
    await until(() => snapshots().filter((s) => s.status === 'loading').length === paths.length);
    hold.open();
    const results: LoadResult[] = await Promise.all(loads);
    const loaded = results.filter((r) => r.outcome === 'loaded');
    expect(loaded.length).toBe(1);
    const id = loaded[0]!.snapshotId;
    for (const r of results) if (r.outcome === 'already-loaded') expect(r).toMatchObject({ snapshotId: id, sameContent: true, status: 'complete' });
    expect(snapshots().map((s) => [s.id, s.status])).toEqual([[id, 'complete']]);
    expect(allKeys()).toBe(records.length);
    db.close();
  });

  it('a snapshot left loading by a killed process is still replaced while another load is in flight', async () => {
    const { dir, db, snapshots, keysOf } = setup();
    const records = syntheticKeyspace(2);
    const killed = dummyFile(dir, 'killed.rdb', 'killed');
    await loadSnapshot(db, { path: killed, open: fakeSource(records) });
    db.prepare(`UPDATE snapshots SET status = 'loading'`).run();
    const hold = gate();
    const other = loadSnapshot(db, { path: dummyFile(dir, 'other.rdb', 'other'), open: heldSource(syntheticKeyspace(9), hold.opened, undefined, 'fedcba9876543210') });
    await until(() => snapshots().length === 2);
    const again = loadSnapshot(db, { path: killed, open: heldSource(records, Promise.resolve()) });
    setTimeout(hold.open, 50);
    const [ro, rk] = await Promise.all([other, again]);
    expect(rk).toMatchObject({ outcome: 'loaded', status: 'complete' });
    expect(ro).toMatchObject({ outcome: 'loaded', status: 'complete' });
    expect(snapshots().map((s) => [s.id, s.file_name, s.status]).sort()).toEqual(
      [[ro.snapshotId, 'other.rdb', 'complete'], [rk.snapshotId, 'killed.rdb', 'complete']].sort(),
    );
    expect(keysOf(rk.snapshotId)).toBe(records.length);
    db.close();
  });
});

// Loads of two processes into one database (two connections here; this process's own loads are
// told apart by their load token, other processes' by pid and process start time).
describe('loads of the same file from two processes', () => {
  it('the second waits for the first one\'s snapshot instead of deleting it as left by a killed load', async () => {
    const { dir, db, snapshots, keysOf, allKeys } = setup();
    const other = openStore(join(dir, 't.sqlite'));
    const records = syntheticKeyspace(11);
    const path = dummyFile(dir, 'dump.rdb', 'one dump');
    const hold = gate();
    // commitEvery 1: the first load's snapshot and its first rows are committed, visible to the other
    // process; its parse pauses past the 250 ms after which rows read so far are written.
    const first = loadSnapshot(db, { path, open: pausedSource(records, [() => new Promise((r) => setTimeout(r, 300)), () => hold.opened]), commitEvery: 1 });
    await until(() => (other.prepare("SELECT count(*) FROM snapshots WHERE status = 'loading' AND first_row IS NOT NULL").pluck().get() as number) === 1);
    let secondOpened = false;
    const waits: string[] = [];
    const second = loadSnapshot(other, { path, open: heldSource(records, Promise.resolve(), () => (secondOpened = true)), commitEvery: 1, onWait: (w) => waits.push(w) });
    setTimeout(hold.open, 500);
    const [r1, r2] = await Promise.all([first, second]);
    expect(r1).toMatchObject({ outcome: 'loaded', status: 'complete', keys: records.length });
    expect(r2).toMatchObject({ outcome: 'already-loaded', snapshotId: r1.snapshotId, status: 'complete', keys: records.length });
    expect(secondOpened).toBe(false);
    // said once, naming the process it waits for
    expect(waits).toEqual([`pid ${process.pid} on host ${hostname()}, process start ${waits[0]!.split('process start ')[1]}`]);
    expect(waits[0]).toMatch(/, process start (\d+|-)$/);
    expect(snapshots()).toEqual([{ id: r1.snapshotId, file_name: 'dump.rdb', status: 'complete', key_count: records.length }]);
    expect(keysOf(r1.snapshotId)).toBe(records.length);
    expect(allKeys()).toBe(records.length);
    expect(db.prepare('SELECT error FROM snapshots').pluck().get()).toBeNull();
    other.close();
    db.close();
  });

  it('a snapshot marked by a process that is gone is replaced', async () => {
    const { dir, db, snapshots, keysOf } = setup();
    const records = syntheticKeyspace(13);
    const path = dummyFile(dir, 'dump.rdb', 'one dump');
    await loadSnapshot(db, { path, open: fakeSource(records) });
    // a pid no process has (above Linux's pid_max), and this process's pid with a load token no load of it holds
    for (const mark of [`loading: pid 99999999 on host ${hostname()}, process start -, load 0123456789abcdef`,
                        `loading: pid ${process.pid} on host ${hostname()}, process start -, load 0123456789abcdef`]) {
      db.prepare(`UPDATE snapshots SET status = 'loading', error = ?`).run(mark);
      const again = await loadSnapshot(db, { path, open: fakeSource(records) });
      expect(again).toMatchObject({ outcome: 'loaded', status: 'complete' });
      expect(snapshots()).toEqual([{ id: again.snapshotId, file_name: 'dump.rdb', status: 'complete', key_count: records.length }]);
      expect(keysOf(again.snapshotId)).toBe(records.length);
    }
    db.close();
  });
});

describe('snapshots left by interrupted loads of other files', () => {
  it('a load removes every loading snapshot whose process is gone, with its rows, and keeps a live process\'s', async () => {
    const { dir, db, snapshots, allKeys } = setup();
    const keep = syntheticKeyspace(3);
    const kept = await loadSnapshot(db, { path: dummyFile(dir, 'kept.rdb', 'kept'), open: fakeSource(keep) });
    const dead = await loadSnapshot(db, { path: dummyFile(dir, 'dead.rdb', 'dead'), open: fakeSource(syntheticKeyspace(5)) });
    const liveKeys = syntheticKeyspace(7);
    const live = await loadSnapshot(db, { path: dummyFile(dir, 'live.rdb', 'live'), open: fakeSource(liveKeys) });
    // a process that is running: its pid and start time (field 22 of /proc/<pid>/stat where there is one)
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    onTestFinished(() => void sleeper.kill('SIGKILL'));
    let start = '-';
    try {
      const stat = readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8');
      start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
    } catch {
      // no /proc: the pid alone is checked
    }
    const mark = (pid: number, st: string) => `loading: pid ${pid} on host ${hostname()}, process start ${st}, load 00ff00ff00ff00ff`;
    const setLoading = db.prepare("UPDATE snapshots SET status = 'loading', last_row = NULL, error = ? WHERE id = ?");
    setLoading.run(mark(99999999, '-'), dead.snapshotId);
    setLoading.run(mark(sleeper.pid!, start), live.snapshotId);

    // a load of another host (a container sharing the file) or of an older rdbscope (no mark): cannot be told, kept
    const otherKeys = syntheticKeyspace(9);
    const other = await loadSnapshot(db, { path: dummyFile(dir, 'other-host.rdb', 'other'), open: fakeSource(otherKeys) });
    setLoading.run(`loading: pid 99999999 on host not-${hostname()}, process start -, load 0123456789abcdef`, other.snapshotId);
    const oldKeys = syntheticKeyspace(10);
    const old = await loadSnapshot(db, { path: dummyFile(dir, 'old.rdb', 'old'), open: fakeSource(oldKeys) });
    setLoading.run(null, old.snapshotId);

    expect(removeAbandonedLoads(db)).toEqual(['dead.rdb']);
    expect(snapshots().map((s) => [s.file_name, s.status])).toEqual([['kept.rdb', 'complete'], ['live.rdb', 'loading'], ['other-host.rdb', 'loading'], ['old.rdb', 'loading']]);
    expect(allKeys()).toBe(keep.length + liveKeys.length + otherKeys.length + oldKeys.length);
    db.prepare('DELETE FROM key_rows WHERE snapshot_id IN (?, ?)').run(other.snapshotId, old.snapshotId);
    db.prepare('DELETE FROM snapshots WHERE id IN (?, ?)').run(other.snapshotId, old.snapshotId);
    // the same pid with another start time is another process (the pid was reused): gone
    if (start !== '-') {
      setLoading.run(mark(sleeper.pid!, String(Number(start) + 1)), live.snapshotId);
      expect(removeAbandonedLoads(db)).toEqual(['live.rdb']);
      expect(allKeys()).toBe(keep.length);
    }
    expect(snapshots().map((s) => s.id)).toContain(kept.snapshotId);
    db.close();
  });
});
