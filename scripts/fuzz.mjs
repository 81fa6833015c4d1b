#!/usr/bin/env node
/**
 * Long mutation-fuzzing run against the built parser (dist/):
 *
 *   npm run fuzz -- --seconds 600 [--seed N] [--max-seed-bytes 20000] [--time-limit-ms 2000]
 *                   [--strict]   (also fail on the known open bug classes)
 *
 * The inputs run in a worker thread with a heap limit; the main thread is a watchdog: an input
 * that runs past the time limit (a hang) gets the worker terminated, an out-of-memory ends it too.
 * Each failure is saved as fixtures/regressions/<kind>-<sha1-8>.rdb (replayed by
 * test/hostile/fuzz.test.ts) with a .txt note beside it. Exit code 1 when anything failed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fixChecksum, judgeInput, mutate, rng } from './lib/fuzz-engine.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KNOWN_OPEN = []; // bug classes to tolerate (see fuzz-engine.mjs judgeInput); none open now

function args() {
  const a = process.argv.slice(2);
  const get = (name, dflt) => {
    const i = a.indexOf(`--${name}`);
    return i >= 0 ? a[i + 1] : dflt;
  };
  return {
    seconds: Number(get('seconds', '60')),
    seed: Number(get('seed', String(Date.now() % 1e9))),
    maxSeedBytes: Number(get('max-seed-bytes', '20000')),
    timeLimitMs: Number(get('time-limit-ms', '2000')),
    strict: a.includes('--strict'),
  };
}

function seedFiles(maxBytes) {
  const dirs = [path.join(root, 'fixtures'), path.join(root, '../shared/corpus/redis'), path.join(root, '../shared/corpus/hdt3213-rdb')];
  const out = [];
  for (const d of dirs) {
    let names = [];
    try {
      names = readdirSync(d);
    } catch {
      continue;
    }
    for (const n of names.sort()) {
      const p = path.join(d, n);
      if (n.endsWith('.rdb') && statSync(p).size <= maxBytes) out.push({ name: path.relative(root, p), bytes: new Uint8Array(readFileSync(p)) });
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Worker: generates and judges inputs, reporting each one before parsing it.
// ------------------------------------------------------------------------------------------------
async function worker() {
  const { seed, startIndex, maxSeedBytes, timeLimitMs, strict } = workerData;
  const { parseRdb } = await import(path.join(root, 'dist/rdb/index.js'));
  const { RdbError } = await import(path.join(root, 'dist/core/errors.js'));
  const { Crc64 } = await import(path.join(root, 'dist/rdb/crc64.js'));
  const crcTrailer = (bytes) => {
    const c = new Crc64();
    c.update(bytes, 0, bytes.length);
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, BigInt('0x' + c.hex()), true);
    return out;
  };
  const seeds = seedFiles(maxSeedBytes);
  const pool = seeds.map((s) => s.bytes);
  for (let i = startIndex; ; i++) {
    // One generator per input index: any input can be regenerated from (seed, index).
    const rand = rng(seed * 1_000_003 + i);
    const s = seeds[Math.floor(rand() * seeds.length)];
    const m = mutate(s.bytes, rand, pool);
    const bytes = rand() < 0.3 ? fixChecksum(m.bytes, crcTrailer) : m.bytes;
    parentPort.postMessage({ type: 'start', i, seed: s.name, ops: m.ops, bytes });
    const v = await judgeInput({ parseRdb, RdbError }, bytes, rand, { timeLimitMs, tolerate: strict ? [] : KNOWN_OPEN });
    parentPort.postMessage({ type: 'done', i, verdict: v.verdict, code: v.code, problem: v.problem });
  }
}

// ------------------------------------------------------------------------------------------------
// Main: watchdog, bookkeeping, regression files.
// ------------------------------------------------------------------------------------------------
async function main() {
  const opts = args();
  const deadline = Date.now() + opts.seconds * 1000;
  const regressions = path.join(root, 'fixtures/regressions');
  mkdirSync(regressions, { recursive: true });
  const verdicts = {};
  const seen = new Set();
  let failures = 0;
  let inputs = 0;
  let next = 0;
  const save = (kind, cur, problem) => {
    failures++;
    const sig = `${kind}:${String(problem).split('\n')[0].replace(/\d+/g, 'N').replace(/\(key .*?\)/g, '')}`;
    const sha = createHash('sha1').update(cur.bytes).digest('hex').slice(0, 8);
    const file = path.join(regressions, `${kind}-${sha}.rdb`);
    if (!seen.has(sig)) {
      seen.add(sig);
      writeFileSync(file, cur.bytes);
      writeFileSync(file.replace(/\.rdb$/, '.txt'), `seed file: ${cur.seed}\nmutations: ${cur.ops.join(', ')}\nfuzz seed ${opts.seed}, input ${cur.i}\n${problem}\n`);
      console.log(`FAIL [${kind}] input ${cur.i} → ${path.relative(root, file)}\n  ${String(problem).split('\n').slice(0, 3).join('\n  ')}`);
    }
  };
  console.log(`fuzz: seed ${opts.seed}, ${opts.seconds} s, time limit ${opts.timeLimitMs} ms per input${opts.strict ? ', strict' : ''}`);
  while (Date.now() < deadline) {
    const outcome = await new Promise((resolve) => {
      const w = new Worker(fileURLToPath(import.meta.url), {
        workerData: { seed: opts.seed, startIndex: next, maxSeedBytes: opts.maxSeedBytes, timeLimitMs: opts.timeLimitMs, strict: opts.strict },
        resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
      });
      let cur = null;
      let timer = null;
      const arm = () => {
        clearTimeout(timer);
        // Two parses per input, each allowed the limit, plus slack for GC.
        timer = setTimeout(() => {
          void w.terminate();
          resolve({ kind: 'hang', cur });
        }, opts.timeLimitMs * 2 + 3000);
      };
      const stopAt = setTimeout(() => {
        void w.terminate();
        resolve({ kind: 'time-up', cur: null });
      }, Math.max(0, deadline - Date.now()));
      w.on('message', (msg) => {
        if (msg.type === 'start') {
          cur = msg;
          arm();
          return;
        }
        inputs++;
        next = msg.i + 1;
        const k = msg.verdict === 'rdb-error' ? msg.code : msg.verdict;
        verdicts[k] = (verdicts[k] ?? 0) + 1;
        if (msg.verdict === 'fail') save('fail', cur, msg.problem);
      });
      w.on('error', (e) => resolve({ kind: 'crash', cur, error: e }));
      w.on('exit', () => {
        clearTimeout(timer);
        clearTimeout(stopAt);
        resolve({ kind: 'exit', cur });
      });
    });
    if (outcome.kind === 'time-up') break;
    if (outcome.cur !== null && (outcome.kind === 'hang' || outcome.kind === 'crash')) {
      const problem = outcome.kind === 'hang' ? `no verdict within ${opts.timeLimitMs * 2 + 3000} ms (hang)` : `worker died: ${outcome.error?.code ?? ''} ${outcome.error?.message ?? outcome.error}`;
      save(outcome.kind === 'hang' ? 'hang' : 'memory', outcome.cur, problem);
      inputs++;
      next = outcome.cur.i + 1;
    }
  }
  console.log(`fuzz: ${inputs} inputs, ${failures} failures; verdicts ${JSON.stringify(verdicts)}`);
  process.exitCode = failures > 0 ? 1 : 0;
}

if (isMainThread) await main();
else await worker();
