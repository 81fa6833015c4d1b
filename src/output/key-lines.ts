import type { KeyRecord } from '../core/record.js';
import { ParsedKey } from '../rdb/parsed-key.js';
import { toHex } from '../rdb/printable.js';
import { ascii, ByteLines } from './byte-lines.js';
import { neutralizeFormula } from './csv-writer.js';
import { csvField, pythonIsoformat, RDBTOOLS_CSV_HEADER, RDBTOOLS_TYPE } from './rdbtools-csv.js';

/** The JSONL/CSV columns of `keys`: a public contract documented in README. */
export const KEY_COLUMNS = [
  'db', 'key', 'keyHex', 'type', 'rdbType', 'encoding', 'elements', 'valueBytes', 'memoryBytes',
  'largestElementBytes', 'expireAtMs', 'idleSeconds', 'lfuFreq', 'fieldsWithTtl', 'streamGroups', 'streamPending',
] as const;

export type KeyColumn = (typeof KEY_COLUMNS)[number];

/** One key as the contract's fields, in KEY_COLUMNS order: what each line of `keys` says. */
export function keyRow(rec: KeyRecord): Record<KeyColumn, string | number | null> {
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
  };
}

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
  if (rec instanceof ParsedKey) {
    keyBytes = rec.keyBuf;
    keyStart = rec.keyStart;
    keyLength = rec.keyLength;
  } else {
    keyBytes = rec.key;
    keyStart = 0;
    keyLength = keyBytes.length;
  }
}

const PLAIN = 0; // printable ASCII, no backslash, no quote, no comma: the printable key is these bytes
const PLAIN_WITH_QUOTE_OR_COMMA = 1; // printable ASCII, no backslash, but `"` or `,` (csv quotes it, JSON escapes `"`)
const OTHER = 2; // anything else: the printable key is UTF-8 text or redis-cli escapes (printable())

/** Which of the above the located key is. */
function keyClass(): number {
  let cls = PLAIN;
  for (let i = keyStart, end = keyStart + keyLength; i < end; i++) {
    const b = keyBytes[i]!;
    if (b < 0x20 || b >= 0x7f || b === 0x5c) return OTHER;
    if (b === 0x22 || b === 0x2c) cls = PLAIN_WITH_QUOTE_OR_COMMA;
  }
  return cls;
}

/** Formula starters neutralizeFormula prefixes with `'` (\t and \r are not printable ASCII). */
function startsFormula(): boolean {
  if (keyLength === 0) return false;
  const c = keyBytes[keyStart]!;
  return c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40;
}

// ---------------------------------------------------------------------------------------------
// Cells cached per distinct string (types, encodings: a handful per dump).

function cache(make: (s: string) => string): (s: string) => Uint8Array {
  const m = new Map<string, Uint8Array>();
  return (s) => {
    let b = m.get(s);
    if (b === undefined) {
      b = ascii(make(s));
      m.set(s, b);
    }
    return b;
  };
}

/** csv-stringify's quoting of one cell (delimiter `,`, quote `"`, line breaks `\n` and `\r`): csvField's rule. */
const csvQuoted = csvField;

const csvNeutral = cache((s) => csvQuoted(neutralizeFormula(s)));
const csvPlain = cache(csvQuoted);
const jsonText = cache((s) => JSON.stringify(s));
const rdbtoolsCell = cache(csvField);

// ---------------------------------------------------------------------------------------------
// jsonl: JSON.stringify(keyRow(rec)).

const J = {
  db: ascii('{"db":'),
  key: ascii(',"key":"'),
  keyHex: ascii('","keyHex":"'),
  keyHexOther: ascii(',"keyHex":"'),
  type: ascii('","type":'),
  rdbType: ascii(',"rdbType":'),
  encoding: ascii(',"encoding":'),
  elements: ascii(',"elements":'),
  valueBytes: ascii(',"valueBytes":'),
  memoryBytes: ascii(',"memoryBytes":'),
  largest: ascii(',"largestElementBytes":'),
  expireAtMs: ascii(',"expireAtMs":'),
  idleSeconds: ascii(',"idleSeconds":'),
  lfuFreq: ascii(',"lfuFreq":'),
  fieldsWithTtl: ascii(',"fieldsWithTtl":'),
  streamGroups: ascii(',"streamGroups":'),
  streamPending: ascii(',"streamPending":'),
  end: ascii('}\n'),
  null: ascii('null'),
  // The common end of a line: no LRU/LFU, no field TTLs, not a stream.
  nullTail: ascii(',"idleSeconds":null,"lfuFreq":null,"fieldsWithTtl":null,"streamGroups":null,"streamPending":null}\n'),
};

/** A JSON number as JSON.stringify writes it (null for NaN and infinities), or null. */
function jsonNum(out: ByteLines, n: number | null | undefined): void {
  if (n === null || n === undefined || !Number.isFinite(n)) out.lit(J.null);
  else out.num(n);
}

