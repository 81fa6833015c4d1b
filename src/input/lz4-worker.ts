/**
 * Worker-thread entry that decodes an LZ4-framed dump (see lz4-thread.ts): reads and decodes the
 * file with openInput on this thread and hands the decoded bytes over in buffers that travel back
 * and forth (transferred, never copied twice, none allocated per chunk in steady state).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isRdbError } from '../core/errors.js';
import { openInput } from './open-input.js';
import type { Lz4Job, Lz4Message, Lz4Reply } from './lz4-thread.js';

const port = parentPort!;
const job = workerData as Lz4Job;
/** Buffers handed back by the reader, ready to be filled again. */
const free: ArrayBuffer[] = [];
let inFlight = 0;
let wake: (() => void) | null = null;
port.on('message', (m: Lz4Reply) => {
  if (m.buffer) free.push(m.buffer);
  inFlight--;
  const w = wake;
  wake = null;
  w?.();
});
const post = (m: Lz4Message, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function run(): Promise<void> {
  const input = await openInput(typeof job.path === 'string' ? job.path : Buffer.from(job.path), job.label, { lz4Thread: false });
  for await (const chunk of input.chunks) {
    while (inFlight >= job.ahead) await new Promise<void>((r) => (wake = r));
    let buffer = free.pop();
    if (buffer === undefined || buffer.byteLength < chunk.length) buffer = new ArrayBuffer(Math.max(chunk.length, job.chunkBytes));
    new Uint8Array(buffer).set(chunk);
    inFlight++;
    post({ t: 'chunk', buffer, length: chunk.length, bytesIn: input.bytesIn() }, [buffer]);
  }
  post({ t: 'end', bytesIn: input.bytesIn() });
}

run().then(
  () => port.close(),
  (err: unknown) => {
    if (isRdbError(err)) post({ t: 'error', code: err.code, detail: err.detail, offset: err.offset, message: err.message });
    else post({ t: 'error', code: null, detail: err instanceof Error ? (err.stack ?? err.message) : String(err), offset: null, message: String(err) });
    port.close();
  },
);
