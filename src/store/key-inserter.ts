import type { Statement } from 'better-sqlite3';
import type { Store } from './open-store.js';
import { N_ACCESS, N_ELEMENTS, N_EXPIRE, N_KIND, N_LARGEST, N_MEMORY, N_OTHER_BUILD, N_PATTERN, N_VALUE_BYTES, NUMS, type RowBatch } from './row-batch.js';

/** Bound per row, in this order; the snapshot id is bound once per statement (@s). */
const COLUMNS = ['key', 'pattern_id', 'kind_id', 'elements', 'value_bytes', 'memory_bytes', 'largest_element', 'expire_at_ms', 'access', 'other_build_delta', 'key_printable', 'extra'] as const;
const MEMORY_COL = 5;
const EXPIRE_COL = 7;
const ACCESS_COL = 8;
const OTHER_BUILD_COL = 9;
const PRINTABLE_COL = 10;

/**
 * A statement's shape: which nullable columns are NULL in every one of its rows, and which columns
 * hold one value in every row. The first become the literal NULL, the second one named parameter
 * bound once for the statement, instead of a value bound per row: binding is the main cost of an
 * insert (~30–35 ns per value), and dumps have long runs of keys without TTL, LRU/LFU field,
 * printable text or extra counters, and of keys of one kind, one size, one pattern (a family of
 * tiny string keys binds 4 values per row instead of 8).
 */
const NO_MEMORY = 1;
const NO_EXPIRE = 2;
const NO_ACCESS = 4;
const NO_TEXT = 8; // neither key_printable nor extra
const NO_OTHER_BUILD = 16;
/** Shape bit of a column whose value is shared by every row: SHARED_BIT << (column - 1). */
const SHARED_BIT = 32;
/** The RowBatch number of each column that may be shared: columns 1 (pattern_id) to 6 (largest_element). */
const SHARED_NUMS = [N_PATTERN, N_KIND, N_ELEMENTS, N_VALUE_BYTES, N_MEMORY, N_LARGEST] as const;
type SharedColumn = 1 | 2 | 3 | 4 | 5 | 6;
const SHAPE_KEYS = SHARED_BIT << SHARED_NUMS.length;
/**
 * Shapes with shared columns prepared per connection at most; past it a statement binds its shared
 * values per row. Shared columns are used only in full statements: with NULL shapes (32) × lengths
 * (9) that bounds a connection to 304 INSERT statements (~30 KB of SQLite memory each).
 */
const SHARED_SHAPE_LIMIT = 16;

/**
 * Rows per INSERT statement: one multi-row statement amortises the per-statement cost of SQLite and
 * of the JS↔C boundary (at most 12 values × 200 rows = 2400 parameters, well under SQLite's 32766).
 */
export const ROWS_PER_STATEMENT = 200;

type Param = number | string | Uint8Array | null;

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

/** The named parameters of a row INSERT: the snapshot id, and each shared column's value. */
type Named = { s: number } & Record<(typeof COLUMNS)[SharedColumn], number | null>;
/** A row INSERT: the rows' values in order, and the named parameters. */
type InsertStatement = Statement<[Param[], Named]>;

const statementsOf = new WeakMap<Store, Map<number, InsertStatement>>();

