import { RdbError } from '../core/errors.js';
import type { ByteReader } from './byte-reader.js';
import { readLength } from './length.js';
import { printable } from './printable.js';
import { readStringBytes } from './rdb-string.js';
import { MODULE_OP, ModuleItem, readModuleItem } from './values/modules.js';

export interface KeyMetaClass {
  name: string;
  version: number;
  flags: number;
  /** The class's first STRING item, printable, when short (a module's own value; informational). */
  firstString: string | null;
}

/** Key-metadata class names: 4 characters of 6 bits over this alphabet (`_` before `-`, §3.3). */
const CLASS_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const MAX_CLASSES = 7;
const MAX_KEPT_STRING = 1024;

/**
 * KEY_META (opcode 243 under REDIS magic, Redis 8.6+; rdb-format.md §3.3): a per-key prefix with
 * 1..7 classes, each a little-endian u32 spec (name bits 31..8, version 7..3, flags 2..0) and a
 * module-tagged value stream ending with EOF (§8.2).
 */
export function readKeyMeta(r: ByteReader): KeyMetaClass[] {
  const at = r.offset;
  const n = readLength(r);
  if (n < 1 || n > MAX_CLASSES) throw new RdbError('BAD_KEY_META', `key metadata with ${n} classes (expected 1..${MAX_CLASSES})`, at);
  const classes: KeyMetaClass[] = [];
  const item = new ModuleItem();
  for (let i = 0; i < n; i++) {
    const spec = r.u32le();
    let name = '';
    for (let c = 0; c < 4; c++) name += CLASS_ALPHABET[(spec >>> (8 + 6 * (3 - c))) & 63];
    let firstString: string | null = null;
    let seenString = false;
    for (;;) {
      // Peek the opcode: the first STRING is read whole (bounded use), everything else generically.
      const opAt = r.pos;
      const op = readLength(r);
      if (op === MODULE_OP.STRING && !seenString) {
        seenString = true;
        const s = readStringBytes(r);
        firstString = s.length <= MAX_KEPT_STRING ? printable(s) : null;
        continue;
      }
      r.pos = opAt;
      readModuleItem(r, item);
      if (item.op === MODULE_OP.EOF) break;
    }
    classes.push({ name, version: (spec >>> 3) & 31, flags: spec & 7, firstString });
  }
  return classes;
}
