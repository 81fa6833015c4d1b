import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RdbError, type RdbErrorCode } from '../core/errors.js';
import { workerEvents } from '../core/worker-events.js';

/** What the LZ4 worker is given (workerData). */
export interface Lz4Job {
  path: string | Uint8Array;
  label: string;
  /** Chunks the worker may hand over before the reader gives one back. */
  ahead: number;
  /** Size of the buffers it allocates (chunks are at most the decoder's 1 MiB slices). */
  chunkBytes: number;
}

/** Worker → reader. */
export type Lz4Message =
  | { t: 'chunk'; buffer: ArrayBuffer; length: number; bytesIn: number }
  | { t: 'end'; bytesIn: number }
  | { t: 'error'; code: RdbErrorCode | null; detail: string; offset: number | null; message: string };

/** Reader → worker: a chunk consumed, its buffer returned for reuse. */
export interface Lz4Reply {
  buffer: ArrayBuffer | null;
}

const AHEAD = 4;
const CHUNK_BYTES = 1 << 20;

/** The compiled worker entry next to this module (dist/), or null (sources under vitest). */
function entry(): URL | null {
  const here = new URL('./lz4-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(here)) ? here : null;
}

/**
 * The decoded bytes of an LZ4-framed dump, decoded on a worker thread: LZ4 in JavaScript took a
 * third of the parse time of an .lz4 backup on the parsing thread, while the second core waited
 * (gzip is inflated off-thread by zlib already). Null when no compiled worker entry exists; the
 * caller then decodes on its own thread. A chunk is valid until the next one is requested (its
 * buffer goes back to the worker). Errors are the worker's RdbErrors.
 */
export function lz4OnWorker(path: string | Uint8Array, label: string, counted: (bytesIn: number) => void): AsyncGenerator<Uint8Array> | null {
  const url = entry();
  if (url === null) return null;
  return run(url, { path, label, ahead: AHEAD, chunkBytes: CHUNK_BYTES }, counted);
}

async function* run(url: URL, job: Lz4Job, counted: (bytesIn: number) => void): AsyncGenerator<Uint8Array> {
  const worker = new Worker(url, { workerData: job });
  let done = false;
  let lent: ArrayBuffer | null = null;
  try {
    for await (const m of workerEvents<Lz4Message>(worker)) {
      if (m.t === 'chunk') {
        // The previous chunk has been consumed: its buffer goes back.
        if (lent !== null) worker.postMessage({ buffer: lent } satisfies Lz4Reply, [lent]);
        lent = m.buffer;
        counted(m.bytesIn);
        yield new Uint8Array(m.buffer, 0, m.length);
        continue;
      }
      if (m.t === 'end') {
        counted(m.bytesIn);
        done = true;
        return;
      }
      if (m.t === 'error') throw new RdbError(m.code ?? 'IO', m.code ? m.detail : `LZ4 worker: ${m.detail}`, m.offset, null, job.label);
      if (m.t === 'crash') throw m.error;
      break;
    }
    throw new Error('LZ4 worker exited before the end of the file');
  } finally {
    if (!done) await worker.terminate();
  }
}
