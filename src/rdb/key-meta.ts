import { RdbError } from '../core/errors.js';
import type { ByteReader } from './byte-reader.js';
import { readLength } from './length.js';
import { printable } from './printable.js';
import { readStringBytes } from './rdb-string.js';
import { MODULE_OP, ModuleItem, readModuleItem } from './values/modules.js';
import { once } from './values/loop.js';

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
 * module-tagged value stream ending with EOF (§8.2). The class count is read here; the classes by
 * keyMetaClasses.
 */
export function readKeyMetaCount(r: ByteReader): number {
  const at = r.offset;
  const n = readLength(r);
  if (n < 1 || n > MAX_CLASSES) throw new RdbError('BAD_KEY_META', `key metadata with ${n} classes (expected 1..${MAX_CLASSES})`, at);
  return n;
}

/** The state of one class being read item by item. */
class ClassState {
  cls: KeyMetaClass = { name: '', version: 0, flags: 0, firstString: null };
  seenString = false;
  done = false;
  readonly item = new ModuleItem();
}

function classSpec(r: ByteReader, s: ClassState): void {
  const spec = r.u32le();
  let name = '';
  for (let c = 0; c < 4; c++) name += CLASS_ALPHABET[(spec >>> (8 + 6 * (3 - c))) & 63];
  s.cls = { name, version: (spec >>> 3) & 31, flags: spec & 7, firstString: null };
  s.seenString = false;
  s.done = false;
}

/** One item of a class's value stream: the first STRING is read whole (bounded use), the rest generically. */
function classItem(r: ByteReader, s: ClassState): void {
  const opAt = r.pos;
  const op = readLength(r);
  if (op === MODULE_OP.STRING && !s.seenString) {
    const bytes = readStringBytes(r);
    s.seenString = true;
    s.cls.firstString = bytes.length <= MAX_KEPT_STRING ? printable(bytes) : null;
    return;
  }
  r.pos = opAt;
  readModuleItem(r, s.item);
  if (s.item.op === MODULE_OP.EOF) s.done = true;
}

/**
 * The `n` classes after the count, one unit per item (a class's value stream has no bound: read
 * whole it held the read window at its size and was re-read from its start on every chunk).
 */
export function* keyMetaClasses(r: ByteReader, n: number, out: KeyMetaClass[]): Generator<void, void, void> {
  const s = new ClassState();
  for (let i = 0; i < n; i++) {
    yield* once(r, classSpec, s);
    while (!s.done) yield* once(r, classItem, s);
    out.push(s.cls);
  }
}
