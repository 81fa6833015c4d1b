import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { workerEvents } from '../core/worker-events.js';
import type { PatternOptions } from '../patterns/options.js';
import type { MemorySpec } from './memory-spec.js';
import { rdbErrorFrom, type RdbErrorData } from '../core/errors.js';
import type { LoadEnd, LoadMessage } from './produce-rows.js';

const YOUNG_GEN_MB = 16;

/** What a load worker is given (workerData). */
export interface WorkerJob {
  path: string;
  mtimeMs: number;
  memory: MemorySpec | null;
  patterns: PatternOptions;
  maxPatterns?: number;
  keysMinBytes?: number | null;
  topPerPattern?: number | null;
}

/** What a load worker posts. `end.failure` travels as `failure` (plain data). */
export type WorkerMessage =
  | Exclude<LoadMessage, { t: 'end' }>
  | { t: 'end'; end: LoadEnd; failure: RdbErrorData | null }
  | { t: 'error'; rdb: RdbErrorData | null; message: string };

/**
 * The compiled worker entry. Running from dist/ it sits next to this module; running from sources
 * (tests under vitest) it is the package's dist/store/load-worker.js when built. Null when there is
 * none: callers then parse on their own thread.
 */
export function workerEntry(): URL | null {
  const here = new URL('./load-worker.js', import.meta.url);
  if (import.meta.url.endsWith('.js') && existsSync(fileURLToPath(here))) return here;
  const built = new URL('../../dist/store/load-worker.js', import.meta.url);
  return existsSync(fileURLToPath(built)) ? built : null;
}

/**
 * Runs produceRows() for one file on a worker thread and yields its messages on this thread. Each
 * batch is acknowledged when the consumer asks for the next message, which is what lets the worker
 * run ahead by a few batches only. Stopping the iteration early terminates the worker.
 */
export async function* workerRows(entry: URL, job: WorkerJob): AsyncGenerator<LoadMessage> {
  // A small young generation keeps the worker heap (and so peak RSS) modest; measured: same speed.
  const worker = new Worker(entry, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GEN_MB } });
  let ended = false;
  try {
    for await (const m of workerEvents<WorkerMessage>(worker)) {
      if (m.t === 'crash') throw m.error;
      if (m.t === 'exit') {
        if (ended) return;
        throw new Error('load worker exited before the end of the file');
      }
      if (m.t === 'error') throw m.rdb ? rdbErrorFrom(m.rdb) : new Error(`load worker: ${m.message}`);
      if (m.t === 'end') {
        ended = true;
        yield { t: 'end', end: { ...m.end, failure: m.failure ? rdbErrorFrom(m.failure) : null } };
        continue;
      }
      yield m;
      if (m.t === 'batch') worker.postMessage({ t: 'ack' });
    }
  } finally {
    if (!ended) await worker.terminate();
  }
}
