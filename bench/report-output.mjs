// @ts-check
/**
 * Large outputs from the database: what a capacity planner pipes out of a loaded snapshot.
 *
 *   npm run build && node bench/report-output.mjs [--rounds N] [--only mixed] [--top N]
 *
 * Each dump (bench/datasets.mjs) is loaded once into a temporary database (not timed). Then, in
 * interleaved rounds (the order rotates every round), with stdout to /dev/null:
 *   sqlite3    sqlite3 -csv -header <db> 'SELECT * FROM v_keys'   (the SQLite shell: the reference)
 *   sql csv    bin/rdbscope sql --db <db> --format csv 'SELECT * FROM v_keys'
 *   sql json   … --format json
 *   sql table  … (a text table)
 *   bigkeys    bin/rdbscope report bigkeys --db <db> --top N --format csv   (default N = 100000)
 * each under /usr/bin/time -v (wall time from our own clock, user+sys CPU, peak RSS). Prints a
 * markdown table of medians with each wall time as a ratio of sqlite3's in the same round, and the
 * peak RSS against the 150 MB budget; also written to bench/results/report-output-latest.md. Without
 * an `sqlite3` on PATH the ratios are left out and the table says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDump } from './datasets.mjs';
import { frozenCopy } from './lib/frozen-copy.mjs';
import { median, timedRun } from './lib/timed-run.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const RSS_LIMIT_MB = 150;
const QUERY = 'SELECT * FROM v_keys';

/** @param {string} name @param {string} fallback */
function opt(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : (process.argv[i + 1] ?? fallback);
}
const ROUNDS = Number(opt('rounds', '3'));
const ONLY = opt('only', 'mixed').split(',').filter(Boolean);
const TOP = opt('top', '100000');
const log = (/** @type {string} */ l) => process.stderr.write(l + '\n');

const { tmp, bin: RDBSCOPE } = frozenCopy(ROOT, 'rdbscope-bench-output-');
const ENV = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
const SQLITE3 = spawnSync('sh', ['-c', 'command -v sqlite3'], { encoding: 'utf8' }).stdout.trim();

const lines = [
  `# output from the database (${new Date().toISOString().slice(0, 16)}Z)`,
  '',
  `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}; median of ${ROUNDS} interleaved rounds; \`node bench/report-output.mjs --rounds ${ROUNDS}\``,
  '',
  SQLITE3 ? `× sqlite3: wall time over \`sqlite3 -csv -header <db> '${QUERY}'\` in the same round (median of the rounds' ratios).` : 'sqlite3 not found on PATH: no reference, no ratios.',
  '',
  '| dump | rows | tool | wall s | × sqlite3 | CPU s | peak RSS MB (max) | ≤ 150 MB |',
  '|---|---|---|---|---|---|---|---|',
];
for (const name of ONLY) {
  const d = await ensureDump(name);
  const db = path.join(tmp, `${name}.sqlite`);
  const load = spawnSync(RDBSCOPE, ['load', d.file, '--db', db, '--quiet'], { env: ENV, encoding: 'utf8' });
  if (load.status !== 0) throw new Error(`load of ${d.file} failed: ${load.stderr}`);
  /** @type {Record<string, string[]>} */
  const tools = {
    ...(SQLITE3 ? { sqlite3: [SQLITE3, '-csv', '-header', db, QUERY] } : {}),
    'sql csv': [RDBSCOPE, 'sql', '--db', db, '--format', 'csv', QUERY],
    'sql json': [RDBSCOPE, 'sql', '--db', db, '--format', 'json', QUERY],
    'sql table': [RDBSCOPE, 'sql', '--db', db, QUERY],
    [`bigkeys --top ${TOP} csv`]: [RDBSCOPE, 'report', 'bigkeys', '--db', db, '--top', TOP, '--format', 'csv'],
  };
  const names = Object.keys(tools);
  /** @type {Record<string, import('./lib/timed-run.mjs').TimedRun[]>} */
  const runs = Object.fromEntries(names.map((t) => [t, []]));
  /** @type {Record<string, number[]>} */
  const ratios = Object.fromEntries(names.map((t) => [t, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    /** @type {Record<string, number>} */
    const wall = {};
    for (const tool of order) {
      const r = await timedRun(tools[tool], ENV, log);
      runs[tool].push(r);
      wall[tool] = r.wall;
      log(`bench: ${name} round ${round + 1} ${tool}: ${r.wall.toFixed(2)} s, ${r.rssMb.toFixed(0)} MB`);
    }
    if (SQLITE3) for (const tool of names) ratios[tool].push(wall[tool] / wall.sqlite3);
  }
  for (const tool of names) {
    const ok = runs[tool].filter((r) => r.exit === 0);
    const rssMax = Math.max(...ok.map((r) => r.rssMb));
    const ratio = SQLITE3 ? median(ratios[tool]).toFixed(2) : '—';
    const budget = tool === 'sqlite3' ? '—' : rssMax <= RSS_LIMIT_MB ? 'yes' : 'NO';
    lines.push(`| ${name} | ${d.keys} | ${tool} | ${median(ok.map((r) => r.wall)).toFixed(2)} | ${ratio} | ${median(ok.map((r) => r.cpu)).toFixed(2)} | ${median(ok.map((r) => r.rssMb)).toFixed(0)} (${rssMax.toFixed(0)}) | ${budget} |`);
  }
}
rmSync(tmp, { recursive: true, force: true });
const text = lines.join('\n') + '\n';
process.stdout.write(text);
mkdirSync(path.join(HERE, 'results'), { recursive: true });
writeFileSync(path.join(HERE, 'results', 'report-output-latest.md'), text);
