import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { workerEvents, type WorkerEvent } from '../core/worker-events.js';
import type { PatternOptions } from '../patterns/options.js';
import type { MemorySpec } from './memory-spec.js';
import { rdbErrorFrom, type RdbErrorData } from '../core/errors.js';
import type { LoadEnd, LoadMessage } from './produce-rows.js';

const YOUNG_GEN_MB = 16;

/** One file for a load worker. */
export interface WorkerJob {
  path: string;
  mtimeMs: number;
  memory: MemorySpec | null;
  patterns: PatternOptions;
  maxPatterns?: number;
  keysMinBytes?: number | null;
  topPerPattern?: number | null;
  /** Read a header version no release writes (ParseOptions.relaxedVersionCheck). */
  relaxedVersionCheck?: boolean;
  /** Batches the worker may run ahead of the consumer (default: load-worker.ts CREDITS). */
  credits?: number;
  /** ProduceOptions.weighBothBuilds. */
  weighBothBuilds?: boolean;
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
 * A load worker thread started before its command has loaded its own modules, taken by the first
 * LoadWorker. Node takes ~0.25 s to load the writer's modules and open its database, and about as
 * long to start a thread and load the parser's modules in it; side by side the first rows reach
 * the writer ~0.1 s sooner. Unreferenced until taken, so a command that ends without it (a usage
 * error, --help) still exits.
 */
let prestarted: { worker: Worker; entry: string; dead: boolean } | null = null;

/** The prestarted thread's id (null: no worker entry to run). */
export function prestartLoadWorker(): number | null {
  const entry = workerEntry();
  if (prestarted !== null || entry === null) return prestarted?.worker.threadId ?? null;
  const p = (prestarted = { worker: spawnLoadWorker(entry), entry: entry.href, dead: false as boolean });
  // A thread that fails before it is taken is not used (and its error not thrown at nobody): the
  // taker starts a new one, whose failure it then sees.
  const died = () => void (p.dead = true);
  p.worker.once('error', died).once('exit', died).unref();
  return p.worker.threadId;
}

function spawnLoadWorker(entry: URL): Worker {
  // A small young generation keeps the worker heap (and so peak RSS) modest; measured: same speed.
  return new Worker(entry, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GEN_MB } });
}

/** The prestarted thread when it runs `entry`, else a new one. */
function loadWorkerThread(entry: URL): Worker {
  const p = prestarted;
  prestarted = null;
  if (p !== null && !p.dead && p.entry === entry.href) return p.worker.ref(), p.worker;
  if (p !== null) void p.worker.terminate();
  return spawnLoadWorker(entry);
}

/** Writer → worker: a file to load, or a batch consumed (one more credit). */
export type WorkerRequest = { t: 'job'; job: WorkerJob } | { t: 'ack' };

/**
 * A load worker thread that loads files one after another (a lane of loadFiles keeps one for its
 * whole batch): every file after the first runs with the parser already compiled by the JIT and in
 * the same heap. A thread per file compiled everything again: 4 shards in a row took 3.90 s (CPU
 * 6.5 s) against 2.51 s (4.1 s) now, and peaked at 150 against 144 MB.
 * rows() runs produceRows() for one file there and yields its messages here. Each batch
 * is acknowledged when the consumer asks for the next message, which is what lets the worker run
 * ahead by a few batches only. Stopping a file's iteration early, or a failure, ends the thread;
 * the next file starts a new one.
 */
export class LoadWorker {
  private worker: Worker | null = null;
  private events: AsyncGenerator<WorkerEvent<WorkerMessage>> | null = null;

  constructor(private readonly entry: URL) {}

  /** The thread running (null between threads): the same one file after file unless one failed. */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  async *rows(job: WorkerJob): AsyncGenerator<LoadMessage> {
    if (this.worker === null) {
      this.worker = loadWorkerThread(this.entry);
      this.events = workerEvents<WorkerMessage>(this.worker);
    }
    const worker = this.worker;
    const events = this.events!;
    const send = (m: WorkerRequest) => worker.postMessage(m);
    send({ t: 'job', job });
    let ended = false;
    try {
      for (;;) {
        const next = await events.next();
        const m = next.done ? ({ t: 'exit' } as const) : next.value;
        if (m.t === 'crash') throw m.error;
        if (m.t === 'exit') throw new Error('load worker exited before the end of the file');
        if (m.t === 'error') throw m.rdb ? rdbErrorFrom(m.rdb) : new Error(`load worker: ${m.message}`);
        if (m.t === 'end') {
          ended = true;
          yield { t: 'end', end: { ...m.end, failure: m.failure ? rdbErrorFrom(m.failure) : null } };
          return;
        }
        yield m;
        if (m.t === 'batch') send({ t: 'ack' });
      }
    } finally {
      if (!ended) await this.close();
    }
  }

  /** Ends the thread (it is idle between files). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.events = null;
    if (w !== null) await w.terminate();
  }
}