/** The SQL of the row INSERT statements prepared on this connection so far (bounded by shapes × lengths; tests). */
export function insertStatementSql(db: Store): string[] {
  return [...(statementsOf.get(db)?.values() ?? [])].map((s) => s.source);
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
  private readonly named: Named;
  /** Database pattern id of each row of the batch being written. */
  private rowPatterns = new Float64Array(0);
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
    this.named = { s: snapshotId, pattern_id: null, kind_id: null, elements: null, value_bytes: null, memory_bytes: null, largest_element: null };
    let shared = statementsOf.get(db);
    if (shared === undefined) statementsOf.set(db, (shared = new Map()));
    this.statements = shared;
  }

  private statement(shape: number, rows: number): InsertStatement {
    const key = shape + rows * SHAPE_KEYS;
    let stmt = this.statements.get(key);
    if (stmt === undefined) {
      const nulls = new Set<number>();
      if (shape & NO_MEMORY) nulls.add(MEMORY_COL);
      if (shape & NO_EXPIRE) nulls.add(EXPIRE_COL);
      if (shape & NO_ACCESS) nulls.add(ACCESS_COL);
      if (shape & NO_OTHER_BUILD) nulls.add(OTHER_BUILD_COL);
      const cols = shape & NO_TEXT ? COLUMNS.slice(0, PRINTABLE_COL) : COLUMNS;
      const value = (c: number) => (nulls.has(c) ? 'NULL' : c > 0 && shape & (SHARED_BIT << (c - 1)) ? `@${cols[c]}` : '?');
      const row = `(@s,${cols.map((_, c) => value(c)).join(',')})`;
      stmt = this.db.prepare<[Param[], Named]>(`INSERT INTO key_rows (snapshot_id,${cols.join(',')}) VALUES ` + Array.from({ length: rows }, () => row).join(','));
      this.statements.set(key, stmt);
    }
    return stmt;
  }

  /**
   * The shared-column bits a full statement may use: `wanted` itself while the connection holds few
   * enough such shapes (SHARED_SHAPE_LIMIT), else none.
   */
  private sharedAllowed(shape: number, wanted: number): number {
    if (wanted === 0) return 0;
    if (this.statements.has(shape + wanted + ROWS_PER_STATEMENT * SHAPE_KEYS)) return wanted;
    // Each such shape has one statement (full length only): count them.
    let shapes = 0;
    for (const key of this.statements.keys()) if (key % SHAPE_KEYS >= SHARED_BIT) shapes++;
    return shapes < SHARED_SHAPE_LIMIT ? wanted : 0;
  }

  /** `resolved`: the pattern of each row of a deferred batch (WriterAggregation.take), else null. */
  add(b: RowBatch, resolved: readonly string[] | null = null): void {
    if (b.resetPatterns) this.patternIds = [];
    for (const p of b.newPatterns) this.patternIds.push(this.dict.pattern(p));
    for (const k of b.newKinds) this.kindIds.push(this.dict.kind(k.db, k.type, k.rdbType, k.encoding));
    const kindIds = this.kindIds;
    const nums = b.nums;
    // Dictionary ids mapped to the database's once, in place: the shape and the rows read them.
    if (this.rowPatterns.length < b.n) this.rowPatterns = new Float64Array(Math.max(b.n, 2 * this.rowPatterns.length));
    const rowPatterns = this.rowPatterns;
    for (let i = 0; i < b.n; i++) rowPatterns[i] = resolved !== null ? this.dict.pattern(resolved[i]!) : this.patternIds[nums[i * NUMS + N_PATTERN]!]!;
    // Keys bound as plain Uint8Array views (a BLOB to better-sqlite3 like a Buffer): Buffer#subarray
    // goes through Buffer's species constructor, ~40 ns more a row.
    const keyArray = b.keyBytes.buffer;
    const keyBase = b.keyBytes.byteOffset;
    const ends = b.keyEnds;
    const params = this.params;
    const named = this.named;
    const printable = b.printable;
    const extra = b.extra;
    let pi = 0;
    let ei = 0;
    let start = 0;
    for (let first = 0; first < b.n; ) {
      const rows = statementRows(b.n - first);
      const last = first + rows;
      // The shape: a column is bound when any row of the statement has a value (NaN = none), and
      // bound once when every row has the first row's value.
      let shape = NO_MEMORY | NO_EXPIRE | NO_ACCESS | NO_OTHER_BUILD;
      // Only full statements share columns (bounds the statements prepared, SHARED_SHAPE_LIMIT).
      let shared = rows === ROWS_PER_STATEMENT ? SHAPE_KEYS - SHARED_BIT : 0;
      const o0 = first * NUMS;
      for (let i = first; i < last; i++) {
        const o = i * NUMS;
        if (nums[o + N_MEMORY] === nums[o + N_MEMORY]) shape &= ~NO_MEMORY;
        if (nums[o + N_EXPIRE] === nums[o + N_EXPIRE]) shape &= ~NO_EXPIRE;
        if (nums[o + N_ACCESS] === nums[o + N_ACCESS]) shape &= ~NO_ACCESS;
        if (nums[o + N_OTHER_BUILD] === nums[o + N_OTHER_BUILD]) shape &= ~NO_OTHER_BUILD;
        if (shared !== 0) {
          if (rowPatterns[i] !== rowPatterns[first]) shared &= ~SHARED_BIT;
          // NaN (NULL) differs from everything, itself included: never a shared value.
          for (let c = 1; c < SHARED_NUMS.length; c++) if (nums[o + SHARED_NUMS[c]!] !== nums[o0 + SHARED_NUMS[c]!]) shared &= ~(SHARED_BIT << c);
        }
      }
      const texts = (pi < printable.length && printable[pi]![0] < last) || (ei < extra.length && extra[ei]![0] < last);
      if (!texts) shape |= NO_TEXT;
      shared = this.sharedAllowed(shape, shared);
      shape |= shared;
      if (shared !== 0) {
        named.pattern_id = rowPatterns[first]!;
        named.kind_id = kindIds[nums[o0 + N_KIND]!]!;
        named.elements = nums[o0 + N_ELEMENTS]!;
        named.value_bytes = nums[o0 + N_VALUE_BYTES]!;
        named.memory_bytes = orNull(nums[o0 + N_MEMORY]!);
        named.largest_element = nums[o0 + N_LARGEST]!;
      }
      const bind = (col: number) => (shared & (SHARED_BIT << (col - 1))) === 0;
      const bindPattern = bind(1);
      const bindKind = bind(2);
      const bindElements = bind(3);
      const bindValueBytes = bind(4);
      const bindMemory = !(shape & NO_MEMORY) && bind(MEMORY_COL);
      const bindLargest = bind(6);
      for (let i = first; i < last; i++) {
        const o = i * NUMS;
        const end = ends[i]!;
        params.push(new Uint8Array(keyArray, keyBase + start, end - start));
        if (bindPattern) params.push(rowPatterns[i]!);
        if (bindKind) params.push(kindIds[nums[o + N_KIND]!]!);
        if (bindElements) params.push(nums[o + N_ELEMENTS]!);
        if (bindValueBytes) params.push(nums[o + N_VALUE_BYTES]!);
        if (bindMemory) params.push(orNull(nums[o + N_MEMORY]!));
        if (bindLargest) params.push(nums[o + N_LARGEST]!);
        if (!(shape & NO_EXPIRE)) params.push(orNull(nums[o + N_EXPIRE]!));
        if (!(shape & NO_ACCESS)) params.push(orNull(nums[o + N_ACCESS]!));
        if (!(shape & NO_OTHER_BUILD)) params.push(orNull(nums[o + N_OTHER_BUILD]!));
        if (texts) {
          params.push(pi < printable.length && printable[pi]![0] === i ? printable[pi++]![1] : null);
          params.push(ei < extra.length && extra[ei]![0] === i ? extra[ei++]![1] : null);
        }
        start = end;
      }
      this.written(this.statement(shape, rows).run(params, named), rows);
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
