import { isEmptyCollection, keyBufferOf, keyLengthOf, keyStartOf, type KeyRecord } from '../core/record.js';
import { toHex } from '../rdb/printable.js';
import { ascii, ByteLines, NUMBER_ROOM, putAscii, putBytes, putDigits, putHex, putHexPair, putHexQuad, putNum, putText } from './byte-lines.js';
// Not from csv-writer.ts, which loads csv-stringify: `keys` writes its CSV itself.
import { neutralizeFormula } from './formula-cells.js';
import { csvField } from './csv-field.js';
import { pythonIsoformat, RDBTOOLS_CSV_HEADER, RDBTOOLS_TYPE } from './rdbtools-csv.js';

/** The JSONL/CSV columns of `keys`: a public contract documented in README. */
export const KEY_COLUMNS = [
  'db', 'key', 'keyHex', 'type', 'rdbType', 'encoding', 'elements', 'valueBytes', 'memoryBytes',
  'largestElementBytes', 'expireAtMs', 'idleSeconds', 'lfuFreq', 'fieldsWithTtl', 'streamGroups', 'streamPending',
  'emptyDroppedOnLoad',
] as const;

export type KeyColumn = (typeof KEY_COLUMNS)[number];

/** One key as the contract's fields, in KEY_COLUMNS order: what each line of `keys` says. */
export function keyRow(rec: KeyRecord): Record<KeyColumn, string | number | boolean | null> {
  return {
    db: rec.db,
    key: rec.keyPrintable,
    keyHex: toHex(rec.key),
    type: rec.type,
    rdbType: rec.rdbType,
    encoding: rec.memory?.encoding ?? null,
    elements: rec.elements,
    valueBytes: rec.valueBytes,
    memoryBytes: rec.memory?.bytes ?? null,
    largestElementBytes: rec.largestElementBytes,
    expireAtMs: rec.expireAtMs,
    idleSeconds: rec.idleSeconds,
    lfuFreq: rec.lfuFreq,
    fieldsWithTtl: rec.fieldsWithTtl ?? null,
    streamGroups: rec.stream?.groups ?? null,
    streamPending: rec.stream?.pending ?? null,
    emptyDroppedOnLoad: isEmptyCollection(rec),
  };
}

/** An empty list/set/zset/hash, which a server drops on load (the `emptyDroppedOnLoad` column). */
const droppedOnLoad = (rec: KeyRecord): boolean => rec.elements === 0 && isEmptyCollection(rec);

export const KEY_LINE_FORMATS = ['jsonl', 'csv', 'rdbtools-csv'] as const;
export type KeyLineFormat = (typeof KEY_LINE_FORMATS)[number];

/**
 * Writes `keys` lines as bytes: the same text as JSON.stringify(keyRow(rec)) (jsonl), csv-stringify of
 * the keyRow cells with formulas neutralised (csv) and rdbtoolsCsvRow (rdbtools-csv), without a string
 * or object per cell. A key of printable ASCII without a backslash is its own printable text: its
 * bytes are copied as they lie (a quote or comma sends it the string way); any other key goes
 * through keyPrintable and the string rules.
 */
export interface KeyLineWriter {
  header(out: ByteLines): void;
  line(out: ByteLines, rec: KeyRecord): void;
}

export function keyLineWriter(format: KeyLineFormat): KeyLineWriter {
  switch (format) {
    case 'jsonl':
      return { header: () => undefined, line: jsonLine };
    case 'csv':
      return { header: (out) => out.lit(CSV_HEADER), line: csvLine };
    case 'rdbtools-csv':
      return { header: (out) => out.lit(RDBTOOLS_HEADER), line: rdbtoolsLine };
  }
}

// ---------------------------------------------------------------------------------------------
// The key's bytes and how they may be written.

/** Where the current key's bytes lie (ParsedKey: in the parser's buffer, read without a view). */
let keyBytes: Uint8Array = new Uint8Array(0);
let keyStart = 0;
let keyLength = 0;

function locateKey(rec: KeyRecord): void {
  keyBytes = keyBufferOf(rec);
  keyStart = keyStartOf(rec);
  keyLength = keyLengthOf(rec);
}

const PLAIN = 0; // printable ASCII, no backslash, no quote, no comma: the printable key is these bytes
const PLAIN_WITH_QUOTE_OR_COMMA = 1; // printable ASCII, no backslash, but `"` or `,` (csv quotes it, JSON escapes `"`)
const OTHER = 2; // anything else: the printable key is UTF-8 text or redis-cli escapes (printable())

