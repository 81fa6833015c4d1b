import { openInput, type OpenedInput } from '../input/open-input.js';
import { parseRdb, type RdbParse } from '../rdb/index.js';

export interface DumpSource {
  input: OpenedInput;
  parse: RdbParse;
}

/** Opens a dump file (or `-` for stdin) and starts a parse of it. */
export async function openDump(file: string, verifyChecksum: boolean): Promise<DumpSource> {
  const input = file === '-' ? await openInput(process.stdin, '<stdin>') : await openInput(file);
  const parse = parseRdb(input.chunks, { fileName: input.name, verifyChecksum });
  return { input, parse };
}
