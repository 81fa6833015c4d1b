/**
 * Mutation fuzzing of the RDB parser, shared by `scripts/fuzz.mjs` (long runs against dist/) and
 * test/hostile/fuzz.test.ts (short seeded runs against the sources). Plain JS so both can use it.
 *
 * One input = a seed file with 1..4 mutations. It is parsed twice (whole, and in random chunk
 * sizes); the verdict is a failure when either parse throws anything but an RdbError, the two
 * parses disagree (records, error code, error offset), a record or error is malformed, or the
 * input took longer than the time limit.
 */

/** Bytes that change the meaning of length/encoding/opcode bytes (rdb-format.md §2.1, §3.1). */
/**
 * Deterministic pseudo-random numbers in [0, 1) (mulberry32): the fuzzer's mutations and the tests'
 * generated inputs replay exactly from a seed.
 * @param {number} seed
 * @returns {() => number}
 */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const INTERESTING_BYTES = [0x00, 0xff, 0x7f, 0x80, 0x81, 0xc0, 0xc3, 0xf0, 0xfe, 0x40, 0x3f];
/** u32 values that lie in headers (ziplist/listpack total bytes, counts, intset widths). */
const INTERESTING_U32 = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

const MUTATORS = [
  'flip-bit', 'interesting-byte', 'random-byte', 'insert-run', 'delete-run', 'splice', 'duplicate-range',
  'huge-len32', 'huge-len64', 'interesting-u32', 'truncate', 'swap-ranges',
];

/**
 * @param {() => number} rand
 * @param {number} n
 */
const pick = (rand, n) => Math.floor(rand() * n);

/**
 * Applies 1..4 random mutations to a copy of `base`.
 * @param {Uint8Array} base
 * @param {() => number} rand
 * @param {Uint8Array[]} pool other seeds, for splicing
 * @returns {{ bytes: Uint8Array, ops: string[] }}
 */
export function mutate(base, rand, pool) {
  let b = base.slice();
  const ops = [];
  const count = 1 + pick(rand, 4);
  for (let k = 0; k < count; k++) {
    const op = MUTATORS[pick(rand, MUTATORS.length)];
    const at = b.length === 0 ? 0 : pick(rand, b.length);
    ops.push(`${op}@${at}`);
    switch (op) {
      case 'flip-bit':
        if (b.length) b[at] ^= 1 << pick(rand, 8);
        break;
      case 'interesting-byte':
        if (b.length) b[at] = INTERESTING_BYTES[pick(rand, INTERESTING_BYTES.length)];
        break;
      case 'random-byte':
        if (b.length) b[at] = pick(rand, 256);
        break;
      case 'insert-run': {
        const n = 1 + pick(rand, rand() < 0.8 ? 8 : 300);
        const run = new Uint8Array(n);
        const fillByte = rand() < 0.5 ? INTERESTING_BYTES[pick(rand, INTERESTING_BYTES.length)] : -1;
        for (let i = 0; i < n; i++) run[i] = fillByte >= 0 ? fillByte : pick(rand, 256);
        b = concat(b.subarray(0, at), run, b.subarray(at));
        break;
      }
      case 'delete-run': {
        const n = 1 + pick(rand, rand() < 0.8 ? 8 : 300);
        b = concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + n)));
        break;
      }
      case 'splice': {
        const other = pool.length ? pool[pick(rand, pool.length)] : b;
        const from = pick(rand, other.length + 1);
        b = concat(b.subarray(0, at), other.subarray(from));
        break;
      }
      case 'duplicate-range': {
        const n = 1 + pick(rand, 64);
        const range = b.slice(at, at + n);
        const times = 1 + pick(rand, 4);
        const parts = [b.subarray(0, at)];
        for (let i = 0; i < times; i++) parts.push(range);
        parts.push(b.subarray(at));
        b = concat(...parts);
        break;
      }
      case 'huge-len32': {
        // 0x80 + a big-endian u32: a 32-bit length form (§2.1).
        const v = INTERESTING_U32[pick(rand, INTERESTING_U32.length)];
        const patch = Uint8Array.of(0x80, v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
        b = overwrite(b, at, patch, rand() < 0.5);
        break;
      }
      case 'huge-len64': {
        // 0x81 + a big-endian u64 near 2^32, 2^53 or 2^64.
        const forms = [
          [0, 0, 0, 1, 0, 0, 0, 0],
          [0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
          [0, 0x20, 0, 0, 0, 0, 0, 0],
          [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
          [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe],
          [0x80, 0, 0, 0, 0, 0, 0, 0],
          [0, 0, 0, 0, 0, 0, 0, 0x05],
        ];
        const patch = Uint8Array.of(0x81, ...forms[pick(rand, forms.length)]);
        b = overwrite(b, at, patch, rand() < 0.5);
        break;
      }
      case 'interesting-u32': {
        const v = INTERESTING_U32[pick(rand, INTERESTING_U32.length)];
        const patch = Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
        b = overwrite(b, at, rand() < 0.5 ? patch : patch.subarray(0, 2), false);
        break;
      }
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'swap-ranges': {
        const n = 1 + pick(rand, 32);
        const at2 = pick(rand, Math.max(1, b.length));
        const x = b.slice(at, at + n);
        const y = b.slice(at2, at2 + n);
        if (at + n <= b.length && at2 + n <= b.length && (at + n <= at2 || at2 + n <= at)) {
          b.set(y, at);
          b.set(x, at2);
        }
        break;
      }
    }
  }
  return { bytes: b, ops };
}

