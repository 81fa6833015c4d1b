import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CLI_MAIN, cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';

const FIXTURE = join(FIXTURES_DIR, 'growth-a.rdb');

/**
 * A load of a dump that is still being written (copied into place while the nightly load runs): the
 * file changes between its fingerprint and the end of its read. Made deterministic by the wait a load
 * does after fingerprinting a file whose snapshot another live process is loading: the test holds
 * that wait with a `loading` row marked by a live `sleep`, writes the rest of the dump, then ends it.
 */
async function loadWhileWritten(dir: string, dump: string, db: string, rest: Uint8Array): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  const rw = new Database(db);
  rw.prepare("UPDATE snapshots SET status = 'loading', error = ?").run(`loading: pid ${sleeper.pid} on host ${hostname()}, process start -, load 0123456789abcdef`);
  rw.close();
  const child = spawn(process.execPath, [CLI_MAIN, 'load', dump, '--db', db], { cwd: dir, env: { ...process.env, RDBSCOPE_DEBUG: '' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('waiting for the load of this file by another process')) resolve();
    });
    child.on('exit', () => resolve());
  });
  appendFileSync(dump, rest);
  sleeper.kill();
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  return { code, stdout, stderr };
}

describe.skipIf(!cliBuilt || !existsSync(FIXTURE))('load of a dump that grows while it is read', () => {
  it('a whole read stores the fingerprint of the file as read (it kept the cut file\'s: every later load read the whole dump again)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'shard-1'));
    const dump = join(dir, 'shard-1', 'dump.rdb');
    const bytes = readFileSync(FIXTURE);
    const cut = Math.floor(bytes.length / 2);
    writeFileSync(dump, bytes.subarray(0, cut));
    const db = join(dir, 'fleet.sqlite');
    expect(runCli(['load', dump, '--db', db, '--quiet'], dir).code).toBe(1);

    const r = await loadWhileWritten(dir, dump, db, bytes.subarray(cut));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const id = /: loaded as snapshot (\d+): 666 keys/.exec(r.stdout)?.[1];
    expect(id, r.stdout).toBeDefined();
    const ro = new Database(db, { readonly: true });
    expect(ro.prepare('SELECT status, file_bytes FROM snapshots').all()).toEqual([{ status: 'complete', file_bytes: bytes.length }]);
    ro.close();
    // The next night's run knows the file by its fingerprint: nothing read, nothing new.
    expect(runCli(['load', dump, '--db', db], dir)).toEqual({ code: 0, stdout: `${dump}: already loaded as snapshot ${id} (666 keys, complete); nothing to do\n`, stderr: '' });
  });

  it('a read cut short by the writer says that the file changed while it was read', async () => {
    const dir = tempDir();
    const dump = join(dir, 'dump.rdb');
    const bytes = readFileSync(FIXTURE);
    writeFileSync(dump, bytes.subarray(0, 3000));
    const db = join(dir, 'fleet.sqlite');
    expect(runCli(['load', dump, '--db', db, '--quiet'], dir).code).toBe(1);
    const r = await loadWhileWritten(dir, dump, db, bytes.subarray(3000, 6000));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^rdbscope: .*dump\.rdb: .*\[UNEXPECTED_EOF\]; the file changed while it was read \(still being written\?\): load it again once it is whole\n$/);
  });
});

/** Whether process `pid` (any of its threads) holds `path` open, by its /proc/<pid>/fd links. */
function holdsOpen(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

describe.skipIf(!cliBuilt || !existsSync(FIXTURE) || !existsSync('/proc/self/fd'))('load of a dump replaced by rename while it is read', () => {
  it('keeps the fingerprint of the file read, so the next run loads the new dump (not "already loaded")', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'shard-1'));
    const dump = join(dir, 'shard-1', 'dump.rdb');
    // A dump whose read takes a while: 400 000 keys of 100 bytes (~45 MB).
    const w = new RdbWriter({ version: 10 }).selectDb(0);
    for (let i = 0; i < 400_000; i++) w.key(TYPE.STRING, `k:${i}`).string('v'.repeat(100));
    writeFileSync(dump, w.finish());
    const next = join(dir, 'next.rdb');
    copyFileSync(FIXTURE, next);
    const db = join(dir, 'fleet.sqlite');
    const child = spawn(process.execPath, [CLI_MAIN, 'load', dump, '--db', db, '--quiet'], { cwd: dir, stdio: 'ignore', env: { ...process.env, RDBSCOPE_DEBUG: '' } });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    // The parse has the file open (the fingerprint's open lasts a few ms; this one, the whole read).
    let seen = 0;
    for (let i = 0; i < 400 && seen < 3; i++) {
      seen = holdsOpen(child.pid!, dump) ? seen + 1 : 0;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen).toBe(3);
    renameSync(next, dump); // the server's save of the next dump
    expect(await exited).toBe(0);
    const r = runCli(['load', dump, '--db', db], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: loaded as snapshot \d+: 666 keys/);
  });
});
