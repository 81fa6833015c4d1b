// @ts-check
/**
 * What `analyze` costs beyond the load, and what each report costs, on a 1 M-key snapshot:
 *
 *   npm run build && node bench/analyze.mjs [--rounds N] [--dump mixed]
 *
 * Per round (the order of the two commands rotates): `bin/rdbscope load <dump> --db <fresh>` and
 * `bin/rdbscope analyze <dump> --db <another fresh>`, both with --quiet, each under /usr/bin/time -v;
 * then every report once against the loaded database (`report <name> --db`, output to /dev/null).
 * analyze − load in the same round is the reports' share of analyze (the target: at most 1 s).
 * Prints a markdown table of medians and writes it to bench/results/analyze.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDump } from './datasets.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const RDBSCOPE = path.join(ROOT, 'bin', 'rdbscope');
const TIME = '/usr/bin/time';

/** @param {string} name @param {string} fallback */
function opt(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : /** @type {string} */ (process.argv[i + 1]);
}
const ROUNDS = Number(opt('rounds', '3'));
const DUMP = opt('dump', 'mixed');
const REPORTS = [
  ['diagnosis', []], ['summary', []], ['patterns', []], ['bigkeys', []], ['eviction', []],
  ['capacity', ['--maxmemory', '1gb', '--ram', '2gb']], ['forecast', []], ['untimed', []], ['ttl', []],
];
/** The launcher execs `node` from PATH: make it the node running this script. */
const ENV = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };

/**
 * Runs a command under GNU time: wall seconds (own clock), CPU seconds and peak RSS MB.
 * @param {string[]} argv
 */
function timed(argv) {
  const started = process.hrtime.bigint();
  const r = spawnSync(TIME, ['-v', ...argv], { encoding: 'utf8', env: ENV, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const num = (/** @type {RegExp} */ re) => Number(re.exec(r.stderr)?.[1] ?? NaN);
  return { wall, cpu: num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/), rssMb: num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024 };
}

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;

const dump = await ensureDump(DUMP);
process.stderr.write(`bench/analyze: ${dump.file} (${dump.keys} keys), ${ROUNDS} round(s)\n`);
/** @type {Record<string, { wall: number[], cpu: number[], rss: number[] }>} */
const runs = {};
const record = (/** @type {string} */ name, /** @type {{ wall: number, cpu: number, rssMb: number }} */ t) => {
  const r = (runs[name] ??= { wall: [], cpu: [], rss: [] });
  r.wall.push(t.wall);
  r.cpu.push(t.cpu);
  r.rss.push(t.rssMb);
};
/** @type {number[]} */
const beyond = [];
for (let round = 0; round < ROUNDS; round++) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdbscope-bench-analyze-'));
  try {
    const loadDb = path.join(dir, 'load.sqlite');
    const analyzeDb = path.join(dir, 'analyze.sqlite');
    const load = () => timed([RDBSCOPE, 'load', dump.file, '--db', loadDb, '--quiet']);
    const analyze = () => timed([RDBSCOPE, 'analyze', dump.file, '--db', analyzeDb, '--quiet']);
    const [first, second] = round % 2 === 0 ? [load, analyze] : [analyze, load];
    const a = first();
    const b = second();
    const [l, an] = round % 2 === 0 ? [a, b] : [b, a];
    record('load', l);
    record('analyze', an);
    beyond.push(an.wall - l.wall);
    for (const [name, args] of REPORTS) record(`report ${name}`, timed([RDBSCOPE, 'report', /** @type {string} */ (name), '--db', loadDb, .../** @type {string[]} */ (args)]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
const lines = [
  `# analyze and the reports on ${DUMP} (${dump.keys} keys), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit}`,
  '',
  `Reproduce: \`npm run build && node bench/analyze.mjs --rounds ${ROUNDS} --dump ${DUMP}\`. Medians of ${ROUNDS} round(s); each report is \`bin/rdbscope report <name> --db <the loaded database>\` (node start-up included).`,
  '',
  `**analyze − load, same round: ${median(beyond).toFixed(2)} s** (target ≤ 1 s; rounds: ${beyond.map((x) => x.toFixed(2)).join(', ')})`,
  '',
  '| command | wall s | CPU s | peak RSS MB |',
  '|---|---:|---:|---:|',
  ...Object.entries(runs).map(([name, r]) => `| ${name} | ${median(r.wall).toFixed(2)} | ${median(r.cpu).toFixed(2)} | ${median(r.rss).toFixed(0)} |`),
  '',
];
const text = lines.join('\n');
process.stdout.write(text);
mkdirSync(path.join(HERE, 'results'), { recursive: true });
writeFileSync(path.join(HERE, 'results', 'analyze.md'), text);
