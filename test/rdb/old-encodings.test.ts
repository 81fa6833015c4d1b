/**
 * Encodings and opcodes that today's Debian redis-server no longer writes, built byte by byte with
 * the test-only writer (which follows rdb-format.md, independently of the parser) and checked
 * against the facts the writer put in.
 */
import { describe, expect, it } from 'vitest';
import { RdbWriter, TYPE, OPCODE, buildIntset, buildListpack, buildZiplist, buildZipmap } from '../support/rdb-writer.js';
import { lzfCompress } from '../support/lzf-compress.js';
import { parseBytes } from '../support/parse-bytes.js';

const str = (b: Uint8Array) => new TextDecoder().decode(b);

describe('Redis 2.4 – 6.2 encodings through the parser', () => {
  it('zipmap hash (type 9) incl. the 254-count sentinel and free padding', async () => {
    const w = new RdbWriter({ version: 3 });
    w.selectDb(0);
    w.key(TYPE.HASH_ZIPMAP, 'zm').string(buildZipmap([['f1', 'v1'], ['field2', 'x'.repeat(300)]], { free: 3 }));
    w.key(TYPE.HASH_ZIPMAP, 'zm-unknown-count').string(buildZipmap([['a', '1'], ['b', '2'], ['c', '3']], { count: 254 }));
    const { records, info, error } = await parseBytes(w.finish());
    expect(error).toBeNull();
    expect(info.checksum.status).toBe('absent');
    expect(records.map((r) => [r.keyPrintable, r.type, r.rdbType, r.elements, r.largestElementBytes])).toEqual([
      ['zm', 'hash', 'zipmap', 2, 300],
      ['zm-unknown-count', 'hash', 'zipmap', 3, 1],
    ]);
  });

  it('ziplist list (10), zset (12) and hash (13) with every entry encoding', async () => {
    const entries = ['a', 'b'.repeat(70), 'c'.repeat(20000), 7, 12, -100, 30000, 8_000_000, 2_000_000_000, 9_000_000_000_000n];
    const w = new RdbWriter({ version: 6 });
    w.key(TYPE.LIST_ZIPLIST, 'zl').string(buildZiplist(entries));
    w.key(TYPE.ZSET_ZIPLIST, 'zz').string(buildZiplist(['m1', 1, 'm2', '2.5', 'longer-member', -3]));
    w.key(TYPE.HASH_ZIPLIST, 'zh').string(buildZiplist(['f', 'v', 'n', 5]));
    const { records, error, info } = await parseBytes(w.finish());
    expect(error).toBeNull();
    expect(info.checksum.status).toBe('ok');
    expect(records.map((r) => [r.keyPrintable, r.type, r.rdbType, r.elements])).toEqual([
      ['zl', 'list', 'ziplist', entries.length],
      ['zz', 'zset', 'zset-ziplist', 3],
      ['zh', 'hash', 'hash-ziplist', 2],
    ]);
    expect(records[0]!.largestElementBytes).toBe(20000);
    expect(records[1]!.largestElementBytes).toBe('longer-member'.length);
  });

  it('ziplist whose 16-bit count saturated at 65535 is counted by walking', async () => {
    const many = Array.from({ length: 70000 }, (_, i) => i % 10);
    const w = new RdbWriter({ version: 7 });
    w.key(TYPE.LIST_ZIPLIST, 'big').string(buildZiplist(many));
    const { records, error } = await parseBytes(w.finish());
    expect(error).toBeNull();
    expect(records[0]!.elements).toBe(70000);
  });

  it('quicklist v1 (14) of plain and LZF-compressed ziplist nodes', async () => {
    const node1 = buildZiplist(['x'.repeat(100), 'y', 'z']);
    const node2 = buildZiplist(Array.from({ length: 50 }, () => 'same-same-same'));
    const w = new RdbWriter({ version: 8 });
    w.key(TYPE.LIST_QUICKLIST, 'ql').len(2).string(node1, { encoding: 'raw' }).string(node2, { encoding: 'lzf' });
    const { records, error } = await parseBytes(w.finish());
    expect(error).toBeNull();
    expect(records[0]).toMatchObject({ type: 'list', rdbType: 'quicklist', elements: 53, largestElementBytes: 100 });
    expect(records[0]!.shape.nodes?.count).toBe(2);
  });

  it('linked list (1), hash-table set (2), hash (4) with int, LZF and long elements', async () => {
    const w = new RdbWriter({ version: 6, compress: true });
    w.key(TYPE.LIST, 'l').len(4).string('1').string('-70000').string('q'.repeat(100)).string('');
    w.key(TYPE.SET, 's').len(3).string('a').string('12345').string('z'.repeat(64));
    w.key(TYPE.HASH, 'h').len(2).string('f').string('v').string('g'.repeat(65)).string('w'.repeat(1000));
    const { records, error } = await parseBytes(w.finish());
    expect(error).toBeNull();
    expect(records.map((r) => [r.keyPrintable, r.type, r.elements, r.largestElementBytes])).toEqual([
      ['l', 'list', 4, 100],
      ['s', 'set', 3, 64],
      ['h', 'hash', 2, 1000],
    ]);
    expect(records[1]!.shape.allInts).toBe(false);
    expect(records[2]!.shape.firstLongEntryIndex).toBe(1);
  });

  it('type-3 zset with string scores including nan/inf/-inf, and type-5 binary scores', async () => {
    const w = new RdbWriter({ version: 3 });
    w.key(TYPE.ZSET, 'z3').len(4).string('a').stringDouble(1.5).string('b').stringDouble(Infinity)
      .string('c').stringDouble(-Infinity).string('dd').stringDouble(-0.000123);
    const w8 = new RdbWriter({ version: 8 });
    w8.key(TYPE.ZSET_2, 'z5').len(2).string('m').binaryDouble(3.25).string('n').binaryDouble(-1e300);
    const a = await parseBytes(w.finish());
    const b = await parseBytes(w8.finish());
    expect(a.error).toBeNull();
    expect(b.error).toBeNull();
    expect(a.records[0]).toMatchObject({ type: 'zset', rdbType: 'zset', elements: 4, largestElementBytes: 2 });
    expect(b.records[0]).toMatchObject({ type: 'zset', rdbType: 'zset2', elements: 2 });
  });

  it('intsets of 16, 32 and 64 bits', async () => {
    const w = new RdbWriter({ version: 2 });
    w.key(TYPE.SET_INTSET, 'i16').string(buildIntset(2, [-5, 1, 300]));
    w.key(TYPE.SET_INTSET, 'i32').string(buildIntset(4, [1, 70000]));
    w.key(TYPE.SET_INTSET, 'i64').string(buildIntset(8, [-9_000_000_000_000_000_000n, 1n]));
    const { records, error } = await parseBytes(w.finish());
    expect(error).toBeNull();
    expect(records.map((r) => [r.elements, r.shape.intWidth, r.largestElementBytes])).toEqual([
      [3, 2, 3],
      [2, 4, 5],
      [2, 8, '-9000000000000000000'.length],
    ]);
  });
});

