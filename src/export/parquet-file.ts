import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { ByteWriter, ParquetWriter, type ColumnSource, type SchemaElement, type Writer } from 'hyparquet-writer';
import type { ColumnSpec } from './columns.js';

/**
 * One column's values for one row group: numbers for INT64, INT32 and TIMESTAMP (ms) columns (exact
 * up to 2^53), UTF-8 bytes for STRING and BINARY ones (Uint8Array; repeated values should be one
 * shared instance, see TextBytes); null where the column is nullable.
 */
export type ColumnValues = Float64Array | (number | null)[] | (Uint8Array | null)[];

/** Parquet compression of every column: Snappy is built into the writer and read by every engine. */
const CODEC = 'SNAPPY';
/** Bytes buffered before they go to the file. */
const FLUSH_BYTES = 1 << 20;

/** The Parquet schema element of a column (docs/fleet.md lists the resulting physical types). */
export function schemaElementOf(c: ColumnSpec): SchemaElement {
  const repetition_type = c.nullable ? 'OPTIONAL' : 'REQUIRED';
  switch (c.kind) {
    case 'int64': return { name: c.name, type: 'INT64', repetition_type };
    case 'int32': return { name: c.name, type: 'INT32', repetition_type };
    case 'string': return { name: c.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type };
    case 'binary': return { name: c.name, type: 'BYTE_ARRAY', repetition_type };
    case 'timestamp':
      return { name: c.name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' }, repetition_type };
  }
}

/**
 * A Parquet file written row group by row group to a temporary path and renamed to its final name
 * only by seal() then moveTo(): a process killed before that leaves the temporary file only, never a file under
 * the final name that looks whole. Row groups go to the file as they are written (a 1 MiB buffer), so
 * memory holds one row group at most.
 */
export class ParquetFile {
  private readonly fd: number;
  private readonly writer: ParquetWriter;
  private readonly bytes: Writer;
  private closed = false;
  rows = 0;

  constructor(readonly tempPath: string, private readonly columns: readonly ColumnSpec[], options: { statistics?: boolean } = {}) {
    this.statistics = options.statistics ?? true;
    // 'wx': the name is this run's own (partition.ts tempPathFor); a file already there is another
    // writer's, which truncating would corrupt.
    this.fd = openSync(tempPath, 'wx');
    this.bytes = fdWriter(this.fd);
    this.writer = new ParquetWriter({
      writer: this.bytes,
      schema: [{ name: 'schema', num_children: columns.length }, ...columns.map(schemaElementOf)],
      codec: CODEC,
      createdBy: 'rdbscope',
    });
  }

  /** Min/max per column chunk in the footer. */
  private readonly statistics: boolean;

  /** Writes one row group; `values[i]` are the values of column i, all of one length. */
  writeGroup(values: readonly ColumnValues[]): void {
    const n = values[0]?.length ?? 0;
    if (n === 0) return;
    const columnData: ColumnSource[] = this.columns.map((c, i) => ({
      name: c.name,
      data: values[i]!,
      nullable: c.nullable,
      statistics: this.statistics,
      // INT64 as delta-packed numbers: hyparquet-writer's PLAIN and dictionary INT64 pages take
      // BigInt values only (one allocation per value), its delta encoder takes numbers.
      ...(c.kind === 'int64' ? { encoding: 'DELTA_BINARY_PACKED' as const } : {}),
    }));
    void this.writer.write({ columnData, rowGroupSize: n });
    this.rows += n;
    this.compactMetadata();
  }

  private readonly shared = new Map<string, string[]>();

  /**
   * The footer's metadata is held until the end (it is written last): ~650 bytes of JS objects per
   * column chunk as the writer leaves it. Per row group just written, arrays equal in every group
   * (encodings, column path) are shared, and the writer's page-index entries that will write nothing
   * (no column index, offset index or bloom filter: one page per chunk) are dropped.
   */
  private compactMetadata(): void {
    const group = this.writer.row_groups.at(-1);
    for (const chunk of group?.columns ?? []) {
      const m = chunk.meta_data;
      if (m === undefined) continue;
      m.encodings = this.share(m.encodings) as typeof m.encodings;
      m.path_in_schema = this.share(m.path_in_schema);
    }
    this.writer.pendingIndexes = this.writer.pendingIndexes.filter(
      (p) => (p.columnIndex?.min_values.length ?? 0) > 1 || (p.offsetIndex?.page_locations.length ?? 0) > 1 || p.bloomFilter !== undefined,
    );
  }

  private share(a: string[]): string[] {
    const key = a.join('\u0000');
    let s = this.shared.get(key);
    if (s === undefined) this.shared.set(key, (s = a));
    return s;
  }

  /** Writes the footer and syncs the file to disk: whole, under its temporary name. */
  seal(): void {
    void this.writer.finish();
    fsyncSync(this.fd);
    this.close();
  }

  /** Renames the sealed file to `finalPath` (atomic on one filesystem). */
  moveTo(finalPath: string): void {
    renameSync(this.tempPath, finalPath);
  }

  /** Closes and removes the temporary file (an export that failed). */
  abort(): void {
    this.close();
    rmSync(this.tempPath, { force: true });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** The writer's byte sink on a file descriptor: bytes buffered up to FLUSH_BYTES, then written. */
function fdWriter(fd: number): Writer {
  const w = new ByteWriter(FLUSH_BYTES * 2) as unknown as Writer & { index: number };
  const flush = (): void => {
    let off = 0;
    while (off < w.index) off += writeSync(fd, new Uint8Array(w.buffer, off, w.index - off));
    w.index = 0;
  };
  const grow = w.ensure.bind(w);
  w.ensure = (size: number) => {
    if (w.index > FLUSH_BYTES) flush();
    grow(size);
  };
  w.flush = flush;
  w.finish = flush;
  return w;
}
