import { openInput, type OpenedInput } from '../input/open-input.js';
import { NO_SIZING } from '../store/memory-spec.js';
import { parseRdb, type ListpackSizing, type RdbParse } from '../rdb/index.js';

export interface DumpSource {
  input: OpenedInput;
  parse: RdbParse;
}

/**
 * Opens a dump file (or `-` for stdin) and starts a parse of it. `listpackSizing`: the limits of
 * the memory model that will see the records (see ListpackSizing); without one nothing is sized.
 */
export async function openDump(file: string, verifyChecksum: boolean, listpackSizing: ListpackSizing = NO_SIZING): Promise<DumpSource> {
  const input = file === '-' ? await openInput(process.stdin, '<stdin>') : await openInput(file);
  const parse = parseRdb(input.chunks, { fileName: input.name, verifyChecksum, listpackSizing });
  return { input, parse };
}
