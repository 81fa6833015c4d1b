import { existsSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChecksumSource } from '../rdb/index.js';
import { crcOfFilePrefix } from './file-prefix-crc.js';

/** What the CRC worker is given (workerData). */
export interface CrcJob {
  /** A descriptor of the dump, open for this checksum alone (the reader has its own). */
  fd: number;
  /** Prefix to checksum at once: the file size minus the 8-byte trailer. */
  end: number;
}

/** Worker → reader. */
export type CrcMessage = { t: 'crc'; end: number; hex: string } | { t: 'error'; end: number; message: string };

/** The compiled worker entry next to this module (dist/), or null (sources under vitest). */
function entry(): URL | null {
  const here = new URL('./crc-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(here)) ? here : null;
}

/**
 * The CRC64 of a plain dump computed by a second thread reading the file through its own descriptor,
 * while this thread parses: the parser's CRC was 14% of a parse of a real cache, and the second core
 * idles during a parse (parse-only of the mixed bench dump 0.98 → 0.86 s, of 5 M tiny keys 0.90 →
 * 0.77 s, +11 MB peak RSS; 9 and 11 interleaved runs). The thread starts at once, so its start-up
 * overlaps the parse; the answer is needed only at the trailer. Handing the bytes themselves to or
 * from a thread lost in copies what it won; reading the file twice costs the page cache's memcpy.
 * `fh` is owned from here on: closed on release, after the thread has stopped (it reads by
 * descriptor number, which must not be reused under it). Null when no compiled worker entry exists
 * (the parser checksums inline).
 */
export function crcOnThread(fh: FileHandle, size: number): ChecksumSource | null {
  const url = entry();
  if (url === null) return null;
  const eagerEnd = size - 8;
  const worker = new Worker(url, { workerData: { fd: fh.fd, end: eagerEnd } satisfies CrcJob });
  // Not keeping the process alive on its own: only while someone waits for an answer.
  worker.unref();
  const answers = new Map<number, { promise: Promise<string>; settle: (m: CrcMessage) => void }>();
  const pending = (end: number) => {
    let settle!: (m: CrcMessage) => void;
    const promise = new Promise<string>((resolve, reject) => {
      settle = (m) => (m.t === 'crc' ? resolve(m.hex) : reject(new Error(m.message)));
    });
    promise.catch(() => undefined); // reported to whoever asks
    answers.set(end, { promise, settle });
    return promise;
  };
  pending(eagerEnd);
  let failed = false;
  const stopped = () => {
    failed = true;
    for (const [end, a] of answers) a.settle({ t: 'error', end, message: 'the checksum thread stopped' });
  };
  worker.on('message', (m: CrcMessage) => answers.get(m.end)?.settle(m));
  worker.on('error', stopped);
  worker.on('exit', stopped);
  let released = false;
  return {
    crcOf: async (end) => {
      if (released) throw new Error('checksum asked after release');
      // The thread gone wrong (it never should): read the file here instead.
      if (failed) return crcOfFilePrefix(fh.fd, end);
      const known = answers.get(end);
      const asked = known ? known.promise : pending(end);
      if (!known) worker.postMessage(end);
      worker.ref();
      try {
        return await asked;
      } catch {
        return crcOfFilePrefix(fh.fd, end);
      } finally {
        worker.unref();
      }
    },
    release: () => {
      if (released) return;
      released = true;
      void worker.terminate().finally(() => fh.close().catch(() => undefined));
    },
  };
}
