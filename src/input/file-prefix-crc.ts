import { readSync } from 'node:fs';
import { Crc64 } from '../rdb/crc64.js';

const PIECE = 1 << 20;

/**
 * The CRC64 (rdb-format.md §1.4) of the first `end` bytes of the open file `fd`, as Crc64.hex()
 * prints it. Positional reads: the descriptor's own offset, which another reader may be using, is
 * left alone.
 */
export function crcOfFilePrefix(fd: number, end: number): string {
  const crc = new Crc64();
  const buf = Buffer.allocUnsafe(Math.min(PIECE, Math.max(end, 1)));
  for (let pos = 0; pos < end; ) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
    if (n === 0) throw new Error(`the file ends at byte ${pos}, before byte ${end}`);
    crc.update(buf, 0, n);
    pos += n;
  }
  return crc.hex();
}
