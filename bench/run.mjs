// @ts-check
/**
 * The benchmark of issues 5 and 16: `npm run bench` (builds, then runs this).
 *
 *   node bench/run.mjs [--rounds N] [--only mixed,mixed.gz,mixed.lz4,huge,small,small-ttl,blobs,shards]
 *                      [--tools check,parse,info,keys,load,peer]
 *
 * For each dump (made by bench/datasets.mjs, cached in bench/.cache/) it runs, interleaved (the order
 * rotates every round) and repeated:
 *   check  redis-check-rdb <dump>                        (the bar: C, full structural parse + CRC)
 *   parse  node bench/parse-only.mjs <dump>              (every key decoded into a record, CRC on, nothing stored)
 *   info   bin/rdbscope info <dump>                      (the same parse, as the user's command)
 *   keys   bin/rdbscope keys --format csv|jsonl|rdbtools-csv <dump> > /dev/null   (the streaming export)
 *   load   bin/rdbscope load <dump> --db <tmp> --quiet   (records into SQLite, commit); on the mixed
 *          dump also with --server <the profile that load stores>, which reads it once
 *   peer   $RDBSCOPE_BENCH_HDT3213 -c memory -o /dev/null <dump>   (HDT3213/rdb's per-key memory CSV, Go;
 *          only when that variable names its binary: the bench never builds it)
 * every rdbscope command through the launcher as a user runs it (its V8 flags, this node first on
 * PATH), each under /usr/bin/time -v (user+sys CPU, peak RSS; wall time from our own clock), and
 * prints one markdown table of medians with each wall time as a ratio of redis-check-rdb's in the
 * same round (the median of the per-round ratios), and for `keys` also of parse-only's. The .gz /
 * .lz4 rows are compared with redis-check-rdb on the plain dump (it cannot read compressed files).
 * The table goes to bench/results/latest.md, raw runs to bench/results/latest.json.
 */
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDump } from './datasets.mjs';
import { frozenCopy } from './lib/frozen-copy.mjs';
import { bundle } from '../scripts/bundle.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(HERE);
const TIME = '/usr/bin/time';
const CHECK = process.env.REDIS_CHECK_RDB ?? '/usr/bin/redis-check-rdb';
const RUN_TIMEOUT_MS = 20 * 60_000;
const RSS_LIMIT_MB = 150;

// ---------------------------------------------------------------------------------------------
// Options

/** @param {string} name @param {string | undefined} fallback */
function opt(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
  return v;
}
const ROUNDS = Number(opt('rounds', '3'));
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('--rounds must be a positive integer');
const ALL_ROWS = ['mixed', 'mixed.gz', 'mixed.lz4', 'huge', 'small', 'small-ttl', 'blobs', 'shards'];
const ONLY = /** @type {string} */ (opt('only', ALL_ROWS.join(','))).split(',').filter(Boolean);
for (const o of ONLY) if (!ALL_ROWS.includes(o)) throw new Error(`--only: unknown dump ${o}; known: ${ALL_ROWS.join(', ')}`);
const TOOLS = /** @type {string} */ (opt('tools', 'check,parse,info,keys,load,peer')).split(',');
/** HDT3213/rdb's binary (github.com/HDT3213/rdb, built by the user as its README says), if given. */
const PEER = process.env.RDBSCOPE_BENCH_HDT3213 ?? '';
const KEY_FORMATS = ['csv', 'jsonl', 'rdbtools-csv'];

const log = (/** @type {string} */ l) => process.stderr.write(l + '\n');

// ---------------------------------------------------------------------------------------------
// What rdbscope can do right now

// Others may rebuild dist/ while the bench runs: every run uses a frozen copy of bin/ + dist/ taken now.
const { tmp, root: SNAP, bin: RDBSCOPE } = frozenCopy(ROOT, 'rdbscope-bench-');
// parse-only bundled from that copy as the CLI is (scripts/bundle.mjs), so that both start alike.
mkdirSync(path.join(SNAP, 'bench'));
copyFileSync(path.join(HERE, 'parse-only.mjs'), path.join(SNAP, 'bench', 'parse-only.mjs'));
await bundle({ entries: [path.join(SNAP, 'bench', 'parse-only.mjs')], distDir: path.join(SNAP, 'dist'), outdir: path.join(SNAP, 'bench', 'bundle') });
const PARSE_ONLY = path.join(SNAP, 'bench', 'bundle', 'parse-only.js');
/** The launcher execs `node` from PATH: make it the node running this script. */
const NODE_FIRST_ENV = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
const loadHelp = spawnSync(process.execPath, [RDBSCOPE, 'load', '--help'], { encoding: 'utf8' });
const HAS_LOAD = loadHelp.status === 0 && TOOLS.includes('load');
const HAS_JOBS = HAS_LOAD && /--jobs\b/.test(loadHelp.stdout);

