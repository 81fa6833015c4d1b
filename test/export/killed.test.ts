import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_MAIN, cliBuilt, runCli } from '../support/cli.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { tempDir } from '../support/temp.js';
import { Duck } from './duck.js';

const KEYS = 400_000;

function dump(path: string, keys: number, ctimeS: number): void {
  const w = new RdbWriter({ version: 10 });
  w.aux('redis-ver', '7.0.15').aux('ctime', String(ctimeS)).selectDb(0).resizeDb(keys, 0);
  for (let i = 0; i < keys; i++) w.key(TYPE.STRING, `k:${i}:${'p'.repeat(i % 7)}`).string(`v${i}`);
  writeFileSync(path, w.finish());
}

/** Every file under `dir`, with its size and mtime. */
function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(p.slice(dir.length + 1), `${statSync(p).size} ${statSync(p).mtimeMs} ${statSync(p).ino}`);
    }
  };
  walk(dir);
  return out;
}

describe.skipIf(!cliBuilt)('an export killed midway (SIGKILL)', () => {
  it('leaves no Parquet file in its partition; a re-run completes it and replaces only its own partition', async () => {
    const dir = tempDir();
    const out = join(dir, 'exports');
    dump(join(dir, 'small.rdb'), 10, Date.UTC(2026, 10, 1) / 1000);
    dump(join(dir, 'big.rdb'), KEYS, Date.UTC(2026, 10, 2) / 1000);
    expect(runCli(['export', 'small.rdb', '--out', out, '--instance', 'other'], dir).code).toBe(0);
    const otherBefore = files(out);

    const child = spawn(process.execPath, [CLI_MAIN, 'export', 'big.rdb', '--out', out, '--instance', 'big', '--quiet'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Kill once the export has written row groups (a new file under the export directory, wherever
    // it is, holds more than 64 KiB).
    const deadline = Date.now() + 60_000;
    let killed = false;
    while (Date.now() < deadline && child.exitCode === null && !killed) {
      await new Promise((r) => setTimeout(r, 10));
      const grown = [...files(out).keys()].some((p) => !otherBefore.has(p) && statSync(join(out, p)).size > 64 * 1024);
      if (grown) {
        child.kill('SIGKILL');
        killed = true;
      }
    }
    await exited;
    expect(killed, 'the export finished before it could be killed; make the dump bigger').toBe(true);

    // Nothing under the partition, nothing any reader takes for a Parquet file.
    expect(existsSync(join(out, 'instance=big', 'date=2026-11-02', 'keys.parquet'))).toBe(false);
    const left = [...files(out).keys()];
    expect(left.filter((p) => p.endsWith('.parquet')).sort()).toEqual([...otherBefore.keys()].sort());
    expect(left.filter((p) => !otherBefore.has(p)).every((p) => /^\.rdbscope-[0-9a-f]+-[0-9a-z]+-keys\.parquet\.tmp$/.test(p))).toBe(true);

    // The re-run completes (and takes its temporary file away); the other partition is untouched.
    const again = runCli(['export', 'big.rdb', '--out', out, '--instance', 'big'], dir);
    expect(again.code).toBe(0);
    const after = files(out);
    expect([...after.keys()].filter((p) => p.startsWith('.'))).toEqual([]);
    for (const [p, stat] of otherBefore) expect(after.get(p), p).toBe(stat);
    const duck = await Duck.open();
    try {
      expect(await duck.all(`SELECT count(*) AS n FROM '${out}/instance=big/date=2026-11-02/keys.parquet'`)).toEqual([{ n: KEYS }]);
    } finally {
      duck.close();
    }

    // Re-running the other job replaces its own partition's files and leaves this one alone.
    const bigFiles = new Map([...after].filter(([p]) => p.startsWith('instance=big')));
    expect(runCli(['export', 'small.rdb', '--out', out, '--instance', 'other'], dir).code).toBe(0);
    const last = files(out);
    for (const [p, stat] of bigFiles) expect(last.get(p), p).toBe(stat);
    for (const [p, stat] of otherBefore) expect(last.get(p), p).not.toBe(stat);
  }, 180_000);
});
