import type { KeyRecord } from '../../src/core/record.js';
import { RdbError } from '../../src/core/errors.js';
import { parseRdb, type CompactLimits, type RdbFileInfo } from '../../src/rdb/index.js';

export interface BytesParse {
  records: KeyRecord[];
  info: RdbFileInfo;
  error: RdbError | null;
}

/** Feeds `bytes` to the parser in chunks of the given sizes (cycled), never all at once. */
export async function* chunked(bytes: Uint8Array, sizes: number[] = [bytes.length || 1]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]!);
    yield bytes.slice(at, at + n);
    at += n;
  }
}

/** Parses in-memory bytes; a thrown RdbError is returned, anything else is rethrown. */
export async function parseBytes(
  bytes: Uint8Array,
  opts: { chunkSizes?: number[]; verifyChecksum?: boolean; compactLimits?: CompactLimits } = {},
): Promise<BytesParse> {
  const parse = parseRdb(chunked(bytes, opts.chunkSizes), { fileName: 'test.rdb', verifyChecksum: opts.verifyChecksum ?? true, compactLimits: opts.compactLimits });
  const records: KeyRecord[] = [];
  let error: RdbError | null = null;
  try {
    for await (const rec of parse) records.push(rec);
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    error = e;
  }
  return { records, info: parse.info, error };
}