/**
 * Per byte value, what it makes a key: PLAIN, PLAIN_WITH_QUOTE_OR_COMMA or OTHER. OR-ed over a
 * key's bytes (OTHER wins), the key's class.
 */
const BYTE_CLASS = Uint8Array.from({ length: 256 }, (_, b) => (b < 0x20 || b >= 0x7f || b === 0x5c ? OTHER : b === 0x22 || b === 0x2c ? PLAIN_WITH_QUOTE_OR_COMMA : PLAIN));

/**
 * The located key's bytes at buf[p] and their hex at buf[h] (past the key), in one pass, and the
 * key's class. Written whatever the class; a key that is not PLAIN is then written again the string
 * way over the same bytes. Two key bytes per step, their four hex digits in one 32-bit store (the
 * stores, not the lookups, are what a long key costs).
 */
function putKeyAndHex(out: ByteLines, p: number, h: number): number {
  const buf = out.buf;
  const view = out.view;
  const src = keyBytes;
  const start = keyStart;
  const n = keyLength;
  let cls = PLAIN;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a = src[start + i]!;
    const b = src[start + i + 1]!;
    buf[p + i] = a;
    buf[p + i + 1] = b;
    cls |= BYTE_CLASS[a]! | BYTE_CLASS[b]!;
    putHexQuad(view, h + 2 * i, a, b);
  }
  if (i < n) {
    const b = src[start + i]!;
    buf[p + i] = b;
    cls |= BYTE_CLASS[b]!;
    putHexPair(view, h + 2 * i, b);
  }
  return cls & OTHER ? OTHER : cls;
}

/**
 * The located key's bytes at buf[p], and its class: putKeyAndHex without the hex, as a loop of its
 * own (one loop for both would test per byte whether to write the hex).
 */
function putKeyAndClass(buf: Uint8Array, p: number): number {
  const src = keyBytes;
  const start = keyStart;
  let cls = PLAIN;
  for (let i = 0; i < keyLength; i++) {
    const b = src[start + i]!;
    buf[p + i] = b;
    cls |= BYTE_CLASS[b]!;
  }
  return cls & OTHER ? OTHER : cls;
}

/**
 * Bytes of a key's text in UTF-8, at most: 3 a character for a short text, counted for a long one
 * (a key of 100 MB would otherwise ask for a line buffer three times the size of its text).
 */
function textRoom(text: string): number {
  return text.length < 1 << 16 ? 3 * text.length : Buffer.byteLength(text, 'utf8');
}

/** Formula starters neutralizeFormula prefixes with `'` (\t and \r are not printable ASCII). */
function startsFormula(): boolean {
  if (keyLength === 0) return false;
  const c = keyBytes[keyStart]!;
  return c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40;
}

// ---------------------------------------------------------------------------------------------
// Cells that depend on the key's kind only (types, encodings: a handful per dump).

/**
 * The constant text between two variable parts of a line that depends on the key's type, file
 * encoding and memory encoding only: made once per combination. Found by the record's RDB type id
 * and a few identity comparisons: an id has one type and file encoding (a module's type name
 * aside) and one to three memory encodings, whose strings are the model's constants. Nested maps
 * of strings cost ~40 ns a line on the mixed bench dump, whose keys change kind at almost every line.
 */
class KindPieces {
  /** Per RDB type id, the pieces made so far. */
  private readonly byTypeId: KindPiece[][] = Array.from({ length: 256 }, () => []);

  constructor(private readonly make: (type: string, rdbType: string, encoding: string | null) => string) {}

  of(typeId: number, type: string, rdbType: string, encoding: string | null): Uint8Array {
    const made = this.byTypeId[typeId & 255]!;
    for (let i = 0; i < made.length; i++) {
      const k = made[i]!;
      if (k.encoding === encoding && k.type === type && k.rdbType === rdbType) return k.piece;
    }
    const piece = ascii(this.make(type, rdbType, encoding));
    made.push({ type, rdbType, encoding, piece });
    return piece;
  }
}

interface KindPiece {
  readonly type: string;
  readonly rdbType: string;
  readonly encoding: string | null;
  readonly piece: Uint8Array;
}

