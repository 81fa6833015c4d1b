/**
 * Dates a real dump: rewrites the `ctime` AUX field a redis-server wrote and the CRC64 trailer after
 * it, so that dumps saved seconds apart by a test server read as nightly backups (a forecast needs
 * snapshots at least an hour apart). Redis writes ctime with rdbSaveAuxFieldStrInt, which stores the
 * number as an integer-encoded string (`R:rdb.c rdbSaveLongLongAsStringObject`): AUX opcode 0xFA,
 * the 5-byte name "ctime", then 0xC2 (INT32) and 4 bytes little-endian (rdb-format.md §2.2, §3.1); the
 * CRC64 trailer covers every byte before it (§1.4).
 */
import { Crc64 } from '../../src/rdb/crc64.js';

const CTIME = Buffer.from([0xfa, 0x05, ...Buffer.from('ctime'), 0xc2]);

/** A copy of `dump` whose ctime is `seconds`, with its checksum made anew. */
export function withDumpTime(dump: Uint8Array, seconds: number): Buffer {
  const out = Buffer.from(dump);
  const at = out.indexOf(CTIME);
  if (at < 0 || out.indexOf(CTIME, at + 1) >= 0) throw new Error('expected exactly one INT32-encoded ctime AUX field');
  out.writeInt32LE(seconds, at + CTIME.length);
  const crc = new Crc64();
  crc.update(out, 0, out.length - 8);
  out.writeBigUInt64LE(BigInt('0x' + crc.hex()), out.length - 8);
  return out;
}

/** The ctime a dump holds (seconds), as withDumpTime finds it. */
export function dumpTime(dump: Uint8Array): number {
  const b = Buffer.from(dump);
  const at = b.indexOf(CTIME);
  if (at < 0) throw new Error('no INT32-encoded ctime AUX field');
  return b.readInt32LE(at + CTIME.length);
}
