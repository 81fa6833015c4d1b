import type { Store } from './open-store.js';
import { N_ACCESS, N_ELEMENTS, N_EXPIRE, N_KIND, N_LARGEST, N_MEMORY, N_PATTERN, N_VALUE_BYTES, NUMS, type RowBatch } from './row-batch.js';

/** Every row: the snapshot id is a literal of the prepared statements, not a parameter. */
const LEAN = ['key', 'pattern_id', 'kind_id', 'elements', 'value_bytes', 'memory_bytes', 'largest_element', 'expire_at_ms', 'access'] as const;
/** Rows with printable text or stream / field-TTL counters (rare) also bind these. */
const FULL = [...LEAN, 'key_printable', 'extra'] as const;

/**
 * Rows per INSERT statement: one multi-row statement amortises the per-statement cost of SQLite and
 * of the JS↔C boundary (11 columns × 200 rows = 2200 parameters, well under SQLite's 32766). Binding
 * is the main cost of an insert, so the snapshot id is inlined and most rows bind 9 values.
 */
export const ROWS_PER_STATEMENT = 200;

type Param = number | string | Buffer | null;

/**
 * Global (database-wide) dictionaries: pattern text → patterns.id and kind → key_kinds.id. Cached per
 * connection; the pattern cache is bounded (cleared when full, misses go to SQLite's UNIQUE index).
 * Ids written inside a transaction that is later rolled back must be forgotten: call `forget()`.
 */
export class Dictionaries {
  static readonly PATTERN_CACHE_LIMIT = 100_000;
  private readonly patterns = new Map<string, number>();
  private readonly kinds = new Map<string, number>();
  private readonly findPattern;
  private readonly addPattern;
  private readonly findKind;
  private readonly addKind;

  constructor(db: Store) {
    this.findPattern = db.prepare('SELECT id FROM patterns WHERE pattern = ?').pluck();
    this.addPattern = db.prepare('INSERT INTO patterns (pattern) VALUES (?)');
    this.findKind = db.prepare('SELECT id FROM key_kinds WHERE db = ? AND type = ? AND rdb_type = ? AND encoding IS ?').pluck();
    this.addKind = db.prepare('INSERT INTO key_kinds (db, type, rdb_type, encoding) VALUES (?, ?, ?, ?)');
  }

  pattern(text: string): number {
    let id = this.patterns.get(text);
    if (id !== undefined) return id;
    id = (this.findPattern.get(text) as number | undefined) ?? Number(this.addPattern.run(text).lastInsertRowid);
    if (this.patterns.size >= Dictionaries.PATTERN_CACHE_LIMIT) this.patterns.clear();
    this.patterns.set(text, id);
    return id;
  }

  kind(db: number, type: string, rdbType: string, encoding: string | null): number {
    const k = `${db}\u0000${type}\u0000${rdbType}\u0000${encoding ?? '\u0001'}`;
    let id = this.kinds.get(k);
    if (id !== undefined) return id;
    id = (this.findKind.get(db, type, rdbType, encoding) as number | undefined) ?? Number(this.addKind.run(db, type, rdbType, encoding).lastInsertRowid);
    this.kinds.set(k, id);
    return id;
  }

  forget(): void {
    this.patterns.clear();
    this.kinds.clear();
  }
}

const dictionaries = new WeakMap<Store, Dictionaries>();

export function dictionariesOf(db: Store): Dictionaries {
  let d = dictionaries.get(db);
  if (d === undefined) dictionaries.set(db, (d = new Dictionaries(db)));
  return d;
}

/**
 * Writes the RowBatches of one snapshot with prepared multi-row INSERTs, mapping the batch's local
 * dictionary ids to database ids. Rows are inserted in order; consecutive rows of the same shape (lean
 * or full) share a statement. Call `flush()` before the snapshot's final commit.
 */
