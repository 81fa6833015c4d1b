/**
 * Reading dumps for end-to-end tests: open (any compression), parse to the end, and keep every
 * record plus the file info and the error (if any), so tests can assert on good and bad files alike.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KeyRecord } from '../../src/core/record.js';
import { RdbError } from '../../src/core/errors.js';
import type { Compression } from '../../src/input/open-input.js';
import { openInput } from '../../src/input/open-input.js';
import { parseRdb, type CompactLimits, type RdbFileInfo } from '../../src/rdb/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The project root (test/support/ → ../..). */
export const PROJECT_ROOT = path.resolve(here, '../..');
/** Committed fixtures written by scripts/make-fixtures.mjs. */
export const FIXTURES_DIR = path.join(PROJECT_ROOT, 'fixtures');
/** The shared corpus beside the project (read in place, never copied in). */
export const CORPUS_DIR = path.resolve(PROJECT_ROOT, '../shared/corpus');

export function corpusPresent(sub = ''): boolean {
  return existsSync(path.join(CORPUS_DIR, sub));
}

export interface ParsedDump {
  records: KeyRecord[];
  info: RdbFileInfo;
  compression: Compression;
  /** The RdbError iteration ended with, or null when the file parsed to the end. */
  error: RdbError | null;
}

/**
 * Parses a dump completely. Only RdbError is caught: anything else (TypeError, RangeError…) is a
 * parser crash and must fail the test.
 */
export async function parseDump(file: string, options: { compactLimits?: CompactLimits } = {}): Promise<ParsedDump> {
  const input = await openInput(file);
  const parse = parseRdb(input.chunks, { fileName: file, compactLimits: options.compactLimits });
  const records: KeyRecord[] = [];
  let error: RdbError | null = null;
  try {
    for await (const rec of parse) records.push(rec);
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    error = e;
  }
  return { records, info: parse.info, compression: input.compression, error };
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** `db:keyHex`, the identity of a key across tools. */
export function keyId(db: number, keyHex: string): string {
  return `${db}:${keyHex}`;
}

export function recordId(rec: KeyRecord): string {
  return keyId(rec.db, hex(rec.key));
}
