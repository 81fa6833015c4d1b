import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { RdbError } from '../core/errors.js';

const EDGE = 1 << 20;
/** The error code fingerprintOf gives a pipe, socket or device. */
const NOT_REGULAR = 'NOT_REGULAR';

/** A file's fingerprint, size and mtime, and which file it was (device and inode). */
export interface FileFingerprint {
  fingerprint: string;
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
}

/**
 * Content fingerprint of a file on disk: sha256 over its size, its first 1 MiB and its last 1 MiB.
 * Sampled rather than full so a re-load of a known multi-GB dump is recognised in milliseconds; dumps
 * that differ only in the middle and have equal size are not a realistic case (every dump carries
 * its AUX ctime at the start and a CRC64 at the end). The file is opened read-only.
 */
export async function fileFingerprint(path: string): Promise<FileFingerprint> {
  try {
    return await fingerprintOf(path);
  } catch (err) {
    // Missing file, directory, no permission: the same one-line input error the parser would give.
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOENT' ? 'no such file' :
      e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' :
      e.code === 'EISDIR' ? 'is a directory, not a dump file' :
      e.code === NOT_REGULAR ? `${path === '-' ? 'standard input' : 'not a regular file (a pipe or device)'}: a load reads the dump file twice, for its fingerprint and for its keys; save the stream to a file first` :
      `cannot read file (${e.message})`;
    throw new RdbError('IO', why, null, null, path);
  }
}

async function fingerprintOf(path: string): Promise<FileFingerprint> {
  // `-` is standard input, as for `info` and `keys` (cli/dump-source.ts): a stream, not a file.
  if (path === '-') throw Object.assign(new Error('standard input'), { code: NOT_REGULAR });
  // Refused before the open: opening a named pipe waits until a writer opens it, maybe forever.
  const named = await stat(path);
  if (!named.isFile() && !named.isDirectory()) throw Object.assign(new Error('not a regular file'), { code: NOT_REGULAR });
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: NOT_REGULAR });
    const hash = createHash('sha256');
    hash.update(`size:${st.size}\n`);
    const head = Buffer.alloc(Math.min(EDGE, st.size));
    await fh.read(head, 0, head.length, 0);
    hash.update(head);
    if (st.size > EDGE) {
      const tailLen = Math.min(EDGE, st.size - EDGE);
      const tail = Buffer.alloc(tailLen);
      await fh.read(tail, 0, tailLen, st.size - tailLen);
      hash.update(tail);
    }
    return { fingerprint: `sha256-edges:${hash.digest('hex')}`, size: st.size, mtimeMs: st.mtimeMs, dev: st.dev, ino: st.ino };
  } finally {
    await fh.close();
  }
}