/** @param {Uint8Array[]} parts */
function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * @param {Uint8Array} b
 * @param {number} at
 * @param {Uint8Array} patch
 * @param {boolean} insert
 */
function overwrite(b, at, patch, insert) {
  if (insert) return concat(b.subarray(0, at), patch, b.subarray(at));
  const out = b.length >= at + patch.length ? b : concat(b, new Uint8Array(at + patch.length - b.length));
  out.set(patch, at);
  return out;
}

/**
 * Rewrites the CRC64 trailer so that the mutated content passes the checksum (deeper paths: the
 * parser then reports structure, not only the mismatch). Only for files that end in EOF + 8 bytes.
 * @param {Uint8Array} b
 * @param {(bytes: Uint8Array) => Uint8Array} crcTrailer 8 little-endian CRC64 bytes of `bytes`
 */
export function fixChecksum(b, crcTrailer) {
  if (b.length < 18 || b[b.length - 9] !== 0xff) return b;
  const out = b.slice();
  out.set(crcTrailer(out.subarray(0, out.length - 8)), out.length - 8);
  return out;
}

/**
 * @param {Uint8Array} bytes
 * @param {() => number} sizes
 */
async function* chunks(bytes, sizes) {
  for (let at = 0; at < bytes.length; ) {
    const n = Math.max(1, sizes());
    yield bytes.slice(at, at + n);
    at += n;
  }
}

/**
 * @typedef {{ records: any[], error: any, crash: any, ms: number }} ParseRun
 * @typedef {{ parseRdb: (source: AsyncIterable<Uint8Array>, opts: object) => AsyncIterable<any> & { batches(): AsyncGenerator<any[]>, visit(onKey: (r: any) => void): Promise<void>, info: any }, RdbError: Function }} ParserApi
 */

/**
 * @param {ParserApi} api
 * @param {Uint8Array} bytes
 * @param {() => number} sizes
 * @param {boolean} verifyChecksum
 * @returns {Promise<ParseRun>}
 */
export async function parseOnce(api, bytes, sizes, verifyChecksum) {
  const records = [];
  const run = await readParse(api, bytes, sizes, verifyChecksum, async (parse) => {
    for await (const batch of parse.batches()) for (const r of batch) records.push(r);
  });
  return { records, ...run };
}

/**
 * Parses like parseOnce through RdbParse.visit, where one record is reused for every key and keys
 * are read in place in the parser's window: each record's identity is taken during its call.
 */
export async function visitOnce(api, bytes, sizes, verifyChecksum) {
  const ids = [];
  const run = await readParse(api, bytes, sizes, verifyChecksum, (parse) => parse.visit((r) => void ids.push(recordId(r))));
  return { ids, ...run };
}

/** Runs `read` over a parse of the input in chunks: its RdbError, any other throw (a crash), time, info. */
async function readParse(api, bytes, sizes, verifyChecksum, read) {
  const t0 = performance.now();
  const parse = api.parseRdb(chunks(bytes, sizes), { verifyChecksum, fileName: 'fuzz-input' });
  let error = null;
  let crash = null;
  try {
    await read(parse);
  } catch (e) {
    if (e instanceof api.RdbError) error = e;
    else crash = e;
  }
  return { error, crash, ms: performance.now() - t0, info: parse.info };
}

/** A compact identity of a record for comparing two parses (every scalar field and the key bytes). */
function recordId(r) {
  return JSON.stringify(r, function (k, value) {
    const v = k === '' ? value : this[k];
    if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
    if (v instanceof Map) return [...v.entries()];
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    return value;
  });
}

/**
 * Parses one input whole and in random chunks and judges it.
 * @param {ParserApi} api
 * @param {Uint8Array} bytes
 * @param {() => number} rand
 * @param {{ timeLimitMs: number, tolerate?: string[] }} limits `tolerate`: known open bug classes
 *   not to count as failures ('value-past-eof': a record is yielded before its value's bytes have
 *   arrived; 'offset-past-input': an error inside an LZF blob names a decompressed position).
 * @returns {Promise<{ verdict: 'ok' | 'rdb-error' | 'fail', problem?: string, code?: string, ms: number }>}
 */
