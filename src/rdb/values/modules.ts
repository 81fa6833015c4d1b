import { RdbError } from '../../core/errors.js';
import type { VectorSetInfo } from '../../core/record.js';
import type { ByteReader } from '../byte-reader.js';
import type { StreamingDecoder } from './decoder.js';
import { once } from './loop.js';
import { measureString, measured } from '../rdb-string.js';
import { readLength, readLengthBig } from '../length.js';

/** Module type names use this 64-symbol alphabet, 6 bits per character (rdb-format.md §8.1). */
const MODULE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Splits a 64-bit module type id into its 9-character name and 10-bit encoding version (§8.1). */
export function decodeModuleId(id: bigint): { name: string; encver: number } {
  const encver = Number(id & 1023n);
  let name = '';
  for (let i = 0; i < 9; i++) name += MODULE_ALPHABET[Number((id >> BigInt(10 + 6 * (8 - i))) & 63n)];
  return { name, encver };
}

/** Module value opcodes (§8.2). */
export const MODULE_OP = { EOF: 0, SINT: 1, UINT: 2, FLOAT: 3, DOUBLE: 4, STRING: 5 } as const;

/** The item just read from a module-tagged stream. */
export class ModuleItem {
  op = 0;
  uint = 0n;
  strLen = 0;
}

/** One tagged item (§8.2); strings are measured, not kept. Any opcode above 5 is corrupt. */
export function readModuleItem(r: ByteReader, it: ModuleItem): void {
  const at = r.offset;
  const op = readLength(r);
  switch (op) {
    case MODULE_OP.EOF:
      break;
    case MODULE_OP.SINT:
    case MODULE_OP.UINT:
      it.uint = readLengthBig(r);
      break;
    case MODULE_OP.FLOAT:
      r.take(4);
      break;
    case MODULE_OP.DOUBLE:
      r.take(8);
      break;
    case MODULE_OP.STRING:
      measureString(r);
      it.strLen = measured.len;
      break;
    default:
      throw new RdbError('BAD_MODULE', `unknown module value opcode ${op}`, at);
  }
  it.op = op;
}

class ModuleHead {
  name = '';
  encver = 0;
}

function moduleIdUnit(r: ByteReader, h: ModuleHead): void {
  const id = decodeModuleId(readLengthBig(r));
  h.name = id.name;
  h.encver = id.encver;
}

/** Reads the next item and checks it is of the expected kind (vector sets have a fixed layout). */
function* expectItem(r: ByteReader, it: ModuleItem, op: number, what: string): Generator<void, void, void> {
  const at = r.offset;
  yield* once(r, readModuleItem, it);
  if (it.op !== op) throw new RdbError('BAD_MODULE', `vectorset: expected ${what}, found module opcode ${it.op}`, at);
}

/** Keeps the last `n` values pushed (bounded memory). */
function pushTail(arr: number[], v: number, n: number): void {
  arr.push(v);
  if (arr.length > n) arr.shift();
}

const TAIL = 20;

/** Vector set value (Redis 8.0+ built-in module `vectorset`, §8.4). */
function* decodeVectorSet(r: ByteReader, it: ModuleItem): Generator<void, VectorSetInfo, void> {
  const U = MODULE_OP.UINT;
  const S = MODULE_OP.STRING;
  yield* expectItem(r, it, U, 'dimension');
  const dim = Number(it.uint);
  yield* expectItem(r, it, U, 'element count');
  const count = Number(it.uint);
  yield* expectItem(r, it, U, 'HNSW config');
  const cfg = Number(it.uint);
  yield* expectItem(r, it, U, 'save flags');
  const flags = Number(it.uint);
  let projectionInputDim: number | null = null;
  if (flags & 1) {
    yield* expectItem(r, it, U, 'projection input dimension');
    projectionInputDim = Number(it.uint);
    yield* expectItem(r, it, S, 'projection matrix');
  }
  const q = cfg & 0xff;
  const info: VectorSetInfo = {
    dim, count, quant: q === 0 ? 'f32' : q === 1 ? 'int8' : q === 2 ? 'bin' : 'unknown', m: (cfg >> 8) & 0xffff,
    projectionInputDim, attributes: 0, maxLevel: 0, lastL0MaxLinks: 0, tailNames: [], tailAttributes: [],
  };
  for (let e = 0; e < count; e++) {
    yield* expectItem(r, it, S, 'element name');
    pushTail(info.tailNames, it.strLen, TAIL);
    if (flags & 2) {
      yield* expectItem(r, it, S, 'attribute');
      if (it.strLen > 0) info.attributes++;
      pushTail(info.tailAttributes, it.strLen, TAIL);
    }
    yield* expectItem(r, it, S, 'vector');
    yield* expectItem(r, it, U, 'parameter count');
    const nParams = Number(it.uint);
    for (let p = 0; p < nParams; p++) {
      yield* expectItem(r, it, U, 'HNSW parameter');
      // [1] = level | version << 24; [3] = max links of layer 0 (hnsw_serialize_node).
      if (p === 1) info.maxLevel = Math.max(info.maxLevel, Number(it.uint & 0xffffffn));
      else if (p === 3) info.lastL0MaxLinks = Number(it.uint);
    }
  }
  yield* expectItem(r, it, MODULE_OP.EOF, 'end of value');
  return info;
}

/** Type 7 MODULE_2 (§8.3): module id, then tagged items until EOF; skippable without the module. */
export const decodeModule2: StreamingDecoder = function* (r, rec) {
  const head = new ModuleHead();
  yield* once(r, moduleIdUnit, head);
  rec.type = head.name;
  rec.module = { name: head.name, encver: head.encver };
  const it = new ModuleItem();
  if (head.name === 'vectorset') {
    const vs = yield* decodeVectorSet(r, it);
    rec.vectorSet = vs;
    rec.elements = vs.count;
    rec.largestElementBytes = Math.max(0, ...vs.tailNames);
    return;
  }
  let largest = 0;
  do {
    yield* once(r, readModuleItem, it);
    if (it.op === MODULE_OP.STRING && it.strLen > largest) largest = it.strLen;
  } while (it.op !== MODULE_OP.EOF);
  rec.largestElementBytes = largest;
};
