/**
 * Redis Enterprise opcodes. No Enterprise dump is in ../shared/corpus; the layout is the one librdb
 * reads (`redis/librdb src/lib/parser.c __elementRamLru` / `__elementSlotNum`: the opcode byte, then
 * one length, ignored; opcodes 107 and 121 in `src/lib/defines.h`), and the files below are built
 * that way, as an Enterprise 7.4 dump is laid out: AUX fields, SELECTDB, RESIZEDB, then 107 before
 * every key.
 */
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../support/parse-bytes.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';

function enterpriseDump(keys: number): Uint8Array {
  const w = new RdbWriter({ version: 12 });
  w.aux('redis-ver', '7.4.2').aux('big-used-ram', '11375256').selectDb(0).resizeDb(keys, 1);
  for (let i = 0; i < keys; i++) {
    w.enterpriseOpcode(107, 67 + i * 1000);
    if (i === 1) w.expireMs(1_900_000_000_000);
    w.key(TYPE.STRING, `k${i}`).string(`v${i}`);
  }
  w.enterpriseOpcode(121, 16383);
  return w.finish();
}

describe('Redis Enterprise opcodes', () => {
  it('107 before each key and 121 are skipped, counted, and every key is read', async () => {
    const bytes = enterpriseDump(40);
    for (const chunkSizes of [undefined, [1], [3, 5]]) {
      const r = await parseBytes(bytes, { chunkSizes });
      expect(r.error).toBeNull();
      expect(r.records.map((k) => k.keyPrintable)).toEqual(Array.from({ length: 40 }, (_, i) => `k${i}`));
      expect(r.records[1]!.expireAtMs).toBe(1_900_000_000_000);
      expect([...r.info.enterpriseOpcodes]).toEqual([[107, 40], [121, 1]]);
      expect(r.info.checksum.status).toBe('ok');
    }
  });

  it('a key record starts at its 107 (the record offset), as at any prefix opcode', async () => {
    const w = new RdbWriter({ version: 12 });
    w.selectDb(0);
    const at = w.length;
    w.enterpriseOpcode(107, 5).key(TYPE.STRING, 'k').string('v');
    const r = await parseBytes(w.finish());
    expect(r.records[0]!.offset).toBe(at);
  });

  it('other unknown bytes stay refused, and 107 under the VALKEY magic too', async () => {
    for (const [magic, version, byte] of [['REDIS', 12, 106], ['REDIS', 12, 108], ['REDIS', 12, 120], ['VALKEY', 80, 107]] as const) {
      const w = new RdbWriter({ magic, version });
      w.enterpriseOpcode(107, 1).key(TYPE.STRING, 'a').string('b');
      const at = w.length;
      w.byte(byte).len(1).key(TYPE.STRING, 'c').string('d');
      const r = await parseBytes(w.finish());
      if (magic === 'VALKEY') {
        expect(r.error?.code).toBe('UNKNOWN_TYPE');
        expect(r.error?.offset).toBe(magic.length + 3);
        continue;
      }
      expect(r.error?.code, `${byte}`).toBe('UNKNOWN_TYPE');
      expect(r.error?.offset).toBe(at);
      expect(r.records.map((k) => k.keyPrintable)).toEqual(['a']);
    }
  });

  it('a 107 cut after its opcode byte is UNEXPECTED_EOF, keys before it kept', async () => {
    const w = new RdbWriter({ version: 12 });
    w.selectDb(0).key(TYPE.STRING, 'a').string('b').enterpriseOpcode(107, 1n << 40n);
    const whole = w.finish();
    for (let cut = whole.length - 9 - 9; cut < whole.length - 9; cut++) {
      const r = await parseBytes(whole.subarray(0, cut));
      expect(r.error?.code, `cut ${cut}`).toBe('UNEXPECTED_EOF');
      expect(r.records.map((k) => k.keyPrintable)).toEqual(['a']);
    }
  });
});
