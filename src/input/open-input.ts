import type { Readable } from 'node:stream';

/** How the bytes on disk were wrapped. Detected from magic bytes, never from the file name. */
export type Compression = 'none' | 'gzip' | 'lz4';

export interface OpenedInput {
  /** Decompressed RDB bytes, in chunks. */
  chunks: AsyncIterable<Uint8Array>;
  compression: Compression;
  /** Size on disk (compressed), when the input is a file. */
  fileBytes: number | null;
  /** Bytes read from disk so far (for progress). */
  readonly bytesIn: () => number;
  mtimeMs: number | null;
  name: string;
}

// PLACEHOLDER signature; implemented with the parser.
export { openInput } from "./open-input-impl.js";
