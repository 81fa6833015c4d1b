import type { RdbError } from '../core/errors.js';

/** Everything a dump says besides its keys. Filled progressively while parsing. */
export interface RdbFileInfo {
  magic: 'REDIS' | 'VALKEY' | null;
  version: number | null;
  /**
   * The header's version is none that rdbscope knows and the file was read anyway (ParseOptions
   * relaxedVersionCheck): what follows may be misread.
   */
  unknownVersion: boolean;
  /**
   * AUX fields in file order; values printable (UTF-8 or escaped). The first MAX_KEPT_RECORDS, later
   * ones counted in `omitted.aux`. AUX `lua` fields (cached scripts) are in `functions`, not here.
   */
  aux: { key: string; value: string }[];
  /** RESIZEDB hints, one per db section (the first MAX_KEPT_RECORDS; see `omitted`). */
  resizeDb: { db: number; keys: number; expires: number }[];
  /**
   * FUNCTION2 libraries (name from the `#!lua name=` shebang), Redis 7.0 RC1/RC2 libraries (opcode
   * 246, `preRelease`) and Redis ≤ 6.2 AUX `lua` scripts (the first MAX_KEPT_RECORDS; see `omitted`).
   */
  functions: FunctionInfo[];
  /** MODULE_AUX records (the first MAX_KEPT_RECORDS; see `omitted`). */
  moduleAux: { module: string; encver: number; when: number; bytes: number }[];
  /**
   * Records of each list above read but not kept, past MAX_KEPT_RECORDS: a Redis 4.0-6.2 master saves
   * every cached script as an AUX `lua` field (a script-cache explosion gives millions), and damaged
   * input may hold any number of opcode records. Memory must not grow with them.
   */
  omitted: { aux: number; resizeDb: number; functions: number; moduleAux: number };
  slotInfo: number; // SLOT_INFO records (Redis 7.4+ cluster) + Valkey AUX slot-info
  slotImports: number; // Valkey 9 SLOT_IMPORT records
  keys: number;
  /** Lists, sets, zsets and hashes with no element (isEmptyCollection): a server drops them on load. */
  emptyKeys: number;
  /** Redis Enterprise opcodes skipped (107 RAM LRU, 121 slot number): opcode → records. */
  enterpriseOpcodes: Map<number, number>;
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

export interface FunctionInfo {
  kind: 'library' | 'script';
  engine: string;
  name: string;
  /** Bytes of the library code (FUNCTION2: the whole source, shebang included) or script body. */
  bytes: number;
  /** Redis 7.0 RC1/RC2 record (opcode 246): Redis 7.0.x reads it, 7.2 and later refuse the file. */
  preRelease?: true;
}

export type ChecksumOutcome =
  | { status: 'ok'; value: string }
  | { status: 'mismatch'; expected: string; actual: string }
  | { status: 'disabled' } // trailer is 0 (rdbchecksum no)
  | { status: 'absent' } // RDB < 5 has no checksum
  | { status: 'skipped' } // --no-verify
  | { status: 'unknown' }; // not reached

/** Entries kept per list of RdbFileInfo (aux, resizeDb, functions, moduleAux); later ones are counted. */
export const MAX_KEPT_RECORDS = 1000;

/**
 * Appends `entry` to info[list] while under MAX_KEPT_RECORDS, else counts it in info.omitted. Given
 * as a function, the entry is made only when kept (a script's SHA1, a value's printable text).
 */
export function keepRecord<L extends keyof RdbFileInfo['omitted']>(
  info: RdbFileInfo, list: L, entry: RdbFileInfo[L][number] | (() => RdbFileInfo[L][number]),
): void {
  const kept = info[list] as RdbFileInfo[L][number][];
  if (kept.length < MAX_KEPT_RECORDS) kept.push(typeof entry === 'function' ? entry() : entry);
  else info.omitted[list]++;
}

export function emptyFileInfo(): RdbFileInfo {
  return {
    magic: null,
    version: null,
    unknownVersion: false,
    aux: [],
    resizeDb: [],
    functions: [],
    moduleAux: [],
    omitted: { aux: 0, resizeDb: 0, functions: 0, moduleAux: 0 },
    slotInfo: 0,
    slotImports: 0,
    keys: 0,
    emptyKeys: 0,
    enterpriseOpcodes: new Map(),
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
