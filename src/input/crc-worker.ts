/**
 * Worker-thread entry that checksums a dump for a parser on another thread (crc-thread.ts): the CRC
 * of the bytes before the trailer of a file that ends with its trailer, at once; any other prefix on
 * request (a dump with bytes after its trailer).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { crcOfFilePrefix } from './file-prefix-crc.js';
import type { CrcJob, CrcMessage } from './crc-thread.js';

const port = parentPort!;
const job = workerData as CrcJob;
const answer = (end: number) => {
  let m: CrcMessage;
  try {
    m = { t: 'crc', end, hex: crcOfFilePrefix(job.fd, end) };
  } catch (e) {
    m = { t: 'error', end, message: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(m);
};
answer(job.end);
port.on('message', (end: number) => answer(end));
