import { KEY_COLUMNS } from './columns.js';
import type { ColumnValues, ParquetFile } from './parquet-file.js';
import { ExportRefusal } from './partition.js';
import { TextBytes } from './text-bytes.js';

/**
 * Rows per row group of keys.parquet: what the export holds in memory at most. Smaller groups were
 * faster and smaller in memory (less of each group outlives the young generation); measured on the
 * mixed bench dump: 8 192 rows 142-150 MB peak RSS, 16 384 164 MB, 32 768 181 MB (docs/fleet.md).
 */
export const KEY_ROWS_PER_GROUP = 8_192;

/**
 * Bytes of key and key_text a row group holds at most before it is written, whatever its row count:
 * a key may be up to 512 MB (proto-max-bulk-len) and a binary one's printable text four times its
 * bytes, so a bound in rows alone bounded nothing (1 000 binary keys of 100 KB held 500 MB in one
 * group; 8 192 of them, an out-of-memory crash). One row larger than this is a group of its own.
 */
export const KEY_GROUP_BYTES = 16 << 20;

/** One key row in the units of keys.parquet; NaN = null for the nullable numbers. */
export interface KeyRowValues {
  db: number;
  key: Uint8Array;
  /** UTF-8 bytes of the printable text (the key bytes themselves for plain ASCII keys). */
  keyText: Uint8Array;
  pattern: string;
  type: string;
  rdbType: string;
  encoding: string | null;
  elements: number;
  valueBytes: number;
  memoryBytes: number;
  largestElementBytes: number;
  expireAtMs: number;
  idleSeconds: number;
  lfuFreq: number;
  fieldsWithTtl: number;
  streamGroups: number;
  streamPending: number;
}

/**
 * The largest double below 2^63. A signed 64-bit expiry read as a double rounds 2^63-1 (a server
 * takes PEXPIREAT up to that) to 2^63, past Parquet's INT64: such a time is written as this one.
 */
const INT64_MAX_DOUBLE = 9_223_372_036_854_774_784;
/** keys.parquet's db is INT32: a server numbers its databases with a C int (`databases`, rdb.c SELECTDB). */
const INT32_MAX = 2_147_483_647;

// Column indexes in KEY_COLUMNS order.
const [SNAPSHOT, DB, KEY, KEY_TEXT, PATTERN, TYPE, RDB_TYPE, ENCODING, ELEMENTS, VALUE_BYTES, MEMORY, LARGEST, EXPIRE, IDLE, FREQ, FIELDS_TTL,
  STREAM_GROUPS, STREAM_PENDING] = KEY_COLUMNS.map((_, i) => i) as number[];

/**
 * keys.parquet rows gathered column by column into one row group, written to the file when the group
 * is full (KEY_ROWS_PER_GROUP) and at the end: memory holds one group whatever the dump's size. The
 * column arrays are allocated once and overwritten group after group (the writer copies what it
 * keeps); required numbers live in Float64Arrays.
 */
export class KeyColumns {
  private readonly text = new TextBytes();
  private readonly snapshotId: Uint8Array;
  private readonly cols: (Float64Array | (number | Uint8Array | null)[])[];
  private n = 0;
  /** Key and key_text bytes of the rows gathered (KEY_GROUP_BYTES). */
  private bytes = 0;

  constructor(private readonly file: ParquetFile, snapshotId: string, private readonly rowsPerGroup = KEY_ROWS_PER_GROUP, private readonly groupBytes = KEY_GROUP_BYTES) {
    this.snapshotId = this.text.of(snapshotId);
    this.cols = KEY_COLUMNS.map((c) =>
      !c.nullable && (c.kind === 'int64' || c.kind === 'int32') ? new Float64Array(rowsPerGroup) : new Array<number | Uint8Array | null>(rowsPerGroup).fill(null),
    );
  }

  push(r: KeyRowValues): void {
    const c = this.cols;
    const i = this.n;
    const orNull = (v: number): number | null => (v === v ? v : null);
    c[SNAPSHOT]![i] = this.snapshotId;
    if (r.db > INT32_MAX) throw new ExportRefusal(`db ${r.db} does not fit keys.parquet's INT32 db column (a server numbers its databases below 2^31)`);
    c[DB]![i] = r.db;
    c[KEY]![i] = r.key;
    c[KEY_TEXT]![i] = r.keyText;
    c[PATTERN]![i] = this.text.of(r.pattern);
    c[TYPE]![i] = this.text.of(r.type);
    c[RDB_TYPE]![i] = this.text.of(r.rdbType);
    c[ENCODING]![i] = r.encoding === null ? null : this.text.of(r.encoding);
    c[ELEMENTS]![i] = r.elements;
    c[VALUE_BYTES]![i] = r.valueBytes;
    c[MEMORY]![i] = orNull(r.memoryBytes);
    c[LARGEST]![i] = r.largestElementBytes;
    c[EXPIRE]![i] = r.expireAtMs > INT64_MAX_DOUBLE ? INT64_MAX_DOUBLE : orNull(r.expireAtMs);
    c[IDLE]![i] = orNull(r.idleSeconds);
    c[FREQ]![i] = orNull(r.lfuFreq);
    c[FIELDS_TTL]![i] = orNull(r.fieldsWithTtl);
    c[STREAM_GROUPS]![i] = orNull(r.streamGroups);
    c[STREAM_PENDING]![i] = orNull(r.streamPending);
    this.bytes += r.key.length + r.keyText.length;
    if (++this.n >= this.rowsPerGroup || this.bytes >= this.groupBytes) this.flush();
  }

  /** Writes the rows gathered so far as a row group. */
  flush(): void {
    const n = this.n;
    if (n === 0) return;
    this.file.writeGroup(this.cols.map((c) => (n === this.rowsPerGroup ? c : c.slice(0, n))) as ColumnValues[]);
    // The written rows' keys are not kept alive by the arrays until overwritten.
    for (const c of this.cols) if (!(c instanceof Float64Array)) c.fill(null, 0, n);
    this.n = 0;
    this.bytes = 0;
  }
}
