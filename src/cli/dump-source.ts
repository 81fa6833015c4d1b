import { openInput, type OpenedInput } from '../input/open-input.js';
// The default config from memory/config.js itself: `info` then loads no memory model (29 modules).
import { compactLimitsOf, DEFAULT_ENCODING_CONFIG } from '../memory/config.js';
import { parseRdb, type CompactLimits, type RdbParse } from '../rdb/index.js';
import { positionalBytes } from './argv-bytes.js';

export interface DumpSource {
  input: OpenedInput;
  parse: RdbParse;
}

/**
 * Opens a dump file (or `-` for stdin) and starts a parse of it. `compactLimits`: those of the memory
 * model that will see the records (see CompactLimits); by default the default config's.
 * `relaxedVersionCheck`: read a header version no release writes (ParseOptions).
 */
export async function openDump(
  file: string,
  verifyChecksum: boolean,
  compactLimits: CompactLimits = compactLimitsOf(DEFAULT_ENCODING_CONFIG),
  relaxedVersionCheck = false,
): Promise<DumpSource> {
  // A file name that is not UTF-8 is opened by the bytes the shell passed (Node's argv lost them).
  const input = file === '-' ? await openInput(process.stdin, '<stdin>') : await openInput(positionalBytes(file) ?? file, undefined, { crcThread: verifyChecksum });
  const parse = parseRdb(input.chunks, { fileName: input.name, verifyChecksum, compactLimits, checksumSource: input.checksumSource, relaxedVersionCheck });
  return { input, parse };
}
