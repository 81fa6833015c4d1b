import type { Statement } from 'better-sqlite3';
import type { Store } from './open-store.js';
import { N_ACCESS, N_ELEMENTS, N_EXPIRE, N_KIND, N_LARGEST, N_MEMORY, N_PATTERN, N_VALUE_BYTES, NUMS, type RowBatch } from './row-batch.js';

/** Bound per row, in this order; the snapshot id is bound once per statement (@s). */
const COLUMNS = ['key', 'pattern_id', 'kind_id', 'elements', 'value_bytes', 'memory_bytes', 'largest_element', 'expire_at_ms', 'access', 'key_printable', 'extra'] as const;
const MEMORY_COL = 5;
const EXPIRE_COL = 7;
const ACCESS_COL = 8;
const PRINTABLE_COL = 9;

/**
 * A statement's shape: which nullable columns are NULL in every one of its rows. Those become the
 * literal NULL instead of a bound value: binding is the main cost of an insert (~35 ns per value),
 * and most dumps have runs of keys without TTL, without LRU/LFU field, without printable text or
 * extra counters.
 */
const NO_MEMORY = 1;
const NO_EXPIRE = 2;
const NO_ACCESS = 4;
const NO_TEXT = 8; // neither key_printable nor extra

/**
 * Rows per INSERT statement: one multi-row statement amortises the per-statement cost of SQLite and
 * of the JS↔C boundary (at most 11 values × 200 rows = 2200 parameters, well under SQLite's 32766).
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

/** A row INSERT: the rows' values in order, and the snapshot id. */
type InsertStatement = Statement<[Param[], { s: number }]>;

const statementsOf = new WeakMap<Store, Map<number, InsertStatement>>();

/** Row INSERT statements prepared on this connection so far (bounded by shapes × lengths; tests). */
export function insertStatementCount(db: Store): number {
  return statementsOf.get(db)?.size ?? 0;
}

/**
 * Writes the RowBatches of one snapshot with prepared multi-row INSERTs, mapping the batch's local
 * dictionary ids to database ids. Rows are written in order, ROWS_PER_STATEMENT at a time (the end of
 * a batch in shorter statements), each statement shaped by the columns its rows leave NULL. Nothing is held back between batches.
 */
export class KeyInserter {
  /**
   * Shared by every snapshot loaded through a connection: the snapshot id is a bound parameter (@s),
   * not a literal. Statements of their own per snapshot piled up over a load of many files (~30 KB
   * of SQLite memory each, never reclaimed while the writer's heap rarely runs a full GC).
   */
  private readonly statements: Map<number, InsertStatement>;
  private readonly params: Param[] = [];
  private readonly named: { s: number };
  private patternIds: number[] = [];
  private readonly kindIds: number[] = [];
  private readonly dict: Dictionaries;
  rows = 0;
  /** Row-id range of the rows written so far (null before the first): the snapshot's first_row/last_row. */
  firstRow: number | null = null;
  lastRow: number | null = null;

  constructor(private readonly db: Store, snapshotId: number) {
    if (!Number.isSafeInteger(snapshotId)) throw new Error(`bad snapshot id ${snapshotId}`);
    this.dict = dictionariesOf(db);
    this.named = { s: snapshotId };
    let shared = statementsOf.get(db);
    if (shared === undefined) statementsOf.set(db, (shared = new Map()));
    this.statements = shared;
  }

  private statement(shape: number, rows: number): InsertStatement {
    const key = shape + rows * 16;
    let stmt = this.statements.get(key);
    if (stmt === undefined) {
      const nulls = new Set<number>();
      if (shape & NO_MEMORY) nulls.add(MEMORY_COL);
      if (shape & NO_EXPIRE) nulls.add(EXPIRE_COL);
      if (shape & NO_ACCESS) nulls.add(ACCESS_COL);
      const cols = shape & NO_TEXT ? COLUMNS.slice(0, PRINTABLE_COL) : COLUMNS;
      const row = `(@s,${cols.map((_, c) => (nulls.has(c) ? 'NULL' : '?')).join(',')})`;
      stmt = this.db.prepare<[Param[], { s: number }]>(`INSERT INTO key_rows (snapshot_id,${cols.join(',')}) VALUES ` + Array.from({ length: rows }, () => row).join(','));
      this.statements.set(key, stmt);
    }
    return stmt;
  }

  /** `resolved`: the pattern of each row of a deferred batch (WriterAggregation.take), else null. */
  add(b: RowBatch, resolved: readonly string[] | null = null): void {
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
    for (let first = 0; first < b.n; ) {
      const last = first + statementRows(b.n - first);
      // The shape: a column is bound when any row of the statement has a value (NaN = none).
      let shape = NO_MEMORY | NO_EXPIRE | NO_ACCESS;
      for (let i = first; i < last; i++) {
        const o = i * NUMS;
        if (nums[o + N_MEMORY] === nums[o + N_MEMORY]) shape &= ~NO_MEMORY;
        if (nums[o + N_EXPIRE] === nums[o + N_EXPIRE]) shape &= ~NO_EXPIRE;
        if (nums[o + N_ACCESS] === nums[o + N_ACCESS]) shape &= ~NO_ACCESS;
      }
      const texts = (pi < printable.length && printable[pi]![0] < last) || (ei < extra.length && extra[ei]![0] < last);
      if (!texts) shape |= NO_TEXT;
      for (let i = first; i < last; i++) {
        const o = i * NUMS;
        const end = ends[i]!;
        const pattern = resolved !== null ? this.dict.pattern(resolved[i]!) : patternIds[nums[o + N_PATTERN]!]!;
        params.push(keyBuf.subarray(start, end), pattern, kindIds[nums[o + N_KIND]!]!, nums[o + N_ELEMENTS]!, nums[o + N_VALUE_BYTES]!);
        if (!(shape & NO_MEMORY)) params.push(orNull(nums[o + N_MEMORY]!));
        params.push(nums[o + N_LARGEST]!);
        if (!(shape & NO_EXPIRE)) params.push(orNull(nums[o + N_EXPIRE]!));
        if (!(shape & NO_ACCESS)) params.push(orNull(nums[o + N_ACCESS]!));
        if (texts) {
          params.push(pi < printable.length && printable[pi]![0] === i ? printable[pi++]![1] : null);
          params.push(ei < extra.length && extra[ei]![0] === i ? extra[ei++]![1] : null);
        }
        start = end;
      }
      this.written(this.statement(shape, last - first).run(params, this.named), last - first);
      params.length = 0;
      first = last;
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
}

/**
 * Rows in the next statement when `left` rows remain: a full statement, else the largest power of two
 * that fits, so at most 9 statement lengths per shape are ever prepared.
 */
function statementRows(left: number): number {
  if (left >= ROWS_PER_STATEMENT) return ROWS_PER_STATEMENT;
  return 2 ** Math.floor(Math.log2(left));
}

/** NaN (no value) as SQL NULL. */
function orNull(n: number): number | null {
  return n === n ? n : null;
}
