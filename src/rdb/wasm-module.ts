/**
 * A minimal WebAssembly assembler for the two hot loops written as wasm (crc64.ts, lzf-wasm.ts):
 * one exported function over one exported, fixed-size memory. Bytes per the WebAssembly 1.0 binary
 * format (module preamble, type/function/memory/export/code sections); no toolchain needed.
 */

/** The part of the WebAssembly JS API we use (the project's `lib` setting has no WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** Opcodes used by our functions (WebAssembly 1.0 §5.4). */
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, return: 0x0f, void: 0x40,
  get: 0x20, set: 0x21,
  i32load8u: 0x2d, i64load: 0x29, i64load8u: 0x31, i32store8: 0x3a, i64store: 0x37,
  i32const: 0x41, i64const: 0x42,
  i32eq: 0x46, i32ltu: 0x49, i32gtu: 0x4b, i32geu: 0x4f,
  i32add: 0x6a, i32sub: 0x6b, i32and: 0x71, i32shl: 0x74, i32shru: 0x76,
  i64xor: 0x85, i64shru: 0x88, wrap: 0xa7,
  select: 0x1b, i32or: 0x72, i32ne: 0x47,
} as const;

export const I32 = 0x7f;
export const I64 = 0x7e;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 127;
    n >>>= 7;
    if (n !== 0) b |= 128;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 127;
    n >>= 7;
    if ((n === 0 && (b & 64) === 0) || (n === -1 && (b & 64) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 128);
  }
}

export interface FunctionSpec {
  params: number[];
  results: number[];
  /** Extra locals as [count, type] groups. */
  locals: [number, number][];
  /** The body's instructions, without the final `end`. */
  code: number[];
  /** Pages (64 KiB) of the memory, fixed: views into it stay valid. */
  pages: number;
}

/** Instantiates a module exporting the function as `f` and its memory as `m`; null without wasm. */
export function instantiate(spec: FunctionSpec): { f: unknown; memory: ArrayBuffer } | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) return null;
  try {
    const instance = new api.Instance(new api.Module(moduleBytes(spec)), {});
    return { f: instance.exports['f'], memory: (instance.exports['m'] as { buffer: ArrayBuffer }).buffer };
  } catch {
    return null;
  }
}

function moduleBytes(spec: FunctionSpec): Uint8Array {
  const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
  const body = [...uleb(spec.locals.length), ...spec.locals.flatMap(([n, t]) => [...uleb(n), t]), ...spec.code, OP.end];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, spec.params.length, ...spec.params, spec.results.length, ...spec.results]),
    ...section(3, [1, 0]), // one function of type 0
    ...section(5, [1, 1, ...uleb(spec.pages), ...uleb(spec.pages)]), // one memory, min = max: never grows
    ...section(7, [2, 1, 0x66, 0x00, 0, 1, 0x6d, 0x02, 0]), // export "f" = func 0, "m" = memory 0
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}