export async function judgeInput(api, bytes, rand, limits) {
  const tolerate = new Set(limits.tolerate ?? []);
  const verify = rand() < 0.8;
  const whole = await parseOnce(api, bytes, () => bytes.length || 1, verify);
  const max = rand() < 0.5 ? 1 + Math.floor(rand() * 16) : 1 + Math.floor(rand() * 4096);
  const split = await parseOnce(api, bytes, () => 1 + Math.floor(rand() * max), verify);
  const ms = Math.max(whole.ms, split.ms);
  const fail = (problem) => ({ verdict: 'fail', problem, ms });
  for (const [name, run] of [['whole', whole], [`chunks of 1..${max}`, split]]) {
    if (run.crash !== null) {
      const c = run.crash;
      return fail(`${name}: threw ${c && c.name ? c.name : typeof c}: ${c && c.message ? c.message : String(c)}\n${c && c.stack ? c.stack : ''}`);
    }
    if (run.ms > limits.timeLimitMs) return fail(`${name}: took ${Math.round(run.ms)} ms (limit ${limits.timeLimitMs})`);
    if (run.error !== null) {
      const e = run.error;
      if (typeof e.code !== 'string' || typeof e.message !== 'string' || e.message.includes('\n')) return fail(`${name}: malformed RdbError ${String(e.message)}`);
      const pastInput = e.offset !== null && e.offset > bytes.length && tolerate.has('offset-past-input');
      if (e.offset === null || !(e.offset >= 0 && (e.offset <= bytes.length || pastInput))) return fail(`${name}: RdbError offset ${e.offset} outside the ${bytes.length}-byte input (${e.message})`);
      if (run.info.complete || run.info.error !== e) return fail(`${name}: info.complete/error inconsistent with the thrown error`);
    } else if (!run.info.complete) return fail(`${name}: ended without error but info.complete is false`);
    for (const r of run.records) {
      if (!(r.key instanceof Uint8Array) || typeof r.keyPrintable !== 'string') return fail(`${name}: record without key bytes`);
      if (!(r.offset >= 0 && r.offset < bytes.length)) return fail(`${name}: record offset ${r.offset} outside the input`);
      if (!(Number.isFinite(r.elements) && r.elements >= 0)) return fail(`${name}: record ${r.keyPrintable} has elements ${r.elements}`);
      const pastEof = tolerate.has('value-past-eof') && run.error !== null && run.error.code === 'UNEXPECTED_EOF' && r === run.records[run.records.length - 1];
      if (!(Number.isFinite(r.valueBytes) && r.valueBytes >= 0 && (r.valueBytes <= bytes.length || pastEof))) return fail(`${name}: record ${r.keyPrintable} has valueBytes ${r.valueBytes}`);
    }
  }
  if (whole.records.length !== split.records.length) return fail(`whole gave ${whole.records.length} records, chunks of 1..${max} gave ${split.records.length}`);
  for (let i = 0; i < whole.records.length; i++) {
    if (recordId(whole.records[i]) !== recordId(split.records[i])) return fail(`record ${i} differs between whole and chunks of 1..${max}`);
  }
  const ce = (e) => (e === null ? 'none' : `${e.code}@${e.offset}`);
  if (ce(whole.error) !== ce(split.error)) return fail(`whole ended with ${ce(whole.error)}, chunks of 1..${max} with ${ce(split.error)}`);
  // visit(), in chunks of another random size: the same records (taken during each call), the same end.
  const vmax = rand() < 0.5 ? 1 + Math.floor(rand() * 16) : 1 + Math.floor(rand() * 4096);
  const visited = await visitOnce(api, bytes, () => 1 + Math.floor(rand() * vmax), verify);
  if (visited.crash !== null) return fail(`visit: threw ${visited.crash && visited.crash.message ? visited.crash.message : String(visited.crash)}\n${visited.crash && visited.crash.stack ? visited.crash.stack : ''}`);
  if (visited.ids.length !== whole.records.length) return fail(`whole gave ${whole.records.length} records, visit in chunks of 1..${vmax} gave ${visited.ids.length}`);
  for (let i = 0; i < visited.ids.length; i++) {
    if (visited.ids[i] !== recordId(whole.records[i])) return fail(`record ${i} differs between batches() and visit() in chunks of 1..${vmax}`);
  }
  if (ce(whole.error) !== ce(visited.error)) return fail(`whole ended with ${ce(whole.error)}, visit in chunks of 1..${vmax} with ${ce(visited.error)}`);
  return whole.error === null ? { verdict: 'ok', ms } : { verdict: 'rdb-error', code: whole.error.code, ms };
}