// ---------------------------------------------------------------------------------------------
// Jobs

/**
 * @typedef {object} Job
 * @property {string} row       dump label in the table
 * @property {string} tool      label of the tool
 * @property {string[]} argv
 * @property {boolean} baseline redis-check-rdb (the ratio's denominator for its group)
 * @property {string} group     rows in a group share the baseline
 * @property {string[]} [cleanup] files removed before and after each run
 * @property {number} keys
 * @property {number} rdbBytes
 * @property {number} fileBytes
 * @property {string} target    issue 5 / 16 target for this row
 * @property {string} [vs]      a second ratio: to this tool's wall time on the same row and round
 */

const sqlite = path.join(tmp, 'load.sqlite');
const sqliteFiles = [sqlite, `${sqlite}-wal`, `${sqlite}-shm`, `${sqlite}-journal`];

/** @type {Job[]} */
const jobs = [];
/** @type {string[]} */
const notes = [];
/** @type {import('./datasets.mjs').BuiltDump[]} */
const dumpsUsed = [];

const wantCheck = TOOLS.includes('check');
const wantParse = TOOLS.includes('parse');
const parseOnly = (/** @type {string[]} */ files) => [process.execPath, PARSE_ONLY, ...files];
const load = (/** @type {string[]} */ files, /** @type {string[]} */ extra = []) => [RDBSCOPE, 'load', ...files, '--db', sqlite, '--quiet', ...extra];

/**
 * The memory profile a load of `file` stores, learnt by one untimed load: when its first keys cannot
 * tell the allocator build, a default load weighs both builds on every key and switches its rows at
 * the end (or reads the dump twice), and the bench then also times the load that names the profile
 * with --server (one build, nothing to switch). Null when the load fails.
 * @param {string} file
 */
function storedProfile(file) {
  for (const f of sqliteFiles) rmSync(f, { force: true });
  const [command, ...args] = load([file]);
  const loaded = spawnSync(command, args, { encoding: 'utf8' });
  const profile = loaded.status !== 0 ? null : spawnSync(RDBSCOPE, ['sql', '--db', sqlite, '--format', 'csv', 'SELECT memory_profile FROM snapshots'], { encoding: 'utf8' }).stdout.split('\n')[1]?.trim() || null;
  for (const f of sqliteFiles) rmSync(f, { force: true });
  return profile;
}

const wantInfo = TOOLS.includes('info');
const wantKeys = TOOLS.includes('keys');
const wantPeer = TOOLS.includes('peer') && PEER !== '';
if (TOOLS.includes('peer') && PEER === '') notes.push('HDT3213/rdb peer not found: set RDBSCOPE_BENCH_HDT3213 to its binary to add its memory CSV (`rdb -c memory`) to the table');
else if (wantPeer && !existsSync(PEER)) throw new Error(`RDBSCOPE_BENCH_HDT3213=${PEER}: no such file`);
const toNull = (/** @type {string[]} */ argv) => ['/bin/sh', '-c', 'exec "$@" > /dev/null', 'sh', ...argv];
const MANY_SMALL = new Set(['small', 'small-ttl']);

for (const name of ['mixed', 'huge', 'small', 'small-ttl', 'blobs']) {
  const rows = name === 'mixed' ? ONLY.filter((o) => o.startsWith('mixed')) : ONLY.filter((o) => o === name);
  if (rows.length === 0) continue;
  const plain = await ensureDump(name);
  const isSmall = MANY_SMALL.has(name);
  if (wantCheck) jobs.push({ row: name, tool: 'redis-check-rdb', argv: [CHECK, plain.file], baseline: true, group: name, keys: plain.keys, rdbBytes: plain.rdbBytes, fileBytes: plain.fileBytes, target: '' });
  for (const row of rows) {
    const d = row === name ? plain : await ensureDump(row);
    dumpsUsed.push(d);
    const common = { row, group: name, keys: d.keys, rdbBytes: d.rdbBytes, fileBytes: d.fileBytes, baseline: false };
    if (wantParse) jobs.push({ ...common, tool: 'rdbscope parse-only', argv: parseOnly([d.file]), target: '≤ 0.5×' });
    if (wantInfo && row === name) jobs.push({ ...common, tool: 'rdbscope info', argv: toNull([RDBSCOPE, 'info', d.file]), target: isSmall ? '≤ 0.5×' : '' });
    if (wantKeys && row === name) {
      for (const f of KEY_FORMATS) {
        jobs.push({ ...common, tool: `rdbscope keys --format ${f}`, argv: toNull([RDBSCOPE, 'keys', '--format', f, d.file]), target: isSmall ? '≤ 2×, ≤ 1.5× parse' : '≤ 1.5× parse', vs: 'rdbscope parse-only' });
      }
    }
    if (wantPeer && row === name) jobs.push({ ...common, tool: 'HDT3213 rdb -c memory', argv: [PEER, '-c', 'memory', '-o', '/dev/null', d.file], target: '' });
    if (HAS_LOAD) jobs.push({ ...common, tool: 'rdbscope load', argv: load([d.file]), cleanup: sqliteFiles, target: isSmall ? '≥ 1 M keys/s' : '≤ 1.0×' });
    const profile = HAS_LOAD && row === 'mixed' ? storedProfile(d.file) : null;
    if (profile !== null) jobs.push({ ...common, tool: `rdbscope load --server ${profile}`, argv: load([d.file], ['--server', profile]), cleanup: sqliteFiles, target: '' });
  }
}
if (!HAS_LOAD && TOOLS.includes('load')) notes.push('rdbscope load: n/a (no `load` command in this build)');

