import type { RdbError } from '../core/errors.js';

/** Everything a dump says besides its keys. Filled progressively while parsing. */
export interface RdbFileInfo {
  magic: 'REDIS' | 'VALKEY' | null;
  version: number | null;
  /** AUX fields in file order; values printable (UTF-8 or escaped). */
  aux: { key: string; value: string }[];
  /** RESIZEDB hints, one per db section. */
  resizeDb: { db: number; keys: number; expires: number }[];
  /** FUNCTION2 libraries (name from the `#!lua name=` shebang) and Redis ≤ 6.2 AUX `lua` scripts. */
  functions: { kind: 'library' | 'script'; engine: string; name: string; bytes: number }[];
  moduleAux: { module: string; encver: number; when: number; bytes: number }[];
  slotInfo: number; // SLOT_INFO records (Redis 7.4+ cluster) + Valkey AUX slot-info
  slotImports: number; // Valkey 9 SLOT_IMPORT records
  keys: number;
  keysPerDb: Map<number, number>;
  keysPerType: Map<string, number>;
  checksum: ChecksumOutcome;
  /** Bytes of the (decompressed) RDB stream consumed. */
  bytesRead: number;
  /** Bytes after the checksum (e.g. an AOF tail after an RDB preamble). */
  trailingBytes: number;
  complete: boolean;
  error: RdbError | null;
}

export type ChecksumOutcome =
  | { status: 'ok'; value: string }
  | { status: 'mismatch'; expected: string; actual: string }
  | { status: 'disabled' } // trailer is 0 (rdbchecksum no)
  | { status: 'absent' } // RDB < 5 has no checksum
  | { status: 'skipped' } // --no-verify
  | { status: 'unknown' }; // not reached

export function emptyFileInfo(): RdbFileInfo {
  return {
    magic: null,
    version: null,
    aux: [],
    resizeDb: [],
    functions: [],
    moduleAux: [],
    slotInfo: 0,
    slotImports: 0,
    keys: 0,
    keysPerDb: new Map(),
    keysPerType: new Map(),
    checksum: { status: 'unknown' },
    bytesRead: 0,
    trailingBytes: 0,
    complete: false,
    error: null,
  };
}

/** AUX value by name, or undefined. */
export function auxValue(info: RdbFileInfo, key: string): string | undefined {
  for (const a of info.aux) if (a.key === key) return a.value;
  return undefined;
}
