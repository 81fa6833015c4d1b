/**
 * Ground truth from real servers, and the per-key comparison every end-to-end test uses:
 *  - fixtures/<name>.truth.json written by scripts/make-fixtures.mjs (Redis 7.0.15);
 *  - shared/corpus/modern/<dump>.oracle.tsv and .extra.tsv (newer Redis / Valkey releases;
 *    columns described in shared/corpus/MANIFEST.md).
 * Expected values always come from a server, never from our parser.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KeyRecord } from '../../src/core/record.js';
import type { KeyTruth } from '../../scripts/lib/dataset.mjs';
import { FIXTURES_DIR, hex, keyId, recordId } from './corpus.js';

// ---------------------------------------------------------------------------------------------
// What a key should look like, whatever the source of truth.

export interface ExpectedKey {
  db: number;
  keyHex: string;
  type: string;
  /** null = the source has no count for this key (oracle `-`). */
  elements: number | null;
  expireAtMs: number | null;
}

/** Printable key for messages: UTF-8 when it round-trips, else hex. */
function showKey(keyHex: string): string {
  const b = Buffer.from(keyHex, 'hex');
  const s = b.toString('utf8');
  return Buffer.from(s, 'utf8').equals(b) ? JSON.stringify(s) : `0x${keyHex}`;
}

/**
 * Every difference between the expected keys and the parsed records, one line each: missing and
 * extra keys, then db/key/type/elements/expiry per key. An empty list means 100 % agreement.
 */
export function compareKeys(expected: ExpectedKey[], records: KeyRecord[]): string[] {
  const problems: string[] = [];
  const byId = new Map<string, KeyRecord>();
  for (const rec of records) {
    const id = recordId(rec);
    if (byId.has(id)) problems.push(`duplicate record db=${rec.db} key=${showKey(hex(rec.key))}`);
    byId.set(id, rec);
  }
  const seen = new Set<string>();
  for (const e of expected) {
    const id = keyId(e.db, e.keyHex);
    seen.add(id);
    const rec = byId.get(id);
    const where = `db=${e.db} key=${showKey(e.keyHex)}`;
    if (!rec) {
      problems.push(`${where}: missing from the parse`);
      continue;
    }
    if (rec.type !== e.type) problems.push(`${where}: type expected ${e.type} got ${rec.type} (rdbType ${rec.rdbType})`);
    if (e.elements !== null && rec.elements !== e.elements)
      problems.push(`${where}: elements expected ${e.elements} got ${rec.elements} (type ${e.type}, rdbType ${rec.rdbType})`);
    if (rec.expireAtMs !== e.expireAtMs) problems.push(`${where}: expireAtMs expected ${e.expireAtMs} got ${rec.expireAtMs}`);
  }
  for (const [id, rec] of byId) {
    if (!seen.has(id)) problems.push(`db=${rec.db} key=${showKey(hex(rec.key))}: extra key not known to the server (type ${rec.type})`);
  }
  return problems;
}

/** At most `n` lines, plus how many more: keeps assertion output readable. */
export function firstProblems(problems: string[], n = 40): string[] {
  return problems.length <= n ? problems : [...problems.slice(0, n), `… and ${problems.length - n} more`];
}

// ---------------------------------------------------------------------------------------------
// fixtures/<name>.truth.json

export interface TruthFile {
  file: string;
  fileBytes: number;
  server: {
    redis_version: string;
    magic: string;
    rdbVersion: number;
    config: Record<string, string>;
    functions: string[];
  };
  keyCount: number;
  keys: KeyTruth[];
}

export function loadTruth(name: string): TruthFile {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, `${name}.truth.json`), 'utf8')) as TruthFile;
}

export function truthToExpected(keys: KeyTruth[]): ExpectedKey[] {
  return keys.map((k) => ({ db: k.db, keyHex: k.keyHex, type: k.type, elements: k.elements, expireAtMs: k.expireAtMs }));
}

// ---------------------------------------------------------------------------------------------
// shared/corpus/modern/*.oracle.tsv and *.extra.tsv

export interface OracleRow extends ExpectedKey {
  encoding: string;
  memoryUsage: number;
}

function tsvRows(file: string): string[][] {
  const lines = readFileSync(file, 'utf8').split('\n');
  return lines
    .slice(1) // header line
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}

/** One row per key: db, key_hex, type, encoding, ttl_ms, expire_at_ms, elements, memory_usage, … */
export function loadOracleTsv(file: string): OracleRow[] {
  return tsvRows(file).map((c) => {
    const expireAt = Number(c[5]);
    return {
      db: Number(c[0]),
      keyHex: c[1] ?? '',
      type: c[2] ?? '',
      encoding: c[3] ?? '',
      expireAtMs: expireAt < 0 ? null : expireAt,
      elements: c[6] === '-' ? null : Number(c[6]),
      memoryUsage: Number(c[7]),
    };
  });
}

/** Per-key facts of an .extra.tsv (`db key_hex kind name value`). */
export interface ExtraFacts {
  hashTtlFields: number | null;
  /** HPEXPIRETIME of every field with a TTL. */
  fieldExpireAtMs: number[];
  /** XINFO STREAM scalars by name. */
  stream: Map<string, string>;
  /** XINFO GROUPS: group name → field → value. */
  groups: Map<string, Map<string, string>>;
  vectorset: Map<string, string>;
  array: Map<string, string>;
}

export interface ExtraFile {
  byKey: Map<string, ExtraFacts>;
  /** `function` rows: library name → function names. */
  functions: Map<string, string[]>;
}