if (ONLY.includes('shards')) {
  const shards = [];
  for (const k of [1, 2, 3, 4]) shards.push(await ensureDump(`shard${k}`));
  dumpsUsed.push(...shards);
  const files = shards.map((s) => s.file);
  const common = { row: 'shards ×4', group: 'shards', keys: shards.reduce((a, s) => a + s.keys, 0), rdbBytes: shards.reduce((a, s) => a + s.rdbBytes, 0), fileBytes: shards.reduce((a, s) => a + s.fileBytes, 0) };
  if (wantCheck) jobs.push({ ...common, tool: 'redis-check-rdb (4 in a row)', argv: ['/bin/sh', '-c', `for f; do "${CHECK}" "$f" >/dev/null || exit 1; done`, 'sh', ...files], baseline: true, target: '' });
  if (wantParse) jobs.push({ ...common, tool: 'rdbscope parse-only (4 in a row)', argv: parseOnly(files), baseline: false, target: '' });
  if (HAS_LOAD) {
    jobs.push({ ...common, tool: 'rdbscope load (serial)', argv: load(files), cleanup: sqliteFiles, baseline: false, target: '' });
    if (HAS_JOBS) jobs.push({ ...common, tool: 'rdbscope load --jobs 2', argv: load(files, ['--jobs', '2']), cleanup: sqliteFiles, baseline: false, target: '< serial' });
    else notes.push('rdbscope load --jobs 2: n/a (this build has no --jobs option)');
  }
}
if (jobs.length === 0) throw new Error('nothing to run');

// ---------------------------------------------------------------------------------------------
// Running one job under /usr/bin/time -v

/**
 * @typedef {object} Run
 * @property {number} round
 * @property {string} row
 * @property {string} tool
 * @property {number} wall   seconds
 * @property {number} cpu    user+sys seconds
 * @property {number} rssMb  peak RSS (MB)
 * @property {number} exit
 * @property {number | null} parsedKeys  keys parse-only reported (sanity check)
 */

/** @param {Job} job @param {number} round @returns {Promise<Run>} */
function runJob(job, round) {
  for (const f of job.cleanup ?? []) rmSync(f, { force: true });
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(TIME, ['-v', ...job.argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: NODE_FIRST_ENV });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      if (out.length < 1 << 20) out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
      if (err.length > 1 << 20) err = err.slice(-(1 << 16));
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      for (const f of job.cleanup ?? []) rmSync(f, { force: true });
      const num = (/** @type {RegExp} */ re) => Number(re.exec(err)?.[1] ?? NaN);
      const user = num(/User time \(seconds\): ([\d.]+)/);
      const sys = num(/System time \(seconds\): ([\d.]+)/);
      const rssKb = num(/Maximum resident set size \(kbytes\): (\d+)/);
      const exitCode = code ?? -1;
      let parsedKeys = null;
      for (const line of out.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          parsedKeys = (parsedKeys ?? 0) + JSON.parse(line).keys;
        } catch {
          /* not ours */
        }
      }
      if (exitCode !== 0) {
        const tail = err.split('\n').filter((l) => !/^\t/.test(l)).slice(-8).join('\n');
        log(`bench: ${job.tool} on ${job.row} exited with ${exitCode}:\n${tail}`);
      }
      resolve({ round, row: job.row, tool: job.tool, wall, cpu: user + sys, rssMb: rssKb / 1024, exit: exitCode, parsedKeys });
    });
  });
}

