/**
 * Shared helpers for the hostile-input tests: parse bytes fed in chosen chunk sizes, keep every
 * record and the error, and fingerprint records so two parses can be compared exactly.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { KeyRecord } from '../../src/core/record.js';
import { RdbError } from '../../src/core/errors.js';
import { parseRdb, type RdbFileInfo } from '../../src/rdb/index.js';
import { CORPUS_DIR, FIXTURES_DIR } from '../support/corpus.js';

export interface ParseOutcome {
  records: KeyRecord[];
  info: RdbFileInfo;
  /** The RdbError the iteration ended with, or null when the input parsed to the end. */
  error: RdbError | null;
  /** Anything thrown that is not an RdbError: always a bug. */
  crash: unknown;
}

/** Splits `bytes` into chunks; `sizes` is called for each next chunk size (≥ 1). */
export async function* chunksOf(bytes: Uint8Array, sizes: () => number = () => bytes.length): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; ) {
    const n = Math.max(1, Math.floor(sizes()));
    // A fresh copy per chunk: the parser must not depend on chunks sharing one buffer.
    yield bytes.slice(at, at + n);
    at += n;
  }
}

export async function parseBytes(
  bytes: Uint8Array,
  opts: { sizes?: () => number; verifyChecksum?: boolean; fileName?: string } = {},
): Promise<ParseOutcome> {
  const parse = parseRdb(chunksOf(bytes, opts.sizes), { verifyChecksum: opts.verifyChecksum ?? true, fileName: opts.fileName });
  const records: KeyRecord[] = [];
  let error: RdbError | null = null;
  let crash: unknown = null;
  try {
    for await (const batch of parse.batches()) for (const r of batch) records.push(r);
  } catch (e) {
    if (e instanceof RdbError) error = e;
    else crash = e;
  }
  return { records, info: parse.info, error, crash };
}

/** A string that is equal for two records exactly when every field (bytes, maps, shapes) is. */
export function fingerprint(rec: KeyRecord): string {
  return JSON.stringify(rec, function (this: Record<string, unknown>, k: string, value: unknown) {
    // The holder's own value: JSON.stringify has already applied Buffer#toJSON to `value`.
    const v = k === '' ? value : this[k];
    if (v instanceof Uint8Array) return 'u8:' + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
    if (v instanceof Map) return { map: [...v.entries()] };
    if (v instanceof Set) return { set: [...v] };
    if (typeof v === 'bigint') return 'big:' + v.toString();
    if (typeof v === 'number' && !Number.isFinite(v)) return 'num:' + String(v);
    return value;
  });
}

export { rng } from '../support/records.js';

export interface SampleFile {
  name: string;
  bytes: Uint8Array;
}

/** Plain (uncompressed) committed fixtures under `maxBytes`. */
export function fixtureFiles(maxBytes = 300_000): SampleFile[] {
  return readdirSync(FIXTURES_DIR)
    .filter((n) => n.endsWith('.rdb'))
    .map((n) => path.join(FIXTURES_DIR, n))
    .filter((p) => statSync(p).size <= maxBytes)
    .sort()
    .map((p) => ({ name: path.relative(FIXTURES_DIR, p), bytes: new Uint8Array(readFileSync(p)) }));
}

/** Shared-corpus files (read in place) under `maxBytes`; empty when the corpus is absent. */
export function corpusFiles(maxBytes: number, subdirs = ['redis', 'hdt3213-rdb']): SampleFile[] {
  const out: SampleFile[] = [];
  for (const sub of subdirs) {
    const dir = path.join(CORPUS_DIR, sub);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names.sort()) {
      if (!n.endsWith('.rdb')) continue;
      const p = path.join(dir, n);
      if (statSync(p).size > maxBytes) continue;
      out.push({ name: `${sub}/${n}`, bytes: new Uint8Array(readFileSync(p)) });
    }
  }
  return out;
}
