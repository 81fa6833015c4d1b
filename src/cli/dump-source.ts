import { openInput, type OpenedInput } from '../input/open-input.js';
import { compactLimitsForSpec } from '../store/memory-spec.js';
import { parseRdb, type CompactLimits, type RdbParse } from '../rdb/index.js';

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
  compactLimits: CompactLimits = compactLimitsForSpec(null),
  relaxedVersionCheck = false,
): Promise<DumpSource> {
  const input = file === '-' ? await openInput(process.stdin, '<stdin>') : await openInput(file, undefined, { crcThread: verifyChecksum });
  const parse = parseRdb(input.chunks, { fileName: input.name, verifyChecksum, compactLimits, checksumSource: input.checksumSource, relaxedVersionCheck });
  return { input, parse };
}