/** Reads every dump once so the first timed run does not pay for a cold page cache. @param {string[]} files */
function warm(files) {
  const buf = Buffer.alloc(1 << 22);
  for (const f of files) {
    const fd = openSync(f, 'r');
    while (readSync(fd, buf, 0, buf.length, null) > 0);
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// Rounds: in each round every group runs all its jobs, in an order that rotates per round.

const files = [...new Set(jobs.flatMap((j) => j.argv.filter((a) => a.includes(`${path.sep}.cache${path.sep}`))))];
log(`bench: warming the page cache (${files.length} files) ...`);
warm(files);
log(`bench: ${jobs.length} jobs × ${ROUNDS} rounds; load ${HAS_LOAD ? 'yes' : 'n/a'}, --jobs ${HAS_JOBS ? 'yes' : 'n/a'}`);

/** @type {Run[]} */
const runs = [];
const groups = [...new Set(jobs.map((j) => j.group))];
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const group of groups) {
      const gj = jobs.filter((j) => j.group === group);
      const order = gj.map((_, i) => gj[(i + round) % gj.length]);
      for (const job of /** @type {Job[]} */ (order)) {
        const run = await runJob(job, round);
        runs.push(run);
        log(`bench: round ${round + 1}/${ROUNDS} ${job.row.padEnd(10)} ${job.tool.padEnd(34)} ${run.wall.toFixed(2)} s wall, ${run.cpu.toFixed(2)} s cpu, ${run.rssMb.toFixed(0)} MB`);
      }
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Table

/** @param {number[]} xs */
function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const fmt = (/** @type {number} */ x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');
/** @param {number} x */
function rate(x) {
  if (!Number.isFinite(x)) return '—';
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(0)} k`;
  return x.toFixed(0);
}

const header = ['dump', 'tool', 'wall s', '× check-rdb', '× parse-only', 'CPU s', 'peak RSS MB (max)', 'keys/s', 'MB/s', 'target', 'met'];
const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
/** @type {string[]} */
const problems = [];
/** @type {Record<string, unknown>[]} */
const summary = [];
for (const job of jobs) {
  const mine = runs.filter((r) => r.row === job.row && r.tool === job.tool);
  const ok = mine.filter((r) => r.exit === 0);
  if (ok.length < mine.length) problems.push(`${job.tool} on ${job.row}: ${mine.length - ok.length} of ${mine.length} runs failed`);
  for (const r of ok) {
    if (r.parsedKeys !== null && r.parsedKeys !== job.keys) problems.push(`${job.tool} on ${job.row}: parsed ${r.parsedKeys} keys, the server wrote ${job.keys}`);
  }
  const wall = median(ok.map((r) => r.wall));
  const base = jobs.find((j) => j.group === job.group && j.baseline);
  /** @type {number[]} */
  const ratios = [];
  if (base && !job.baseline) {
    for (const r of ok) {
      const b = runs.find((x) => x.round === r.round && x.row === base.row && x.tool === base.tool && x.exit === 0);
      if (b) ratios.push(r.wall / b.wall);
    }
  }
  const ratio = job.baseline ? 1 : median(ratios);
  /** @type {number[]} */
  const vsRatios = [];
  if (job.vs) {
    for (const r of ok) {
      const b = runs.find((x) => x.round === r.round && x.row === job.row && x.tool === job.vs && x.exit === 0);
      if (b) vsRatios.push(r.wall / b.wall);
    }
  }
  const vsRatio = median(vsRatios);
  const rssMed = median(ok.map((r) => r.rssMb));
  const rssMax = Math.max(...ok.map((r) => r.rssMb));
  const keysPerS = job.keys / wall;
  let met = '';
  if (job.target === '≤ 2×, ≤ 1.5× parse') met = `${ratio <= 2 ? 'yes' : 'no'}, ${vsRatio <= 1.5 ? 'yes' : 'no'}`;
  else if (job.target === '≤ 1.5× parse') met = vsRatio <= 1.5 ? 'yes' : 'no';
  else if (job.target.startsWith('≤ 0.5')) met = ratio <= 0.5 ? 'yes' : 'no';
  else if (job.target.startsWith('≤ 1.0')) met = ratio <= 1.0 ? 'yes' : 'no';
  else if (job.target.startsWith('≥ 1 M')) met = keysPerS >= 1e6 ? 'yes' : 'no';
  else if (job.target === '< serial') {
    const serial = median(runs.filter((r) => r.row === job.row && r.tool === 'rdbscope load (serial)' && r.exit === 0).map((r) => r.wall));
    met = `${fmt(serial / wall)}× speed-up`;
  }
  if (!job.baseline && job.tool.startsWith('rdbscope')) {
    const rssOk = rssMax <= RSS_LIMIT_MB;
    met = [met, rssOk ? '' : `RSS > ${RSS_LIMIT_MB} MB`].filter(Boolean).join(', ');
  }
  lines.push(
    `| ${job.row} | ${job.tool} | ${fmt(wall)} | ${job.baseline ? '1.00' : fmt(ratio)} | ${job.vs ? fmt(vsRatio) : '—'} | ${fmt(median(ok.map((r) => r.cpu)))} | ${fmt(rssMed, 0)} (${fmt(rssMax, 0)}) | ${rate(keysPerS)} | ${fmt(job.rdbBytes / 1e6 / wall, 0)} | ${job.target || '—'} | ${met || '—'} |`,
  );
  summary.push({ row: job.row, tool: job.tool, wall, ratio, vsParseOnly: job.vs ? vsRatio : null, cpu: median(ok.map((r) => r.cpu)), rssMedianMb: rssMed, rssMaxMb: rssMax, keysPerS, runs: mine.length, failed: mine.length - ok.length });
}

const git = (/** @type {string[]} */ a) => {
  try {
    return execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
};
const cpuModel = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? '?';
const checkVersion = (() => {
  const r = spawnSync(CHECK.replace(/redis-check-rdb$/, 'redis-server'), ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split(' ').slice(0, 3).join(' ') : 'redis-check-rdb';
})();
const dirty = git(['status', '--porcelain', '--untracked-files=no', '--', 'src']) ? ' (src/ modified)' : '';
const command = `npm run bench${process.argv.slice(2).length ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;

const dumpLines = dumpsUsed.map((d) => `- ${d.name}: ${d.description}; ${(d.fileBytes / 1e6).toFixed(1)} MB on disk${d.fileBytes !== d.rdbBytes ? ` (${(d.rdbBytes / 1e6).toFixed(1)} MB RDB)` : ''}, ${d.keys.toLocaleString('en-US')} keys`);
const md = [
  `# rdbscope benchmark`,
  '',
  `\`${command}\` — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${git(['rev-parse', '--short', 'HEAD'])}${dirty}`,
  `${os.cpus().length} × ${cpuModel}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${checkVersion} (redis-check-rdb); median of ${ROUNDS} interleaved rounds`,
  '',
  ...lines,
  '',
  'wall, CPU (user+sys) and peak RSS are medians (RSS also the max over the rounds, from `/usr/bin/time -v`); "× check-rdb" is the median over the rounds',
  'of a tool\'s wall time divided by redis-check-rdb\'s in the same round (for .gz/.lz4: redis-check-rdb on the plain dump, which it needs); "× parse-only" likewise',
  'against rdbscope parse-only on the same dump. keys = `bin/rdbscope keys --format F <dump> > /dev/null`; info = `bin/rdbscope info <dump>`;',
  'HDT3213 = HDT3213/rdb\'s `rdb -c memory -o /dev/null <dump>` (Go; the per-key memory CSV), from $RDBSCOPE_BENCH_HDT3213.',
  'keys/s and MB/s use the uncompressed RDB size. parse-only = `node bench/parse-only.mjs <dump>` (every key decoded into a record, CRC64 checked, nothing stored);',
  `load = \`bin/rdbscope load <dump> --db <fresh tmp>.sqlite --quiet\` (the launcher, as installed: it runs node with \`--max-semi-space-size=4 --heap-growing-percent=30\`); load --server P: the same load given the profile the default load stores, which estimates each key under that build alone where the default weighs both and switches its rows at the end (its first keys cannot tell the build). Memory target: peak RSS ≤ ${RSS_LIMIT_MB} MB for every rdbscope run.`,
  '',
  'Dumps (bench/datasets.mjs, written by redis-server, cached in bench/.cache/):',
  ...dumpLines,
  ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
  ...(problems.length ? ['', '**Problems:**', ...problems.map((p) => `- ${p}`)] : []),
  '',
].join('\n');

process.stdout.write('\n' + md);
mkdirSync(path.join(HERE, 'results'), { recursive: true });
writeFileSync(path.join(HERE, 'results', 'latest.md'), md);
writeFileSync(path.join(HERE, 'results', 'latest.json'), JSON.stringify({ command, rounds: ROUNDS, dumps: dumpsUsed.map(({ file, rdbFile, ...d }) => ({ ...d, file: path.basename(file), rdbFile: path.basename(rdbFile) })), summary, runs }, null, 2) + '\n');
log(`bench: wrote bench/results/latest.md and latest.json`);
process.exit(problems.length ? 1 : 0);
