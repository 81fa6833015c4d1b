// @ts-check
/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time and total (inclusive) time per
 * function, largest self time first.
 *
 *   node bench/profile-summary.mjs <file.cpuprofile | file.heapprofile> [--top N] [--markdown]
 *
 * A .heapprofile (`node --heap-prof`, sampled allocations) is summarised as bytes allocated per function.
 *
 * Times come from the sample deltas (not hit counts), so idle gaps are attributed to "(idle)" and
 * "(program)"/"(garbage collector)" show up as their own lines. Functions are keyed by name + file +
 * line, so two closures of the same name stay apart.
 *
 * Typical use (the mixed dump, parse only):
 *   node --cpu-prof --cpu-prof-dir=bench/.cache/prof bench/parse-only.mjs bench/.cache/mixed-*.rdb
 *   node bench/profile-summary.mjs bench/.cache/prof/*.cpuprofile
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const topIdx = args.indexOf('--top');
const TOP = topIdx >= 0 ? Number(args[topIdx + 1]) : 25;
const markdown = args.includes('--markdown');
const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--top');
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile> [--top N] [--markdown]\n');
  process.exit(2);
}

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number, columnNumber: number },
 *   hitCount?: number, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], startTime: number, endTime: number, samples: number[], timeDeltas: number[] }} CpuProfile
 */
const parsed = JSON.parse(readFileSync(file, 'utf8'));
if (parsed.head) {
  heapSummary(parsed);
  process.exit(0);
}
/** @type {CpuProfile} */
const profile = parsed;

/** @type {Map<number, ProfileNode>} */
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
/** @type {Map<number, number>} */
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** @param {ProfileNode} n */
function keyOf(n) {
  const cf = n.callFrame;
  const name = cf.functionName || '(anonymous)';
  if (!cf.url) return name;
  let url = cf.url.replace(/^file:\/\//, '');
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) url = url.slice(dist + 1);
  else if (url.startsWith('node:')) url = url;
  else url = path.basename(url);
  return `${name}  ${url}:${cf.lineNumber + 1}`;
}

// Self time per node from the samples: sample i lasted timeDeltas[i + 1] (V8 stores the delta
// before each sample; the last sample's duration is unknown and counted as the mean).
/** @type {Map<number, number>} */
const selfUs = new Map();
const { samples, timeDeltas } = profile;
let total = 0;
for (let i = 0; i < samples.length; i++) {
  const dt = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : (profile.endTime - profile.startTime) / samples.length;
  const d = Math.max(0, dt);
  selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + d);
  total += d;
}

/** @type {Map<string, { self: number, total: number }>} */
const perFn = new Map();
for (const [id, us] of selfUs) {
  let node = byId.get(id);
  const own = keyOf(/** @type {ProfileNode} */ (node));
  const e = perFn.get(own) ?? { self: 0, total: 0 };
  e.self += us;
  perFn.set(own, e);
  // Inclusive time: once per distinct function on the stack (recursion counted once).
  const seen = new Set();
  for (let cur = /** @type {number | undefined} */ (id); cur !== undefined; cur = parent.get(cur)) {
    node = /** @type {ProfileNode} */ (byId.get(cur));
    const k = keyOf(node);
    if (seen.has(k)) continue;
    seen.add(k);
    const f = perFn.get(k) ?? { self: 0, total: 0 };
    f.total += us;
    perFn.set(k, f);
  }
}

const rows = [...perFn].filter(([k]) => k !== '(root)').sort((a, b) => b[1].self - a[1].self).slice(0, TOP);
const pct = (/** @type {number} */ us) => ((100 * us) / total).toFixed(1);
process.stdout.write(`${path.basename(file)}: ${(total / 1e6).toFixed(2)} s sampled, ${samples.length} samples\n\n`);
if (markdown) {
  process.stdout.write('| self % | self ms | total % | function  file:line |\n|---:|---:|---:|---|\n');
  for (const [k, v] of rows) process.stdout.write(`| ${pct(v.self)} | ${(v.self / 1e3).toFixed(0)} | ${pct(v.total)} | \`${k}\` |\n`);
} else {
  process.stdout.write(' self %   self ms  total %  function  file:line\n');
  for (const [k, v] of rows) process.stdout.write(`${pct(v.self).padStart(7)} ${(v.self / 1e3).toFixed(0).padStart(9)} ${pct(v.total).padStart(8)}  ${k}\n`);
}

/**
 * Sampled allocation profile: bytes allocated per function (self), largest first.
 * @param {{ head: HeapNode }} heap
 * @typedef {{ callFrame: ProfileNode['callFrame'], selfSize: number, children: HeapNode[] }} HeapNode
 */
function heapSummary(heap) {
  /** @type {Map<string, number>} */
  const bytes = new Map();
  let all = 0;
  // Builtins (no script URL: Map, subarray, String ...) are named with their caller.
  /** @param {HeapNode} n @param {string} callerKey */
  const walk = (n, callerKey) => {
    const own = keyOf(/** @type {ProfileNode} */ (/** @type {unknown} */ (n)));
    const k = n.callFrame.url ? own : `${own} ← ${callerKey}`;
    if (n.selfSize > 0) {
      bytes.set(k, (bytes.get(k) ?? 0) + n.selfSize);
      all += n.selfSize;
    }
    for (const c of n.children) walk(c, n.callFrame.url ? own : callerKey);
  };
  walk(heap.head, '(root)');
  process.stdout.write(`${path.basename(/** @type {string} */ (file))}: ${(all / 1e6).toFixed(1)} MB sampled allocations\n\n  self %     MB  function  file:line\n`);
  for (const [k, v] of [...bytes].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    process.stdout.write(`${((100 * v) / all).toFixed(1).padStart(8)} ${(v / 1e6).toFixed(1).padStart(6)}  ${k}\n`);
  }
}