function jsonLine(out: ByteLines, rec: KeyRecord): void {
  locateKey(rec);
  out.lit(J.db);
  out.num(rec.db);
  const cls = keyClass();
  if (cls === PLAIN) {
    out.lit(J.key);
    out.slice(keyBytes, keyStart, keyLength);
    out.lit(J.keyHex);
  } else {
    out.lit(J.key.subarray(0, J.key.length - 1));
    out.text(JSON.stringify(rec.keyPrintable));
    out.lit(J.keyHexOther);
  }
  out.hex(keyBytes, keyStart, keyLength);
  out.lit(J.type);
  out.lit(jsonText(rec.type));
  out.lit(J.rdbType);
  out.lit(jsonText(rec.rdbType));
  out.lit(J.encoding);
  const m = rec.memory;
  if (m) out.lit(jsonText(m.encoding));
  else out.lit(J.null);
  out.lit(J.elements);
  jsonNum(out, rec.elements);
  out.lit(J.valueBytes);
  jsonNum(out, rec.valueBytes);
  out.lit(J.memoryBytes);
  jsonNum(out, m ? m.bytes : null);
  out.lit(J.largest);
  jsonNum(out, rec.largestElementBytes);
  out.lit(J.expireAtMs);
  jsonNum(out, rec.expireAtMs);
  const fieldsWithTtl = rec.fieldsWithTtl;
  const stream = rec.stream;
  if (rec.idleSeconds === null && rec.lfuFreq === null && (fieldsWithTtl === undefined || fieldsWithTtl === null) && stream === undefined) {
    out.lit(J.nullTail);
    return;
  }
  out.lit(J.idleSeconds);
  jsonNum(out, rec.idleSeconds);
  out.lit(J.lfuFreq);
  jsonNum(out, rec.lfuFreq);
  out.lit(J.fieldsWithTtl);
  jsonNum(out, fieldsWithTtl);
  out.lit(J.streamGroups);
  jsonNum(out, stream?.groups);
  out.lit(J.streamPending);
  jsonNum(out, stream?.pending);
  out.lit(J.end);
}

// ---------------------------------------------------------------------------------------------
// csv: csv-stringify of [db, key, keyHex, type, rdbType, encoding, ...] with formula cells neutralised.

const CSV_HEADER = ascii(KEY_COLUMNS.map((c) => csvQuoted(c)).join(',') + '\n');
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const APOSTROPHE = 0x27;

/** A number cell as csv-stringify casts it ('' + n), or empty for null. */
function csvNum(out: ByteLines, n: number | null | undefined): void {
  if (n !== null && n !== undefined) out.num(n);
}

function csvLine(out: ByteLines, rec: KeyRecord): void {
  locateKey(rec);
  out.num(rec.db);
  out.byte(COMMA);
  if (keyClass() === PLAIN) {
    if (startsFormula()) out.byte(APOSTROPHE);
    out.slice(keyBytes, keyStart, keyLength);
  } else {
    out.text(csvQuoted(neutralizeFormula(rec.keyPrintable)));
  }
  out.byte(COMMA);
  out.hex(keyBytes, keyStart, keyLength);
  out.byte(COMMA);
  out.lit(csvNeutral(rec.type));
  out.byte(COMMA);
  out.lit(csvPlain(rec.rdbType));
  out.byte(COMMA);
  const m = rec.memory;
  if (m) out.lit(csvNeutral(m.encoding));
  out.byte(COMMA);
  csvNum(out, rec.elements);
  out.byte(COMMA);
  csvNum(out, rec.valueBytes);
  out.byte(COMMA);
  csvNum(out, m ? m.bytes : null);
  out.byte(COMMA);
  csvNum(out, rec.largestElementBytes);
  out.byte(COMMA);
  csvNum(out, rec.expireAtMs);
  out.byte(COMMA);
  csvNum(out, rec.idleSeconds);
  out.byte(COMMA);
  csvNum(out, rec.lfuFreq);
  out.byte(COMMA);
  csvNum(out, rec.fieldsWithTtl);
  out.byte(COMMA);
  const stream = rec.stream;
  if (stream !== undefined) {
    csvNum(out, stream.groups);
    out.byte(COMMA);
    csvNum(out, stream.pending);
  } else out.byte(COMMA);
  out.byte(NEWLINE);
}

// ---------------------------------------------------------------------------------------------
// rdbtools-csv: rdbtoolsCsvRow(rec).

const RDBTOOLS_HEADER = ascii(RDBTOOLS_CSV_HEADER);

function rdbtoolsLine(out: ByteLines, rec: KeyRecord): void {
  locateKey(rec);
  out.num(rec.db);
  out.byte(COMMA);
  out.lit(rdbtoolsType(rec.type));
  out.byte(COMMA);
  if (keyClass() === PLAIN) out.slice(keyBytes, keyStart, keyLength);
  else out.text(csvField(rec.keyPrintable));
  out.byte(COMMA);
  const m = rec.memory;
  out.num(m?.bytes ?? rec.valueBytes);
  out.byte(COMMA);
  out.lit(rdbtoolsCell(m?.encoding ?? rec.rdbType));
  out.byte(COMMA);
  out.num(rec.elements);
  out.byte(COMMA);
  out.num(rec.largestElementBytes);
  out.byte(COMMA);
  if (rec.expireAtMs !== null) out.text(pythonIsoformat(rec.expireAtMs));
  out.byte(NEWLINE);
}

const rdbtoolsType = cache((s) => RDBTOOLS_TYPE[s] ?? s);
