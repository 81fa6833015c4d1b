/**
 * Worker-thread entry of a load (see worker-rows.ts LoadWorker): for each file the writer sends,
 * opens and parses the dump, runs the memory model and key patterns, and posts compact RowBatches to
 * the writer thread, at most CREDITS ahead of the writer's acknowledgements so memory stays bounded
 * when SQLite is the slower side.
 */
import { parentPort } from 'node:worker_threads';
import { isRdbError, rdbErrorData } from '../core/errors.js';
import { openInput } from '../input/open-input.js';
import { parseRdb } from '../rdb/index.js';
import { modelFromSpec, compactLimitsForSpec } from './memory-spec.js';
import { produceRows } from './produce-rows.js';
import { transferables } from './row-batch.js';
import type { WorkerJob, WorkerMessage, WorkerRequest } from './worker-rows.js';

// Batches a worker may run ahead of the writer (~0.5 MB each). With --jobs the writer drains one
// file at a time, so the other workers live on their credits: 4 left them stalled (no speed-up for
// 4 shards with --jobs 2), 32 gave 1.23x; memory stays bounded.
const CREDITS = 32;
/**
 * Per-key work is deferred to the writer while fewer batches than this wait for it. Measured on
 * the mixed bench dump: the writer was idle 60% of a load while this thread was the bottleneck;
 * deferring took 2.75 s to 2.55 s. 16 was as fast but queued more batches in the writer's heap
 * (load of the .lz4 copy: 159 MB peak RSS against 144-154 MB with 4).
 */
const DEFER_IN_FLIGHT = 4;
const port = parentPort!;
let credits = CREDITS;
let wake: (() => void) | null = null;
const jobs: WorkerJob[] = [];
port.on('message', (m: WorkerRequest) => {
  if (m.t === 'ack') credits++;
  else jobs.push(m.job);
  const w = wake;
  wake = null;
  w?.();
});
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function run(job: WorkerJob): Promise<void> {
  // Acks of the previous file's batches have all arrived: the writer sends the next job after them.
  const limit = job.credits ?? CREDITS;
  credits = limit;
  const open = async () => {
    // LZ4 is decoded on this thread, not a third one: a load keeps both cores busy already; on the
    // mixed bench dump's .lz4 copy a decoding thread took the load from 3.35 to 2.8 s but its heap
    // and buffers took peak RSS from 141 to 163 MB, past the 150 MB budget.
    const input = await openInput(job.path, undefined, { lz4Thread: false });
    return {
      input,
      parse: parseRdb(input.chunks, { fileName: job.path, compactLimits: compactLimitsForSpec(job.memory), relaxedVersionCheck: job.relaxedVersionCheck }),
    };
  };
  const rows = produceRows(open, {
    mtimeMs: job.mtimeMs,
    memoryModel: job.memory ? modelFromSpec(job.memory) : undefined,
    patterns: job.patterns,
    maxPatterns: job.maxPatterns,
    keysMinBytes: job.keysMinBytes,
    topPerPattern: job.topPerPattern,
    weighBothBuilds: job.weighBothBuilds,
    // Few batches waiting = the writer keeps up with us: leave it patterns and aggregates of the
    // next batch (WriterAggregation); with more waiting it is the slower side and we keep the work.
    defer: () => limit - credits < DEFER_IN_FLIGHT,
  });
  for await (const m of rows) {
    if (m.t === 'batch') {
      while (credits === 0) await new Promise<void>((r) => (wake = r));
      credits--;
      post(m, transferables(m.rows));
    } else if (m.t === 'end') {
      const { failure, ...end } = m.end;
      post({ t: 'end', end: { ...end, failure: null }, failure: failure ? rdbErrorData(failure) : null });
    } else {
      post(m);
    }
  }
}

/** Files one after another, as the writer sends them; the writer ends the thread. */
async function serve(): Promise<never> {
  for (;;) {
    while (jobs.length === 0) await new Promise<void>((r) => (wake = r));
    try {
      await run(jobs.shift()!);
    } catch (err) {
      // The writer drops this thread on an error: wait for it, idle.
      if (isRdbError(err)) post({ t: 'error', rdb: rdbErrorData(err), message: err.message });
      else post({ t: 'error', rdb: null, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  }
}

void serve();
