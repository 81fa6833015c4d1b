/**
 * shared/corpus/modern: dumps written by Redis 7.2–8.8 and Valkey 8.1/9.0, each with the same
 * server's description of every key (.oracle.tsv) and of hash field TTLs, streams, vector sets,
 * arrays and functions (.extra.tsv). 100 % of keys must agree on db, key bytes, type, element count
 * and absolute expiry; the extra facts must agree too. (Memory columns are tested elsewhere.)
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../src/core/record.js';
import { CORPUS_DIR, corpusPresent, keyId, parseDump, recordId, type ParsedDump } from './support/corpus.js';
import {
  compareKeys,
  compareStream,
  firstProblems,
  loadExtraTsv,
  loadOracleTsv,
  type ExpectedStream,
  type ExtraFacts,
} from './support/oracle.js';

const MODERN = path.join(CORPUS_DIR, 'modern');
const dumps = corpusPresent('modern')
  ? readdirSync(MODERN)
      .filter((f) => f.endsWith('.rdb'))
      .map((f) => f.slice(0, -'.rdb'.length))
      .sort()
  : [];

/** `nil` (XINFO answers null) → null. */
const idOrNull = (v: string | undefined) => (v === undefined || v === 'nil' ? undefined : v);
const numOrNull = (v: string | undefined) => (v === undefined ? undefined : v === 'nil' ? null : Number(v));

/** XINFO STREAM / XINFO GROUPS rows of one key as an ExpectedStream. */
function expectedStream(x: ExtraFacts): ExpectedStream {
  const s = x.stream;
  const n = (name: string) => numOrNull(s.get(name));
  const idmp =
    s.has('idmp-duration')
      ? {
          durationSeconds: Number(s.get('idmp-duration')),
          maxEntries: Number(s.get('idmp-maxsize')),
          producers: Number(s.get('pids-tracked')),
          iidsTracked: Number(s.get('iids-tracked')),
          iidsAdded: Number(s.get('iids-added')),
          iidsDuplicates: Number(s.get('iids-duplicates')),
        }
      : undefined;
  return {
    length: Number(s.get('length')),
    groups: Number(s.get('groups')),
    lastId: idOrNull(s.get('last-generated-id')),
    firstId: idOrNull(s.get('recorded-first-entry-id')),
    maxDeletedId: idOrNull(s.get('max-deleted-entry-id')),
    entriesAdded: n('entries-added') ?? undefined,
    nodes: n('radix-tree-keys') ?? undefined,
    groupInfo: [...x.groups].map(([name, g]) => ({
      nameBytes: Buffer.byteLength(name, 'utf8'),
      pending: Number(g.get('pending')),
      consumers: Number(g.get('consumers')),
      lastDeliveredId: g.get('last-delivered-id') ?? '',
      entriesRead: numOrNull(g.get('entries-read')) ?? null,
    })),
    ...(idmp ? { idmp } : {}),
  };
}

/** Hash field TTLs, vector sets, arrays of one key against its record. */
function compareExtra(where: string, rec: KeyRecord, x: ExtraFacts): string[] {
  const out: string[] = [];
  const check = (field: string, want: unknown, got: unknown) => {
    if (want !== got) out.push(`${where}: ${field} expected ${String(want)} got ${String(got)}`);
  };
  if (x.hashTtlFields !== null) {
    check('fieldsWithTtl', x.hashTtlFields, rec.fieldsWithTtl);
    check('minFieldExpireAtMs', Math.min(...x.fieldExpireAtMs), rec.minFieldExpireAtMs);
  }
  if (x.stream.size > 0) out.push(...compareStream(where, rec, expectedStream(x)));
  if (x.vectorset.size > 0) {
    check('vectorSet.count (VCARD)', Number(x.vectorset.get('VCARD')), rec.vectorSet?.count);
    check('vectorSet.dim (VDIM)', Number(x.vectorset.get('VDIM')), rec.vectorSet?.dim);
  }
  if (x.array.size > 0) {
    check('array.length (ARLEN)', Number(x.array.get('ARLEN')), rec.array?.length);
    check('array.count (ARCOUNT)', Number(x.array.get('ARCOUNT')), rec.array?.count);
  }
  return out;
}

describe.skipIf(dumps.length === 0)('modern corpus against each server’s oracle', () => {
  for (const name of dumps) {
    describe(name, () => {
      const oracle = loadOracleTsv(path.join(MODERN, `${name}.oracle.tsv`));
      const extraPath = path.join(MODERN, `${name}.extra.tsv`);
      const extra = existsSync(extraPath) ? loadExtraTsv(extraPath) : null;
      let parsed: Promise<ParsedDump> | undefined;
      const parse = () => (parsed ??= parseDump(path.join(MODERN, `${name}.rdb`)));

      it('parses to the end with a valid checksum', async () => {
        const d = await parse();
        expect(d.error?.message ?? null).toBeNull();
        expect(d.info.complete).toBe(true);
        expect(d.info.checksum.status).toBe('ok');
        expect(d.info.keys).toBe(oracle.length);
      });

      it('agrees with the oracle on every key (db, key_hex, type, elements, expire_at_ms)', async () => {
        const d = await parse();
        expect(firstProblems(compareKeys(oracle, d.records))).toEqual([]);
      });

      it.skipIf(!extra)('agrees with .extra.tsv (hash field TTLs, streams, groups, vector sets, arrays)', async () => {
        const d = await parse();
        const byId = new Map(d.records.map((r) => [recordId(r), r]));
        const problems: string[] = [];
        let checked = 0;
        for (const [id, x] of extra!.byKey) {
          const rec = byId.get(id);
          if (!rec) {
            problems.push(`${id}: in .extra.tsv but not parsed`);
            continue;
          }
          checked++;
          problems.push(...compareExtra(`db:key_hex ${id} (${Buffer.from(rec.key).toString('utf8')})`, rec, x));
        }
        expect(firstProblems(problems)).toEqual([]);
        expect(checked).toBeGreaterThan(0);
      });

      it.skipIf(!extra)('lists the function libraries of .extra.tsv', async () => {
        const d = await parse();
        const libs = [...(extra?.functions.keys() ?? [])].sort();
        expect(d.info.functions.map((f) => f.name).sort()).toEqual(libs);
      });

      it('counts the key-level facts the MANIFEST states per dump (keys per db)', async () => {
        const d = await parse();
        const perDb = new Map<number, number>();
        for (const r of oracle) perDb.set(r.db, (perDb.get(r.db) ?? 0) + 1);
        const got = new Map<number, number>();
        for (const r of d.records) got.set(r.db, (got.get(r.db) ?? 0) + 1);
        expect(got).toEqual(perDb);
        // Every oracle key id is unique (guards the TSV loader).
        expect(new Set(oracle.map((r) => keyId(r.db, r.keyHex))).size).toBe(oracle.length);
      });
    });
  }
});

if (dumps.length === 0) {
  describe('modern corpus', () => {
    it.skip(`skipped: ${MODERN} is absent (the corpus is read in place, never copied into the project)`, () => {});
  });
}