export class KeyInserter {
  private readonly statements = new Map<number, ReturnType<Store['prepare']>>();
  private readonly params: Param[] = [];
  private pending = 0;
  private pendingFull = false;
  private patternIds: number[] = [];
  private readonly kindIds: number[] = [];
  private readonly dict: Dictionaries;
  private readonly lean: ReturnType<Store['prepare']>;
  private readonly full: ReturnType<Store['prepare']>;
  rows = 0;
  /** Row-id range of the rows written so far (null before the first): the snapshot's first_row/last_row. */
  firstRow: number | null = null;
  lastRow: number | null = null;

  constructor(private readonly db: Store, private readonly snapshotId: number) {
    if (!Number.isSafeInteger(snapshotId)) throw new Error(`bad snapshot id ${snapshotId}`);
    this.dict = dictionariesOf(db);
    this.lean = this.statement(false, ROWS_PER_STATEMENT);
    this.full = this.statement(true, ROWS_PER_STATEMENT);
  }

  private statement(full: boolean, rows: number): ReturnType<Store['prepare']> {
    const key = (full ? 1 : 0) + rows * 2;
    let stmt = this.statements.get(key);
    if (stmt === undefined) {
      const cols = full ? FULL : LEAN;
      const row = `(${this.snapshotId},${cols.map(() => '?').join(',')})`;
      stmt = this.db.prepare(`INSERT INTO key_rows (snapshot_id,${cols.join(',')}) VALUES ` + Array.from({ length: rows }, () => row).join(','));
      this.statements.set(key, stmt);
    }
    return stmt;
  }

  add(b: RowBatch): void {
    if (b.resetPatterns) this.patternIds = [];
    for (const p of b.newPatterns) this.patternIds.push(this.dict.pattern(p));
    for (const k of b.newKinds) this.kindIds.push(this.dict.kind(k.db, k.type, k.rdbType, k.encoding));
    const patternIds = this.patternIds;
    const kindIds = this.kindIds;
    const nums = b.nums;
    const keyBuf = Buffer.from(b.keyBytes.buffer, b.keyBytes.byteOffset, b.keyBytes.byteLength);
    const ends = b.keyEnds;
    const params = this.params;
    const printable = b.printable;
    const extra = b.extra;
    let pi = 0;
    let ei = 0;
    let start = 0;
    for (let i = 0; i < b.n; i++) {
      const o = i * NUMS;
      const end = ends[i]!;
      let text: string | null = null;
      if (pi < printable.length && printable[pi]![0] === i) text = printable[pi++]![1];
      let x: string | null = null;
      if (ei < extra.length && extra[ei]![0] === i) x = extra[ei++]![1];
      const full = text !== null || x !== null;
      if (full !== this.pendingFull) {
        this.flush();
        this.pendingFull = full;
      }
      const memory = nums[o + N_MEMORY]!;
      const expire = nums[o + N_EXPIRE]!;
      const access = nums[o + N_ACCESS]!;
      params.push(
        keyBuf.subarray(start, end), patternIds[nums[o + N_PATTERN]!]!, kindIds[nums[o + N_KIND]!]!,
        nums[o + N_ELEMENTS]!, nums[o + N_VALUE_BYTES]!, memory === memory ? memory : null, nums[o + N_LARGEST]!,
        expire === expire ? expire : null, access === access ? access : null,
      );
      if (full) params.push(text, x);
      start = end;
      if (++this.pending === ROWS_PER_STATEMENT) {
        this.written((full ? this.full : this.lean).run(params), ROWS_PER_STATEMENT);
        params.length = 0;
        this.pending = 0;
      }
    }
    this.rows += b.n;
  }

  /**
   * One multi-row INSERT's rows get consecutive ids ending at lastInsertRowid (SQLite gives each new
   * row max(row_id) + 1), so the range of a snapshot's rows is known without reading them back.
   */
  private written(result: { lastInsertRowid: number | bigint }, rows: number): void {
    const last = Number(result.lastInsertRowid);
    this.firstRow ??= last - rows + 1;
    this.lastRow = last;
  }

  /** Writes the rows still buffered. */
  flush(): void {
    if (this.pending > 0) this.written(this.statement(this.pendingFull, this.pending).run(this.params), this.pending);
    this.params.length = 0;
    this.pending = 0;
  }
}