/**
 * Where the previous line's middle (its kind piece through its largest-element cell; in JSON up to
 * the expiry's value) lies in the output buffer, and the values it was written from. Dumps come in
 * runs of alike keys (one type, encoding and size: counters, flags, fixed-size tokens), and the
 * next line of such a run copies those bytes with one copyWithin instead of writing four numbers
 * and five pieces. After a flush the bytes are gone from the buffer: the next line writes its
 * middle again.
 */
class LastMiddle {
  private out: ByteLines | null = null;
  private flushes = -1;
  private start = 0;
  private end = 0;
  private kind: Uint8Array | null = null;
  private elements = 0;
  private valueBytes = 0;
  private memoryBytes = 0;
  private largest = 0;

  /** `write` writes a middle at buf[p] and returns the position after it; one per format. */
  constructor(private readonly write: (buf: Uint8Array, p: number, kind: Uint8Array, rec: KeyRecord) => number) {}

  /** rec's middle at out.buf[p]: copied when the last line had the same, else written. The position after it. */
  put(out: ByteLines, p: number, kind: Uint8Array, rec: KeyRecord): number {
    const memoryBytes = rec.memory ? rec.memory.bytes : -1;
    if (out === this.out && out.flushes === this.flushes && kind === this.kind && rec.elements === this.elements && rec.valueBytes === this.valueBytes && memoryBytes === this.memoryBytes && rec.largestElementBytes === this.largest) {
      out.buf.copyWithin(p, this.start, this.end);
      return p + this.end - this.start;
    }
    const end = this.write(out.buf, p, kind, rec);
    this.out = out;
    this.flushes = out.flushes;
    this.start = p;
    this.end = end;
    this.kind = kind;
    this.elements = rec.elements;
    this.valueBytes = rec.valueBytes;
    this.memoryBytes = memoryBytes;
    this.largest = rec.largestElementBytes;
    return end;
  }
}

/** csv-stringify's quoting of one cell (delimiter `,`, quote `"`, line breaks `\n` and `\r`): csvField's rule. */
const csvQuoted = csvField;

// ---------------------------------------------------------------------------------------------
// jsonl: JSON.stringify(keyRow(rec)).

const QUOTE = 0x22;

const J = {
  db: ascii('{"db":'),
  key: ascii(',"key":'),
  keyHex: ascii(',"keyHex":"'),
  quoteKeyHex: ascii('","keyHex":"'),
  valueBytes: ascii(',"valueBytes":'),
  memoryBytes: ascii(',"memoryBytes":'),
  largest: ascii(',"largestElementBytes":'),
  expireAtMs: ascii(',"expireAtMs":'),
  idleSeconds: ascii(',"idleSeconds":'),
  lfuFreq: ascii(',"lfuFreq":'),
  fieldsWithTtl: ascii(',"fieldsWithTtl":'),
  streamGroups: ascii(',"streamGroups":'),
  streamPending: ascii(',"streamPending":'),
  end: ascii(',"emptyDroppedOnLoad":false}\n'),
  endDropped: ascii(',"emptyDroppedOnLoad":true}\n'),
  null: ascii('null'),
  // The common end of a line: no LRU/LFU, no field TTLs, not a stream (and no expiry).
  nullTail: ascii(',"idleSeconds":null,"lfuFreq":null,"fieldsWithTtl":null,"streamGroups":null,"streamPending":null,"emptyDroppedOnLoad":false}\n'),
  nullTailDropped: ascii(',"idleSeconds":null,"lfuFreq":null,"fieldsWithTtl":null,"streamGroups":null,"streamPending":null,"emptyDroppedOnLoad":true}\n'),
  nullExpiryTail: ascii('null,"idleSeconds":null,"lfuFreq":null,"fieldsWithTtl":null,"streamGroups":null,"streamPending":null,"emptyDroppedOnLoad":false}\n'),
  nullExpiryTailDropped: ascii('null,"idleSeconds":null,"lfuFreq":null,"fieldsWithTtl":null,"streamGroups":null,"streamPending":null,"emptyDroppedOnLoad":true}\n'),
};

/** A JSON number as JSON.stringify writes it (null for NaN and infinities, absent values). */
function putJsonNum(buf: Uint8Array, p: number, n: number | null | undefined): number {
  if (n === null || n === undefined || !Number.isFinite(n)) return putBytes(buf, p, J.null);
  return putNum(buf, p, n);
}

