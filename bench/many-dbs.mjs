// @ts-check
/**
 * What a dump with keys in many databases costs: files that select a new database before each key
 * (`SELECTDB i`, one string key), the shape a fuzzer found to grow a load's per-database figures.
 * Each file is timed under `info` and `load` (into a new database), as bin/rdbscope runs them:
 *
 *   npm run build && node bench/many-dbs.mjs [--dbs 1000,5000,16384,16385] [--rounds 3]
 *
 * Prints the median wall time, CPU time and peak RSS of each, and the exit code: 1 past
 * MAX_DBS_WITH_KEYS (src/rdb/parser.ts), where the parse stops with TOO_MANY_DBS and the keys before
 * are kept. The files are written by this script (RDB 11, CRC64 trailer), in a temp directory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc64Hex } from '../dist/rdb/crc64.js';
import { median, timedRun } from './lib/timed-run.mjs';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const arg = (/** @type {string} */ name, /** @type {string} */ fallback) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : process.argv[at + 1] ?? fallback;
};
const DBS = arg('--dbs', '1000,5000,16384,16385').split(',').map(Number);
const ROUNDS = Number(arg('--rounds', '3'));

/** An RDB length (rdb-format.md §2.1): 6-bit, 14-bit or 32-bit big-endian form. */
function length(/** @type {number} */ n) {
  if (n < 64) return [n];
  if (n < 16384) return [0x40 | (n >> 8), n & 0xff];
  return [0x80, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

/** `REDIS0011`, then per db: SELECTDB i and the string key `k` = `v`; EOF and the CRC64. */
function dumpWith(/** @type {number} */ dbs) {
  const bytes = [...Buffer.from('REDIS0011')];
  for (let db = 0; db < dbs; db++) bytes.push(0xfe, ...length(db), 0x00, 1, 0x6b, 1, 0x76);
  bytes.push(0xff);
  const body = Uint8Array.from(bytes);
  // crc64Hex writes the value most significant byte first; the trailer holds it little-endian (§1.4).
  return Buffer.concat([body, Buffer.from(crc64Hex(body), 'hex').reverse()]);
}

const tmp = mkdtempSync(path.join(tmpdir(), 'rdbscope-many-dbs-'));
const cli = path.join(ROOT, 'bin', 'rdbscope');
try {
  console.log('| dbs with keys | file | command | wall s | CPU s | peak RSS MB | exit |');
  console.log('|---|---|---|---|---|---|---|');
  for (const dbs of DBS) {
    const file = path.join(tmp, `dbs-${dbs}.rdb`);
    const dump = dumpWith(dbs);
    writeFileSync(file, dump);
    for (const command of ['info', 'load']) {
      const runs = [];
      for (let r = 0; r < ROUNDS; r++) {
        const db = path.join(tmp, `r${r}.sqlite`);
        for (const f of [db, `${db}-journal`, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
        const argv = command === 'info' ? [cli, 'info', file] : [cli, 'load', file, '--db', db, '--quiet'];
        runs.push(await timedRun(argv, process.env, () => undefined));
      }
      const m = (/** @type {(r: import('./lib/timed-run.mjs').TimedRun) => number} */ f) => median(runs.map(f));
      console.log(`| ${dbs} | ${(dump.length / 1024).toFixed(0)} KB | ${command} | ${m((r) => r.wall).toFixed(2)} | ${m((r) => r.cpu).toFixed(2)} | ${m((r) => r.rssMb).toFixed(0)} | ${runs[0].exit} |`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