export function loadExtraTsv(file: string): ExtraFile {
  const byKey = new Map<string, ExtraFacts>();
  const functions = new Map<string, string[]>();
  for (const [db = '', keyHex = '', kind = '', name = '', value = ''] of tsvRows(file)) {
    if (kind === 'function') {
      functions.set(name, [...(functions.get(name) ?? []), value]);
      continue;
    }
    const id = keyId(Number(db), keyHex);
    let f = byKey.get(id);
    if (!f) {
      f = { hashTtlFields: null, fieldExpireAtMs: [], stream: new Map(), groups: new Map(), vectorset: new Map(), array: new Map() };
      byKey.set(id, f);
    }
    switch (kind) {
      case 'hash_ttl_fields':
        f.hashTtlFields = Number(value);
        break;
      case 'field_expire':
        f.fieldExpireAtMs.push(Number(value));
        break;
      case 'stream':
        f.stream.set(name, value);
        break;
      case 'stream_group': {
        // name = <group>.<field>; a group name may itself contain dots.
        const dot = name.lastIndexOf('.');
        const group = name.slice(0, dot);
        const fields = f.groups.get(group) ?? new Map<string, string>();
        fields.set(name.slice(dot + 1), value);
        f.groups.set(group, fields);
        break;
      }
      case 'vectorset':
        f.vectorset.set(name, value);
        break;
      case 'array':
        f.array.set(name, value);
        break;
      default:
        throw new Error(`${file}: unknown extra kind ${kind}`);
    }
  }
  return { byKey, functions };
}

// ---------------------------------------------------------------------------------------------
// Streams: XINFO STREAM / XINFO GROUPS against rec.stream.

export interface ExpectedGroup {
  nameBytes: number;
  pending: number;
  consumers: number;
  lastDeliveredId: string;
  /** null = unknown (XINFO answers nil, the file stores -1). */
  entriesRead: number | null;
}

export interface ExpectedStream {
  length: number;
  groups: number;
  lastId?: string;
  firstId?: string | null;
  maxDeletedId?: string | null;
  entriesAdded?: number | null;
  /** XINFO radix-tree-keys: one per node listpack. */
  nodes?: number;
  groupInfo?: ExpectedGroup[];
  idmp?: { durationSeconds: number; maxEntries: number; producers: number; iidsTracked: number; iidsAdded: number; iidsDuplicates: number };
}

/** Differences between a record's stream facts and the server's; `where` prefixes each line. */
export function compareStream(where: string, rec: KeyRecord, e: ExpectedStream): string[] {
  const s = rec.stream;
  if (!s) return [`${where}: no stream info on the record (rdbType ${rec.rdbType})`];
  const out: string[] = [];
  const check = (field: string, want: unknown, got: unknown) => {
    if (want !== undefined && want !== got) out.push(`${where}: stream.${field} expected ${String(want)} got ${String(got)}`);
  };
  check('length', e.length, s.length);
  check('groups', e.groups, s.groups);
  check('lastId', e.lastId, s.lastId);
  check('entriesAdded', e.entriesAdded, s.entriesAdded);
  check('nodes', e.nodes, s.nodes);
  check('firstId', e.firstId, s.firstId);
  // "0-0" is what the file stores when nothing was ever deleted; accept null for it too.
  if (!(e.maxDeletedId === '0-0' && s.maxDeletedId === null)) check('maxDeletedId', e.maxDeletedId, s.maxDeletedId);
  if (e.groupInfo) {
    check('pending', e.groupInfo.reduce((n, g) => n + g.pending, 0), s.pending);
    check('consumers', e.groupInfo.reduce((n, g) => n + g.consumers, 0), s.consumers);
    // groupInfo may be bounded (MAX_GROUPS_KEPT); compare it only when it holds every group.
    if (s.groupInfo.length === s.groups) {
      const norm = (g: ExpectedGroup) => JSON.stringify([g.nameBytes, g.pending, g.consumers, g.lastDeliveredId, g.entriesRead]);
      const want = e.groupInfo.map(norm).sort();
      const got = s.groupInfo.map(norm).sort();
      if (JSON.stringify(want) !== JSON.stringify(got))
        out.push(`${where}: stream groups [nameBytes,pending,consumers,lastDeliveredId,entriesRead] expected ${want.join(' ')} got ${got.join(' ')}`);
    }
  }
  if (e.idmp) {
    if (!s.idmp) out.push(`${where}: stream.idmp expected ${JSON.stringify(e.idmp)} got null`);
    else for (const [k, v] of Object.entries(e.idmp)) check(`idmp.${k}`, v, s.idmp[k as keyof typeof s.idmp]);
  }
  return out;
}

/** Stream truth of a fixture key (scripts/lib/dataset.mjs streamTruth) as an ExpectedStream. */
export function truthStream(t: NonNullable<KeyTruth['stream']>): ExpectedStream {
  return {
    length: t.length,
    groups: t.groups,
    lastId: t.lastGeneratedId,
    firstId: t.recordedFirstEntryId,
    maxDeletedId: t.maxDeletedEntryId,
    entriesAdded: t.entriesAdded,
    nodes: t.radixTreeKeys,
    groupInfo: t.groupInfo.map((g) => ({
      nameBytes: Buffer.byteLength(g.name),
      pending: g.pending,
      consumers: g.consumers,
      lastDeliveredId: g.lastDeliveredId,
      entriesRead: g.entriesRead,
    })),
  };
}