describe('framing, lengths and opcodes', () => {
  it('every length form (6/14/32/64-bit) is accepted anywhere a length is', async () => {
    const w = new RdbWriter({ version: 9 });
    w.byte(OPCODE.SELECTDB).len(3, 64);
    w.key(TYPE.SET, 'k', { lenForm: 32 }).len(2, 14).string('a', { encoding: 'raw', lenForm: 64 }).string('b', { encoding: 'raw', lenForm: 32 });
    const { records, error } = await parseBytes(w.finish());
    expect(error).toBeNull();
    expect(records[0]).toMatchObject({ db: 3, keyPrintable: 'k', elements: 2 });
  });

  it('integer- and LZF-encoded keys, second and millisecond expiries, IDLE and FREQ (unsigned)', async () => {
    const w = new RdbWriter({ version: 9 });
    w.expireSec(1_700_000_000).key(TYPE.STRING, '123').string('v');
    w.expireMs(1_700_000_000_123).idle(4000).freq(200).key(TYPE.STRING, 'k'.repeat(40), { encoding: 'lzf' }).string('w');
    w.freq(3).expireMs(5).key(TYPE.STRING, 'order').string('x');
    w.key(TYPE.STRING, 'plain').string('y');
    const { records, error } = await parseBytes(w.finish());
    expect(error).toBeNull();
    expect(records.map((r) => [r.keyPrintable, r.expireAtMs, r.idleSeconds, r.lfuFreq])).toEqual([
      ['123', 1_700_000_000_000, null, null],
      ['k'.repeat(40), 1_700_000_000_123, 4000, 200],
      ['order', 5, null, 3],
      ['plain', null, null, null],
    ]);
  });

  it('AUX between prefix opcodes and the key does not reset them (KeyDB order)', async () => {
    const w = new RdbWriter({ version: 9 });
    w.expireMs(42).aux('mvcc-tstamp', '1').key(TYPE.STRING, 'k').string('v');
    const { records, info, error } = await parseBytes(w.finish());
    expect(error).toBeNull();
    expect(records[0]!.expireAtMs).toBe(42);
    expect(info.aux).toEqual([{ key: 'mvcc-tstamp', value: '1' }]);
  });

  it('string values: STRLEN from INT encodings, LZF ulen and raw length; int detection', async () => {
    const w = new RdbWriter({ version: 9 });
    w.key(TYPE.STRING, 'i8').string('-5').key(TYPE.STRING, 'i32').string('2000000000');
    w.key(TYPE.STRING, 'i64txt').string('9223372036854775807', { encoding: 'raw' });
    w.key(TYPE.STRING, 'notint').string('007', { encoding: 'raw' });
    w.key(TYPE.STRING, 'lzf').string('abc'.repeat(100), { encoding: 'lzf' });
    const { records, error } = await parseBytes(w.finish());
    expect(error).toBeNull();
    expect(records.map((r) => [r.keyPrintable, r.elements, r.shape.strIsInt])).toEqual([
      ['i8', 2, true], ['i32', 10, true], ['i64txt', 19, true], ['notint', 3, false], ['lzf', 300, false],
    ]);
  });

  it('MODULE_AUX and generic MODULE_2 values are skipped; type 6 cannot be', async () => {
    // Module id of `test__rdb` v1 from rdb-format.md Appendix A7: 0x81 B5 EB 2D FF FA DD 6C 01.
    const moduleId = [0x81, 0xb5, 0xeb, 0x2d, 0xff, 0xfa, 0xdd, 0x6c, 0x01];
    const w = new RdbWriter({ version: 9 });
    w.byte(OPCODE.MODULE_AUX, ...moduleId).len(2).len(1).len(2).len(77).len(0);
    w.byte(TYPE.MODULE_2).string('mk').byte(...moduleId).len(5).string('value1').len(3).raw(new Uint8Array(4)).len(4).raw(new Uint8Array(8)).len(0);
    w.key(TYPE.STRING, 'after').string('ok');
    const ok = await parseBytes(w.finish());
    expect(ok.error).toBeNull();
    // when = 1 (before the keyspace); body = UINT 77 (opcode 1 byte + 14-bit len 2 bytes) + EOF = 4 bytes.
    expect(ok.info.moduleAux).toEqual([{ module: 'test__rdb', encver: 1, when: 1, bytes: 4 }]);
    expect(ok.records.map((r) => [r.keyPrintable, r.type, r.rdbType])).toEqual([['mk', 'test__rdb', 'module'], ['after', 'string', 'string']]);

    const bad = new RdbWriter({ version: 8 });
    bad.key(TYPE.STRING, 'first').string('x');
    const at = bad.length;
    bad.byte(TYPE.MODULE_PRE_GA).string('m').raw(new Uint8Array(20));
    const r = await parseBytes(bad.finish());
    expect(r.records.map((x) => x.keyPrintable)).toEqual(['first']);
    expect(r.error?.code).toBe('MODULE_PRE_GA');
    expect(r.error?.offset).toBe(at);
    expect(r.error?.message).toMatch(/cannot be skipped/);
  });

  it('unknown types and opcodes are refused with their offset, never guessed', async () => {
    for (const [magic, version, byte, code] of [
      ['REDIS', 14, 29, 'UNKNOWN_TYPE'], ['REDIS', 12, 8, 'UNKNOWN_TYPE'], ['REDIS', 12, 40, 'UNKNOWN_TYPE'],
      ['VALKEY', 80, 23, 'UNKNOWN_TYPE'], ['VALKEY', 80, 24, 'UNKNOWN_TYPE'], ['REDIS', 10, 242, 'UNKNOWN_OPCODE'],
      ['REDIS', 10, 200, 'UNKNOWN_OPCODE'], ['REDIS', 12, 108, 'UNKNOWN_TYPE'], ['VALKEY', 80, 107, 'UNKNOWN_TYPE'],
    ] as const) {
      const w = new RdbWriter({ magic, version });
      const at = w.length;
      w.byte(byte).string('k').string('v');
      const r = await parseBytes(w.finish());
      expect(r.error?.code, `${magic} ${byte}`).toBe(code);
      expect(r.error?.offset).toBe(at);
    }
  });

  it('opcode 243 is SLOT_IMPORT under VALKEY and KEY_META under REDIS', async () => {
    const v = new RdbWriter({ magic: 'VALKEY', version: 80 });
    v.byte(OPCODE.SLOT_IMPORT_OR_KEY_META).string('f'.repeat(40)).len(2).len(0).len(100).len(200).len(300);
    v.selectDb(0).key(TYPE.STRING, 'k').string('v');
    const a = await parseBytes(v.finish());
    expect(a.error).toBeNull();
    expect(a.info.slotImports).toBe(1);
    expect(a.records).toHaveLength(1);

    // Class spec 0x28C4F509 = KMT1 v1 flags 1 (rdb-format.md Appendix A10), then a module STRING and EOF.
    const r = new RdbWriter({ version: 13 });
    r.expireMs(99).byte(OPCODE.SLOT_IMPORT_OR_KEY_META).len(1).byte(0x09, 0xf5, 0xc4, 0x28).len(5).string('meta').len(0);
    r.key(TYPE.STRING, 'km').string('v');
    const b = await parseBytes(r.finish());
    expect(b.error).toBeNull();
    expect(b.records[0]).toMatchObject({ keyPrintable: 'km', expireAtMs: 99, keyMeta: { classes: [{ name: 'KMT1', version: 1, flags: 1 }] } });

    const tooMany = new RdbWriter({ version: 13 });
    tooMany.byte(OPCODE.SLOT_IMPORT_OR_KEY_META).len(8);
    const c = await parseBytes(tooMany.finish());
    expect(c.error?.code).toBe('BAD_KEY_META');
  });

  it('stops after the checksum and counts trailing bytes (AOF with RDB preamble)', async () => {
    const w = new RdbWriter({ version: 9 });
    w.key(TYPE.STRING, 'k').string('v');
    const rdb = w.finish();
    const tail = new TextEncoder().encode('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n');
    const all = new Uint8Array(rdb.length + tail.length);
    all.set(rdb);
    all.set(tail, rdb.length);
    const r = await parseBytes(all);
    expect(r.error).toBeNull();
    expect(r.info.trailingBytes).toBe(tail.length);
    expect(r.info.checksum.status).toBe('ok');
  });

  it('a checksum mismatch names both values; --no-verify skips it', async () => {
    const w = new RdbWriter({ version: 9 });
    w.key(TYPE.STRING, 'k').string('v');
    const bytes = w.finish();
    bytes[bytes.length - 1]! ^= 0x01;
    const r = await parseBytes(bytes);
    expect(r.records).toHaveLength(1);
    expect(r.error?.code).toBe('CHECKSUM_MISMATCH');
    expect(r.info.checksum.status).toBe('mismatch');
    const m = /file says ([0-9a-f]{16}), content gives ([0-9a-f]{16})/.exec(r.error!.message);
    expect(m).not.toBeNull();
    expect(m![1]).not.toBe(m![2]);
    const skipped = await parseBytes(bytes, { verifyChecksum: false });
    expect(skipped.error).toBeNull();
    expect(skipped.info.checksum.status).toBe('skipped');
  });

  it('a stream node whose key and listpack are both LZF-compressed keeps its key (decompression buffers are reused)', async () => {
    // 16-byte master ID: big-endian ms and seq (§6.2); repetitive so LZF has something to do.
    const id = new Uint8Array(16).fill(0x11);
    const lp = buildListpack(['aaaaaaaaaaaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaaaaaaaaaa', 1, 2]);
    const w = new RdbWriter({ version: 9 });
    for (const name of ['s1', 's2']) {
      w.key(TYPE.STREAM_LISTPACKS, name).len(1).string(id, { encoding: 'lzf' }).string(lp, { encoding: 'lzf' });
      w.len(4).len(1).len(1).len(0); // length, last id (ms, seq), no groups
    }
    const { records, error } = await parseBytes(w.finish());
    expect(error).toBeNull();
    expect(records.length).toBe(2);
    for (const r of records) expect([...r.shape.streamIds!.nodes]).toEqual([...id]);
  });

  it('LZF-compressed blobs of every compact type decode the same as plain ones', async () => {
    const lp = buildListpack(['x', 'y', 'z', 1, 2]);
    expect(lzfCompress(lp).length).toBeGreaterThan(0);
    const w = new RdbWriter({ version: 11 });
    w.key(TYPE.SET_LISTPACK, 'plain').string(lp, { encoding: 'raw' });
    w.key(TYPE.SET_LISTPACK, 'lzf').string(lp, { encoding: 'lzf' });
    const { records, error } = await parseBytes(w.finish());
    expect(error).toBeNull();
    expect(records[0]!.elements).toBe(5);
    expect(records[1]!.elements).toBe(5);
    expect(str(records[1]!.key)).toBe('lzf');
  });
});