/** Room of a line besides its key and kind piece: the constant pieces and 10 numbers. */
const JSON_ROOM = 288 + 10 * NUMBER_ROOM;

/** `","type":…,"rdbType":…,"encoding":…,"elements":` (from the end of keyHex to the first number). */
const jsonKind = new KindPieces((type, rdbType, encoding) =>
  `","type":${JSON.stringify(type)},"rdbType":${JSON.stringify(rdbType)},"encoding":${encoding === null ? 'null' : JSON.stringify(encoding)},"elements":`);

/** `{"db":N,"key":` for the first dbs. */
const jsonStart = Array.from({ length: 16 }, (_, db) => ascii(`{"db":${db},"key":`));

/** From the kind piece to `"expireAtMs":`. */
const jsonMiddle = new LastMiddle((buf, p, kind, rec) => {
  p = putBytes(buf, p, kind);
  p = putJsonNum(buf, p, rec.elements);
  p = putBytes(buf, p, J.valueBytes);
  p = putJsonNum(buf, p, rec.valueBytes);
  p = putBytes(buf, p, J.memoryBytes);
  p = putJsonNum(buf, p, rec.memory ? rec.memory.bytes : null);
  p = putBytes(buf, p, J.largest);
  p = putJsonNum(buf, p, rec.largestElementBytes);
  return putBytes(buf, p, J.expireAtMs);
});

/** `{"db":N,"key":` at buf[p]. */
function jsonLineStart(buf: Uint8Array, p: number, db: number): number {
  if (db < jsonStart.length) return putBytes(buf, p, jsonStart[db]!);
  p = putBytes(buf, p, J.db);
  p = putNum(buf, p, db);
  return putBytes(buf, p, J.key);
}

function jsonLine(out: ByteLines, rec: KeyRecord): void {
  locateKey(rec);
  const m = rec.memory;
  const kind = jsonKind.of(rec.rdbTypeId, rec.type, rec.rdbType, m ? m.encoding : null);
  // Room for a PLAIN key: its bytes as they are, then their hex.
  out.room(JSON_ROOM + 3 * keyLength + kind.length);
  let buf = out.buf;
  let p = jsonLineStart(buf, out.pos, rec.db);
  buf[p++] = QUOTE;
  const hexAt = p + keyLength + J.quoteKeyHex.length;
  if (putKeyAndHex(out, p, hexAt) === PLAIN) {
    putBytes(buf, p + keyLength, J.quoteKeyHex);
    p = hexAt + 2 * keyLength;
  } else {
    const keyText = JSON.stringify(rec.keyPrintable);
    out.room(JSON_ROOM + textRoom(keyText) + 2 * keyLength + kind.length);
    buf = out.buf;
    p = putText(buf, jsonLineStart(buf, out.pos, rec.db), keyText);
    p = putBytes(buf, p, J.keyHex);
    p = putHex(buf, p, keyBytes, keyStart, keyLength);
  }
  p = jsonMiddle.put(out, p, kind, rec);
  const expireAtMs = rec.expireAtMs;
  const fieldsWithTtl = rec.fieldsWithTtl;
  const stream = rec.stream;
  const dropped = droppedOnLoad(rec);
  if (rec.idleSeconds === null && rec.lfuFreq === null && (fieldsWithTtl === undefined || fieldsWithTtl === null) && stream === undefined) {
    if (expireAtMs === null) {
      out.pos = putBytes(buf, p, dropped ? J.nullExpiryTailDropped : J.nullExpiryTail);
      return;
    }
    p = putJsonNum(buf, p, expireAtMs);
    out.pos = putBytes(buf, p, dropped ? J.nullTailDropped : J.nullTail);
    return;
  }
  p = putJsonNum(buf, p, expireAtMs);
  p = putBytes(buf, p, J.idleSeconds);
  p = putJsonNum(buf, p, rec.idleSeconds);
  p = putBytes(buf, p, J.lfuFreq);
  p = putJsonNum(buf, p, rec.lfuFreq);
  p = putBytes(buf, p, J.fieldsWithTtl);
  p = putJsonNum(buf, p, fieldsWithTtl);
  p = putBytes(buf, p, J.streamGroups);
  p = putJsonNum(buf, p, stream?.groups);
  p = putBytes(buf, p, J.streamPending);
  p = putJsonNum(buf, p, stream?.pending);
  out.pos = putBytes(buf, p, dropped ? J.endDropped : J.end);
}

