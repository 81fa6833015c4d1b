// @ts-check
/**
 * Export vs load on the bench dumps (issue 18):
 *
 *   npm run build && node bench/export.mjs [--rounds N] [--only mixed,small]
 *
 * For each dump (bench/datasets.mjs: mixed = 1 M cache-shaped keys, small = 5 M tiny strings) it runs,
 * interleaved (the order alternates every round) and repeated:
 *   load    bin/rdbscope load <dump> --db <tmp> --quiet
 *   export  bin/rdbscope export <dump> --format parquet --out <tmp> --quiet
 * each under /usr/bin/time -v (user+sys CPU, peak RSS; wall time from our own clock), the launcher run
 * as a user runs it. Prints a markdown table of medians with export's wall time as a ratio of load's in
 * the same round, the peak RSS against the 150 MB budget, and the size of keys.parquet; also written to
 * bench/results/export-latest.md.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDump } from './datasets.mjs';
import { frozenCopy } from './lib/frozen-copy.mjs';
import { median, timedRun } from './lib/timed-run.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const RSS_LIMIT_MB = 150;

/** @param {string} name @param {string} fallback */
function opt(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : (process.argv[i + 1] ?? fallback);
}
const ROUNDS = Number(opt('rounds', '3'));
const ONLY = opt('only', 'mixed,small').split(',').filter(Boolean);
const log = (/** @type {string} */ l) => process.stderr.write(l + '\n');

// A frozen copy of bin/ + dist/ (others may rebuild dist/ while this runs).
const { tmp, root: SNAP, bin: RDBSCOPE } = frozenCopy(ROOT, 'rdbscope-bench-export-');
const ENV = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
const sqlite = path.join(tmp, 'load.sqlite');
const outDir = path.join(tmp, 'exports');
const clean = () => {
  for (const f of [sqlite, `${sqlite}-wal`, `${sqlite}-shm`]) rmSync(f, { force: true });
  rmSync(outDir, { recursive: true, force: true });
};

/** @param {string[]} argv */
function run(argv) {
  clean();
  return timedRun(argv, ENV, log);
}

/** keys.parquet bytes of the last export. */
function keysParquetBytes() {
  let total = 0;
  const walk = (/** @type {string} */ d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'keys.parquet') total += statSync(p).size;
    }
  };
  walk(outDir);
  return total;
}

const lines = [
  `# export vs load (${new Date().toISOString().slice(0, 16)}Z)`,
  '',
  `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}; median of ${ROUNDS} interleaved rounds; \`node bench/export.mjs --rounds ${ROUNDS}\``,
  '',
  '| dump | keys | tool | wall s | × load | CPU s | peak RSS MB (max) | ≤ 150 MB | keys.parquet MB |',
  '|---|---|---|---|---|---|---|---|---|',
];
for (const name of ONLY) {
  const d = await ensureDump(name);
  const tools = {
    load: [RDBSCOPE, 'load', d.file, '--db', sqlite, '--quiet'],
    export: [RDBSCOPE, 'export', d.file, '--format', 'parquet', '--out', outDir, '--quiet'],
  };
  /** @type {Record<string, { wall: number, cpu: number, rssMb: number, exit: number }[]>} */
  const runs = { load: [], export: [] };
  const ratios = [];
  let parquetBytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? ['export', 'load'] : ['load', 'export'];
    /** @type {Record<string, number>} */
    const wall = {};
    for (const tool of order) {
      const r = await run(tools[/** @type {'load' | 'export'} */ (tool)]);
      if (tool === 'export' && r.exit === 0) parquetBytes = keysParquetBytes();
      runs[tool].push(r);
      wall[tool] = r.wall;
      log(`bench: ${name} round ${round + 1} ${tool}: ${r.wall.toFixed(2)} s, ${r.rssMb.toFixed(0)} MB`);
    }
    ratios.push(wall.export / wall.load);
  }
  for (const tool of ['load', 'export']) {
    const ok = runs[tool].filter((r) => r.exit === 0);
    const rssMax = Math.max(...ok.map((r) => r.rssMb));
    lines.push(`| ${name} | ${d.keys} | ${tool} | ${median(ok.map((r) => r.wall)).toFixed(2)} | ${tool === 'load' ? '1.00' : median(ratios).toFixed(2)} | ${median(ok.map((r) => r.cpu)).toFixed(2)} | ${median(ok.map((r) => r.rssMb)).toFixed(0)} (${rssMax.toFixed(0)}) | ${rssMax <= RSS_LIMIT_MB ? 'yes' : 'NO'} | ${tool === 'export' ? (parquetBytes / 1e6).toFixed(1) : '—'} |`);
  }
}
clean();
rmSync(tmp, { recursive: true, force: true });
const text = lines.join('\n') + '\n';
process.stdout.write(text);
mkdirSync(path.join(HERE, 'results'), { recursive: true });
writeFileSync(path.join(HERE, 'results', 'export-latest.md'), text);
