/**
 * The one error type for bad input. Every layer that reads user-supplied bytes throws this, so the
 * CLI can print one line (file, byte offset, key) and exit 1 instead of a stack trace.
 */
export type RdbErrorCode =
  | 'NOT_RDB' // magic is neither REDIS nor VALKEY (and no known compression wrapper)
  | 'UNSUPPORTED_VERSION' // a header version no release writes (src/rdb/versions.ts)
  | 'UNEXPECTED_EOF' // input ended inside a record or before the EOF opcode
  | 'UNKNOWN_OPCODE'
  | 'UNKNOWN_TYPE'
  | 'BAD_LENGTH' // invalid length encoding, or a length the input cannot contain
  | 'BAD_STRING' // invalid special string encoding
  | 'BAD_LZF'
  | 'BAD_ZIPLIST'
  | 'BAD_LISTPACK'
  | 'BAD_INTSET'
  | 'BAD_ZIPMAP'
  | 'BAD_QUICKLIST'
  | 'BAD_STREAM'
  | 'BAD_HASH'
  | 'BAD_MODULE'
  | 'BAD_ARRAY'
  | 'BAD_KEY_META'
  | 'MODULE_PRE_GA' // type 6: module values without opcodes cannot be skipped
  | 'CHECKSUM_MISMATCH'
  | 'BAD_COMPRESSION' // truncated or corrupt gzip / LZ4 frame
  | 'TOO_MANY_DBS' // keys in more databases than rdbscope keeps per-db figures for (MAX_DBS_WITH_KEYS)
  | 'IO'; // the file cannot be opened or read

export class RdbError extends Error {
  override readonly name = 'RdbError';
  /** Byte offset in the (decompressed) RDB stream where the fault was found, when known. */
  readonly offset: number | null;
  /** Printable form of the key being read when the fault was found, when known. */
  key: string | null;
  /** The file being read, filled in by whoever opened it. */
  file: string | null;

  constructor(
    readonly code: RdbErrorCode,
    readonly detail: string,
    offset: number | null = null,
    key: string | null = null,
    file: string | null = null,
  ) {
    super(detail);
    this.offset = offset;
    this.key = key;
    this.file = file;
    this.message = this.describe();
  }

  /** One line: `file: detail at byte N (key "k") [CODE]`. */
  describe(): string {
    const where = this.offset === null ? '' : ` at byte ${this.offset}`;
    const key = this.key === null ? '' : ` (key ${JSON.stringify(this.key)})`;
    const file = this.file === null ? '' : `${this.file}: `;
    return `${file}${this.detail}${where}${key} [${this.code}]`;
  }

  withFile(file: string): this {
    this.file = file;
    this.message = this.describe();
    return this;
  }

  withKey(key: string): this {
    if (this.key === null) this.key = key;
    this.message = this.describe();
    return this;
  }
}

/** The code an error line ends with (`… [CODE]`, RdbError.describe), as stored with a PARTIAL snapshot. */
export function errorCodeIn(line: string | null): string | null {
  return line === null ? null : (/\[([A-Z_]+)\]$/.exec(line)?.[1] ?? null);
}

/**
 * What a dump that stopped at a fault still gave: the keys before the fault, or, for a checksum
 * mismatch (found after the last key, at the trailer), every key, of content that may be corrupt.
 */
export function keysBeforeFault(code: string | null, keys: number): string {
  return code === 'CHECKSUM_MISMATCH'
    ? `all ${keys} keys read, but the checksum does not match: their content is suspect`
    : `${keys} keys read before the error`;
}

export function isRdbError(e: unknown): e is RdbError {
  return e instanceof RdbError;
}

/** An RdbError as plain data (postMessage drops the class), and back. */
export interface RdbErrorData {
  code: RdbErrorCode;
  detail: string;
  offset: number | null;
  key: string | null;
  file: string | null;
}

export function rdbErrorData(e: RdbError): RdbErrorData {
  return { code: e.code, detail: e.detail, offset: e.offset, key: e.key, file: e.file };
}

export function rdbErrorFrom(d: RdbErrorData): RdbError {
  return new RdbError(d.code, d.detail, d.offset, d.key, d.file);
}