// ---------------------------------------------------------------------------------------------
// csv: csv-stringify of [db, key, keyHex, type, rdbType, encoding, ...] with formula cells neutralised.

const CSV_HEADER = ascii(KEY_COLUMNS.map((c) => csvQuoted(c)).join(',') + '\n');
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const APOSTROPHE = 0x27;
/** The end of a line without LRU/LFU, field TTLs or stream counters: five empty cells, then emptyDroppedOnLoad. */
const CSV_NULL_TAIL = ascii(',,,,,,false\n');
const CSV_NULL_TAIL_DROPPED = ascii(',,,,,,true\n');
const CSV_END = ascii(',false\n');
const CSV_END_DROPPED = ascii(',true\n');

/** A number cell as csv-stringify casts it ('' + n), or empty for null. */
function putCsvNum(buf: Uint8Array, p: number, n: number | null | undefined): number {
  buf[p] = COMMA;
  return n === null || n === undefined ? p + 1 : putNum(buf, p + 1, n);
}

/** Room of a line besides its key and kind piece: 17 cells, 11 of them numbers. */
const CSV_ROOM = 40 + 11 * NUMBER_ROOM;

/** `,type,rdbType,encoding` (after keyHex). */
const csvKind = new KindPieces((type, rdbType, encoding) => `,${csvQuoted(neutralizeFormula(type))},${csvQuoted(rdbType)},${encoding === null ? '' : csvQuoted(neutralizeFormula(encoding))}`);

/** From the kind piece to the largest-element cell. */
const csvMiddle = new LastMiddle((buf, p, kind, rec) => {
  p = putBytes(buf, p, kind);
  p = putCsvNum(buf, p, rec.elements);
  p = putCsvNum(buf, p, rec.valueBytes);
  p = putCsvNum(buf, p, rec.memory ? rec.memory.bytes : null);
  return putCsvNum(buf, p, rec.largestElementBytes);
});

function csvLine(out: ByteLines, rec: KeyRecord): void {
  locateKey(rec);
  const m = rec.memory;
  const kind = csvKind.of(rec.rdbTypeId, rec.type, rec.rdbType, m ? m.encoding : null);
  // Room for a PLAIN key: an apostrophe if it starts a formula, its bytes as they are, then their hex.
  out.room(CSV_ROOM + 1 + 3 * keyLength + kind.length);
  let buf = out.buf;
  let p = putNum(buf, out.pos, rec.db);
  buf[p++] = COMMA;
  const keyAt = startsFormula() ? p + 1 : p;
  const hexAt = keyAt + keyLength + 1;
  if (putKeyAndHex(out, keyAt, hexAt) === PLAIN) {
    if (keyAt !== p) buf[p] = APOSTROPHE;
    buf[keyAt + keyLength] = COMMA;
    p = hexAt + 2 * keyLength;
  } else {
    const keyText = csvQuoted(neutralizeFormula(rec.keyPrintable));
    out.room(CSV_ROOM + textRoom(keyText) + 2 * keyLength + kind.length);
    buf = out.buf;
    p = putNum(buf, out.pos, rec.db);
    buf[p++] = COMMA;
    p = putText(buf, p, keyText);
    buf[p++] = COMMA;
    p = putHex(buf, p, keyBytes, keyStart, keyLength);
  }
  p = csvMiddle.put(out, p, kind, rec);
  p = putCsvNum(buf, p, rec.expireAtMs);
  const stream = rec.stream;
  const dropped = droppedOnLoad(rec);
  if (rec.idleSeconds === null && rec.lfuFreq === null && (rec.fieldsWithTtl === undefined || rec.fieldsWithTtl === null) && stream === undefined) {
    out.pos = putBytes(buf, p, dropped ? CSV_NULL_TAIL_DROPPED : CSV_NULL_TAIL);
    return;
  }
  p = putCsvNum(buf, p, rec.idleSeconds);
  p = putCsvNum(buf, p, rec.lfuFreq);
  p = putCsvNum(buf, p, rec.fieldsWithTtl);
  p = putCsvNum(buf, p, stream?.groups);
  p = putCsvNum(buf, p, stream?.pending);
  out.pos = putBytes(buf, p, dropped ? CSV_END_DROPPED : CSV_END);
}

