import type { KeyRecord } from '../core/record.js';
import type { Store } from './open-store.js';

const COLUMNS = [
  'snapshot_id', 'db', 'key', 'key_printable', 'pattern', 'type', 'rdb_type', 'encoding', 'elements',
  'value_bytes', 'memory_bytes', 'largest_element', 'expire_at_ms', 'idle', 'freq', 'fields_with_ttl',
  'stream_groups', 'stream_pending',
] as const;

/**
 * Rows per INSERT statement: one multi-row statement amortises the per-statement cost of SQLite and
 * of the JS↔C boundary (18 columns × 200 rows = 3600 parameters, well under SQLite's 32766).
 */
export const ROWS_PER_STATEMENT = 200;

type Param = number | string | Buffer | null;

/** Buffers key rows and writes them with prepared multi-row INSERTs. Call `flush()` before commit. */
export class KeyInserter {
  private readonly many: ReturnType<Store['prepare']>;
  private readonly one: ReturnType<Store['prepare']>;
  private readonly params: Param[] = [];
  private pending = 0;

  constructor(db: Store, private readonly snapshotId: number) {
    const row = `(${COLUMNS.map(() => '?').join(',')})`;
    const head = `INSERT INTO keys (${COLUMNS.join(',')}) VALUES `;
    this.many = db.prepare(head + Array.from({ length: ROWS_PER_STATEMENT }, () => row).join(','));
    this.one = db.prepare(head + row);
  }

  add(rec: KeyRecord, pattern: string): void {
    // A copy: rows wait here across parser batches, and the parser may reuse its buffers.
    const key = Buffer.from(rec.key);
    // Printable text differs in length from the bytes unless the key is plain ASCII: UTF-8 decoding
    // shortens, escaping lengthens. Plain keys are then stored once, as bytes.
    const printable = rec.keyPrintable.length === rec.key.length ? null : rec.keyPrintable;
    this.params.push(
      this.snapshotId, rec.db, key, printable, pattern, rec.type, rec.rdbType,
      rec.memory?.encoding ?? null, rec.elements, rec.valueBytes, rec.memory?.bytes ?? null,
      rec.largestElementBytes, rec.expireAtMs, rec.idleSeconds, rec.lfuFreq, rec.fieldsWithTtl ?? null,
      rec.stream?.groups ?? null, rec.stream?.pending ?? null,
    );
    if (++this.pending === ROWS_PER_STATEMENT) {
      this.many.run(this.params);
      this.params.length = 0;
      this.pending = 0;
    }
  }

  flush(): void {
    const width = COLUMNS.length;
    for (let i = 0; i < this.pending; i++) this.one.run(this.params.slice(i * width, (i + 1) * width));
    this.params.length = 0;
    this.pending = 0;
  }
}
