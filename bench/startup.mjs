// @ts-check
/**
 * What bundling the CLI saves at start-up (scripts/bundle.mjs): each command line run by node on the
 * bundle (dist/bundle/main.js, what bin/rdbscope runs) and on the unbundled modules tsc wrote
 * (dist/cli/main.js), interleaved, on small committed fixtures so that start-up is most of the time:
 *
 *   npm run build && node bench/startup.mjs [--rounds N]
 *
 * Both run without the launcher's V8 flags (the same for both). Prints the median wall and CPU
 * (user+sys, all threads) time of each and their ratio, and writes the table to
 * bench/results/startup.md.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { frozenCopy } from './lib/frozen-copy.mjs';
import { median, timedRun } from './lib/timed-run.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const roundsAt = process.argv.indexOf('--rounds');
const ROUNDS = roundsAt < 0 ? 15 : Number(process.argv[roundsAt + 1]);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('--rounds must be a positive integer');

// A frozen copy: others may rebuild dist/ while this runs.
const { tmp, root } = frozenCopy(ROOT, 'rdbscope-startup-');
const fixture = (/** @type {string} */ name) => path.join(ROOT, 'fixtures', name);
const db = path.join(tmp, 'startup.sqlite');
const dbFiles = [db, `${db}-wal`, `${db}-shm`, `${db}-journal`];

/** @type {{ label: string, args: string[], fresh?: boolean }[]} */
const lines = [
  { label: '--version', args: ['--version'] },
  { label: '--help (every command loaded)', args: ['--help'] },
  { label: 'info <122 KB dump>', args: ['info', fixture('mixed-7.0.rdb')] },
  { label: 'keys <122 KB dump>', args: ['keys', fixture('mixed-7.0.rdb')] },
  { label: 'load <122 KB dump> (new database)', args: ['load', fixture('mixed-7.0.rdb'), '--db', db, '--quiet'], fresh: true },
  { label: 'report summary (that database)', args: ['report', 'summary', '--db', db] },
];
const variants = [
  { name: 'bundled', main: path.join(root, 'dist', 'bundle', 'main.js') },
  { name: 'unbundled', main: path.join(root, 'dist', 'cli', 'main.js') },
];

/** @type {Map<string, { wall: number[], cpu: number[] }>} */
const runs = new Map();
const fail = (/** @type {string} */ l) => process.stderr.write(l + '\n');
for (let round = 0; round < ROUNDS; round++) {
  for (const line of lines) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const v of order) {
      if (line.fresh) for (const f of dbFiles) rmSync(f, { force: true });
      const r = await timedRun([process.execPath, v.main, ...line.args], process.env, fail);
      if (r.exit !== 0) throw new Error(`${v.name} ${line.label} exited with ${r.exit}`);
      const key = `${line.label}\0${v.name}`;
      const acc = runs.get(key) ?? { wall: [], cpu: [] };
      acc.wall.push(r.wall);
      acc.cpu.push(r.cpu);
      runs.set(key, acc);
    }
  }
  process.stderr.write(`round ${round + 1}/${ROUNDS}\n`);
}
rmSync(tmp, { recursive: true, force: true });

const ms = (/** @type {number} */ s) => `${Math.round(s * 1000)}`;
const out = [
  `Start-up, bundled (bin/rdbscope) against unbundled, ${ROUNDS} interleaved rounds, medians, node ${process.version}: \`node bench/startup.mjs --rounds ${ROUNDS}\``,
  '',
  '| command | bundled wall ms | unbundled wall ms | wall ratio | bundled CPU ms | unbundled CPU ms | CPU ratio |',
  '|---|---|---|---|---|---|---|',
];
for (const line of lines) {
  const b = /** @type {{ wall: number[], cpu: number[] }} */ (runs.get(`${line.label}\0bundled`));
  const u = /** @type {{ wall: number[], cpu: number[] }} */ (runs.get(`${line.label}\0unbundled`));
  const [bw, uw, bc, uc] = [median(b.wall), median(u.wall), median(b.cpu), median(u.cpu)];
  out.push(`| ${line.label} | ${ms(bw)} | ${ms(uw)} | ${(bw / uw).toFixed(2)} | ${ms(bc)} | ${ms(uc)} | ${(bc / uc).toFixed(2)} |`);
}
const table = out.join('\n') + '\n';
process.stdout.write(table);
mkdirSync(path.join(HERE, 'results'), { recursive: true });
writeFileSync(path.join(HERE, 'results', 'startup.md'), table);