// ---------------------------------------------------------------------------------------------
// rdbtools-csv: rdbtoolsCsvRow(rec).

const RDBTOOLS_HEADER = ascii(RDBTOOLS_CSV_HEADER);

/** Room of a line besides its key, type, encoding and expiry: 8 cells, 4 of them numbers. */
const RDBTOOLS_ROOM = 16 + 4 * NUMBER_ROOM;

/** `db,type,` at buf[p]. */
function rdbtoolsLineStart(buf: Uint8Array, p: number, db: number, type: Uint8Array): number {
  p = putNum(buf, p, db);
  buf[p++] = COMMA;
  p = putBytes(buf, p, type);
  buf[p++] = COMMA;
  return p;
}

function rdbtoolsLine(out: ByteLines, rec: KeyRecord): void {
  locateKey(rec);
  const m = rec.memory;
  const memoryEncoding = m ? m.encoding : null;
  const type = rdbtoolsType.of(rec.rdbTypeId, rec.type, rec.rdbType, memoryEncoding);
  const encoding = rdbtoolsEncoding.of(rec.rdbTypeId, rec.type, rec.rdbType, memoryEncoding);
  // Room for a PLAIN key, its bytes as they are.
  out.room(RDBTOOLS_ROOM + keyLength + type.length + encoding.length + ISO_ROOM);
  let buf = out.buf;
  let p = rdbtoolsLineStart(buf, out.pos, rec.db, type);
  if (putKeyAndClass(buf, p) === PLAIN) p += keyLength;
  else {
    const keyText = csvField(rec.keyPrintable);
    out.room(RDBTOOLS_ROOM + textRoom(keyText) + type.length + encoding.length + ISO_ROOM);
    buf = out.buf;
    p = putText(buf, rdbtoolsLineStart(buf, out.pos, rec.db, type), keyText);
  }
  buf[p++] = COMMA;
  p = putNum(buf, p, m?.bytes ?? rec.valueBytes);
  buf[p++] = COMMA;
  p = putBytes(buf, p, encoding);
  buf[p++] = COMMA;
  p = putNum(buf, p, rec.elements);
  buf[p++] = COMMA;
  p = putNum(buf, p, rec.largestElementBytes);
  buf[p++] = COMMA;
  if (rec.expireAtMs !== null) p = putPythonIso(buf, p, rec.expireAtMs);
  buf[p++] = NEWLINE;
  out.pos = p;
}

/** Room of pythonIsoformat's text: `YYYY-MM-DDTHH:MM:SS.ffffff`, or a number. */
const ISO_ROOM = Math.max(26, NUMBER_ROOM);
const MS_PER_DAY = 86_400_000;
/** 10000-01-01T00:00:00Z: the first time whose year needs five digits. */
const YEAR_10000_MS = 253_402_300_800_000;

/**
 * pythonIsoformat(ms) written digit by digit for times in years 1970–9999 (the civil date from the
 * day number by the usual era arithmetic of the proleptic Gregorian calendar); others through
 * pythonIsoformat itself.
 */
function putPythonIso(buf: Uint8Array, p: number, ms: number): number {
  if (!(ms >= 0 && ms < YEAR_10000_MS && Math.floor(ms) === ms)) return putAscii(buf, p, pythonIsoformat(ms));
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  // Days since 0000-03-01, in 400-year eras of 146 097 days; years start in March there.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  p = putDigits(buf, p, year, 4);
  buf[p++] = 0x2d;
  p = putDigits(buf, p, month, 2);
  buf[p++] = 0x2d;
  p = putDigits(buf, p, day, 2);
  buf[p++] = 0x54;
  p = putDigits(buf, p, hours, 2);
  buf[p++] = 0x3a;
  p = putDigits(buf, p, minutes, 2);
  buf[p++] = 0x3a;
  p = putDigits(buf, p, seconds, 2);
  if (millis === 0) return p;
  buf[p++] = 0x2e;
  return putDigits(buf, p, millis * 1000, 6);
}

/** The type cell: rdbtools' name for the type. */
const rdbtoolsType = new KindPieces((type) => RDBTOOLS_TYPE[type] ?? type);
/** The encoding cell: the memory encoding, else the RDB type, quoted as csv needs. */
const rdbtoolsEncoding = new KindPieces((_type, rdbType, encoding) => csvField(encoding ?? rdbType));
