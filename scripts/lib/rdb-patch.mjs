// @ts-check
/**
 * Edits of a real dump that keep it a valid dump: the only place the fixtures deviate from what the
 * server wrote, each edit named in the fixture's truth file.
 */
import { Crc64 } from '../../dist/rdb/crc64.js';

/**
 * Sets the `ctime` AUX field (rdb-format.md §3.1: Redis writes it with rdbSaveAuxFieldStrInt, so the
 * value is an integer-encoded string, 0xC2 + int32 little-endian, `R:rdb.c rdbSaveInfoAuxFields`)
 * and recomputes the CRC64 trailer over everything before it (§1.4). Throws when the field is not
 * in that form.
 * @param {Buffer} dump
 * @param {number} seconds
 * @returns {Buffer}
 */
export function withCtime(dump, seconds) {
  const marker = Buffer.from([0xfa, 0x05, ...Buffer.from('ctime', 'latin1'), 0xc2]);
  const at = dump.indexOf(marker);
  if (at < 0) throw new Error('no int32-encoded ctime AUX field in this dump');
  const out = Buffer.from(dump);
  out.writeInt32LE(seconds, at + marker.length);
  const crc = new Crc64();
  crc.update(out, 0, out.length - 8);
  const hex = crc.hex();
  for (let i = 0; i < 8; i++) out[out.length - 1 - i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * An integer AUX field as the server wrote it (`rdbSaveAuxFieldStrInt`): integer-encoded
 * (0xC0 int8, 0xC1 int16, 0xC2 int32, little-endian; rdb-format.md §2.2) or, past 32 bits, a short
 * string of digits (6-bit length). Null when absent.
 * @param {Buffer} dump
 * @param {string} name
 * @returns {number | null}
 */
export function auxInt(dump, name) {
  const marker = Buffer.from([0xfa, name.length, ...Buffer.from(name, 'latin1')]);
  const at = dump.indexOf(marker);
  if (at < 0) return null;
  const p = at + marker.length;
  const enc = /** @type {number} */ (dump[p]);
  if (enc === 0xc0) return dump.readInt8(p + 1);
  if (enc === 0xc1) return dump.readInt16LE(p + 1);
  if (enc === 0xc2) return dump.readInt32LE(p + 1);
  if (enc >> 6 === 0) return Number(dump.toString('latin1', p + 1, p + 1 + enc));
  throw new Error(`AUX ${name}: unexpected encoding byte ${enc}`);
}
