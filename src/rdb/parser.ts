import type { KeyRecord } from '../core/record.js';
import { RdbError } from '../core/errors.js';
import { emptyFileInfo, type RdbFileInfo } from './file-info.js';

export interface ParseOptions {
  /** Name used in error messages. */
  fileName?: string;
  /** Check the CRC64 trailer (default true). */
  verifyChecksum?: boolean;
}

// PLACEHOLDER: replaced by the real streaming parser (in progress).
export class RdbParse implements AsyncIterable<KeyRecord> {
  readonly info: RdbFileInfo = emptyFileInfo();
  constructor(
    private readonly source: AsyncIterable<Uint8Array>,
    private readonly options: ParseOptions = {},
  ) {}

  async *batches(): AsyncGenerator<KeyRecord[]> {
    void this.source;
    throw new RdbError('IO', 'parser not implemented yet', null, null, this.options.fileName ?? null);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<KeyRecord> {
    for await (const batch of this.batches()) yield* batch;
  }
}

export function parseRdb(source: AsyncIterable<Uint8Array>, options: ParseOptions = {}): RdbParse {
  return new RdbParse(source, options);
}
