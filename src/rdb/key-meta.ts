import { RdbError } from '../core/errors.js';
import type { ByteReader } from './byte-reader.js';
import { readLength } from './length.js';
import { skipModuleItems } from './values/modules.js';

export interface KeyMetaClass {
  name: string;
  version: number;
  flags: number;
}

/** Key-metadata class names: 4 characters of 6 bits over this alphabet (`_` before `-`, §3.3). */
const CLASS_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const MAX_CLASSES = 7;

/**
 * KEY_META (opcode 243 under REDIS magic, Redis 8.6+; rdb-format.md §3.3): a per-key prefix with
 * 1..7 classes, each a little-endian u32 spec (name bits 31..8, version 7..3, flags 2..0) and a
 * module-tagged value stream ending with EOF.
 */
export function readKeyMeta(r: ByteReader): KeyMetaClass[] {
  const at = r.offset;
  const n = readLength(r);
  if (n < 1 || n > MAX_CLASSES) throw new RdbError('BAD_KEY_META', `key metadata with ${n} classes (expected 1..${MAX_CLASSES})`, at);
  const classes: KeyMetaClass[] = [];
  for (let i = 0; i < n; i++) {
    const spec = r.u32le();
    let name = '';
    for (let c = 0; c < 4; c++) name += CLASS_ALPHABET[(spec >>> (8 + 6 * (3 - c))) & 63];
    classes.push({ name, version: (spec >>> 3) & 31, flags: spec & 7 });
    skipModuleItems(r);
  }
  return classes;
}
