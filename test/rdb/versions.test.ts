/**
 * Header versions (src/rdb/versions.ts; rdb-format.md §1.2, §1.3): REDIS 1–14 and VALKEY 80 are
 * what releases write; anything else is refused at the version digits, unless the parse is asked to
 * read it anyway (relaxedVersionCheck), which it then reports.
 */
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../support/parse-bytes.js';
import { parseRdb } from '../../src/rdb/index.js';
import { RdbError } from '../../src/core/errors.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { chunked } from '../support/parse-bytes.js';

function dump(magic: 'REDIS' | 'VALKEY', version: number): Uint8Array {
  const w = new RdbWriter({ magic, version });
  // Opcodes and types every version since 2 reads: no version-specific byte in the body.
  return w.selectDb(0).key(TYPE.STRING, 'k').string('value').finish({ checksum: version >= 5 || magic === 'VALKEY' ? 'crc' : 'none' });
}

async function relaxed(bytes: Uint8Array) {
  const parse = parseRdb(chunked(bytes), { relaxedVersionCheck: true });
  const keys: string[] = [];
  let error: RdbError | null = null;
  try {
    for await (const rec of parse) keys.push(rec.keyPrintable);
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    error = e;
  }
  return { keys, error, info: parse.info };
}

describe('RDB header versions', () => {
  it('reads every version a release writes, without a note', async () => {
    const known: ['REDIS' | 'VALKEY', number][] = [...Array.from({ length: 14 }, (_, i) => ['REDIS', i + 1] as ['REDIS', number]), ['VALKEY', 80]];
    for (const [magic, version] of known) {
      const r = await parseBytes(dump(magic, version));
      expect(r.error, `${magic} ${version}`).toBeNull();
      expect(r.records).toHaveLength(1);
      expect(r.info.unknownVersion).toBe(false);
    }
  });

  it('refuses the others at the version digits, naming the version and the newest known ones', async () => {
    for (const [magic, version] of [['REDIS', 0], ['REDIS', 15], ['REDIS', 79], ['REDIS', 80], ['REDIS', 99], ['REDIS', 9999], ['VALKEY', 79], ['VALKEY', 81], ['VALKEY', 0], ['VALKEY', 999]] as const) {
      const r = await parseBytes(dump(magic, version));
      expect(r.error?.code, `${magic} ${version}`).toBe('UNSUPPORTED_VERSION');
      expect(r.error?.offset).toBe(magic.length);
      expect(r.error?.message).toContain(`unknown RDB version ${version} in a ${magic} header`);
      expect(r.error?.message).toContain('REDIS0014 from Redis 8.8 and VALKEY080 from Valkey 9');
      expect(r.records).toEqual([]);
      expect(r.info.version).toBeNull();
    }
  });

  it('with relaxedVersionCheck reads them anyway and says so', async () => {
    for (const [magic, version] of [['REDIS', 15], ['REDIS', 99], ['VALKEY', 81]] as const) {
      const r = await relaxed(dump(magic, version));
      expect(r.error, `${magic} ${version}`).toBeNull();
      expect(r.keys).toEqual(['k']);
      expect(r.info.version).toBe(version);
      expect(r.info.unknownVersion).toBe(true);
      expect(r.info.checksum.status).toBe('ok');
    }
    const known = await relaxed(dump('REDIS', 12));
    expect(known.info.unknownVersion).toBe(false);
  });
});
