import { KEY_COLUMNS } from './columns.js';
import type { ColumnValues, ParquetFile } from './parquet-file.js';
import { TextBytes } from './text-bytes.js';

/** Rows per row group of keys.parquet: what the export holds in memory at most (docs/fleet.md). */
export const KEY_ROWS_PER_GROUP = 32_768;

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

const big = (n: number): bigint | null => (n === n ? BigInt(n) : null);
const int = (n: number): number | null => (n === n ? n : null);

/**
 * keys.parquet rows gathered column by column into one row group, written to the file when the group
 * is full (KEY_ROWS_PER_GROUP) and at the end: memory holds one group whatever the dump's size.
 */
export class KeyColumns {
  private readonly text = new TextBytes();
  private readonly snapshotId: Uint8Array;
  private cols: unknown[][] = [];
  private n = 0;

  constructor(private readonly file: ParquetFile, snapshotId: string, private readonly rowsPerGroup = KEY_ROWS_PER_GROUP) {
    this.snapshotId = this.text.of(snapshotId);
    this.reset();
  }

  private reset(): void {
    this.cols = KEY_COLUMNS.map(() => new Array<unknown>(0));
    this.n = 0;
  }

  push(r: KeyRowValues): void {
    const c = this.cols;
    c[0]!.push(this.snapshotId);
    c[1]!.push(r.db);
    c[2]!.push(r.key);
    c[3]!.push(r.keyText);
    c[4]!.push(this.text.of(r.pattern));
    c[5]!.push(this.text.of(r.type));
    c[6]!.push(this.text.of(r.rdbType));
    c[7]!.push(r.encoding === null ? null : this.text.of(r.encoding));
    c[8]!.push(BigInt(r.elements));
    c[9]!.push(BigInt(r.valueBytes));
    c[10]!.push(big(r.memoryBytes));
    c[11]!.push(BigInt(r.largestElementBytes));
    c[12]!.push(big(r.expireAtMs));
    c[13]!.push(big(r.idleSeconds));
    c[14]!.push(int(r.lfuFreq));
    c[15]!.push(big(r.fieldsWithTtl));
    c[16]!.push(big(r.streamGroups));
    c[17]!.push(big(r.streamPending));
    if (++this.n >= this.rowsPerGroup) this.flush();
  }

  /** Writes the rows gathered so far as a row group. */
  flush(): void {
    if (this.n === 0) return;
    this.file.writeGroup(this.cols as ColumnValues[]);
    this.reset();
  }
}
