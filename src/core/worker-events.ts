import type { Worker } from 'node:worker_threads';

/** What a worker thread reports to the thread that started it: its messages, then how it ended. */
export type WorkerEvent<M> = M | { t: 'crash'; error: Error } | { t: 'exit' };

/**
 * A worker's messages as an async iteration, in order, followed by its crash (an uncaught error)
 * or its exit; the iteration ends after `exit`. Messages arriving while the consumer is busy wait in
 * a queue: workers bound how far they run ahead themselves (credits).
 */
export async function* workerEvents<M>(worker: Worker): AsyncGenerator<WorkerEvent<M>> {
  const queue: WorkerEvent<M>[] = [];
  let wake: (() => void) | null = null;
  const push = (m: WorkerEvent<M>) => {
    queue.push(m);
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on('message', (m: M) => push(m));
  worker.on('error', (error: Error) => push({ t: 'crash', error }));
  worker.on('exit', () => push({ t: 'exit' }));
  for (;;) {
    while (queue.length === 0) await new Promise<void>((r) => (wake = r));
    const m = queue.shift()!;
    yield m;
    if ((m as { t?: unknown }).t === 'exit') return;
  }
}
