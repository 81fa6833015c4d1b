import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CLI_MAIN, cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

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
