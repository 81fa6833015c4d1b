/**
 * Memory must not grow with the size of one key: values far larger than any bound here are
 * generated on the fly (never held as a file or array) and parsed while heap + buffer memory is
 * sampled.
 */
import { describe, expect, it } from 'vitest';
import { parseRdb } from '../../src/rdb/index.js';
import { Crc64 } from '../../src/rdb/crc64.js';
import { RdbWriter, TYPE, buildListpack } from '../support/rdb-writer.js';

const MB = 1024 * 1024;

/** Emits an RDB as chunks: a header, then `body()` chunks, then EOF + CRC64 (computed as it goes). */
async function* generated(head: Uint8Array, body: () => Generator<Uint8Array>): AsyncGenerator<Uint8Array> {
  const crc = new Crc64();
  const emit = (b: Uint8Array) => {
    crc.update(b, 0, b.length);
    return b;
  };
  yield emit(head);
  for (const c of body()) yield emit(c);
  const eof = emit(new Uint8Array([0xff]));
  const trailer = new Uint8Array(8);
  new DataView(trailer.buffer).setBigUint64(0, BigInt('0x' + crc.hex()), true);
  const tail = new Uint8Array(9);
  tail.set(eof);
  tail.set(trailer, 1);
  yield tail;
}

function memoryNow(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function parsePeak(source: AsyncIterable<Uint8Array>): Promise<{ peak: number; records: { elements: number; type: string }[]; status: string }> {
  const base = memoryNow();
  let peak = 0;
  const parse = parseRdb(source, { fileName: 'generated' });
  const records: { elements: number; type: string }[] = [];
  for await (const batch of parse.batches()) {
    peak = Math.max(peak, memoryNow() - base);
    for (const r of batch) records.push({ elements: r.elements, type: r.type });
  }
  peak = Math.max(peak, memoryNow() - base);
  if (process.env.RDBSCOPE_SHOW_PEAK) console.log(`peak ${(peak / MB).toFixed(1)} MB`);
  return { peak, records, status: parse.info.checksum.status };
}

/** The header bytes of a dump whose last record's value follows (the writer's output minus EOF). */
function header(build: (w: RdbWriter) => void): Uint8Array {
  const w = new RdbWriter({ version: 10 });
  build(w);
  const all = w.finish({ checksum: 'none' });
  return all.subarray(0, all.length - 1);
}

describe('flat memory on huge single keys', () => {
  it('a 5-million-element linked list (≈ 100 MB of elements)', async () => {
    const n = 5_000_000;
    const elem = new Uint8Array(21);
    elem[0] = 20; // 6-bit length 20, then 20 bytes
    elem.fill(0x61, 1);
    const perChunk = 50_000;
    const head = header((w) => w.key(TYPE.LIST, 'biglist').len(n));
    // One prebuilt chunk yielded again and again (the parser copies what it keeps), so the test's
    // own garbage does not count against the bound.
    const c = new Uint8Array(elem.length * perChunk);
    for (let j = 0; j < perChunk; j++) c.set(elem, j * elem.length);
    const { peak, records, status } = await parsePeak(
      generated(head, function* () {
        for (let i = 0; i < n; i += perChunk) yield c;
      }),
    );
    expect(status).toBe('ok');
    expect(records).toEqual([{ elements: n, type: 'list' }]);
    expect(peak).toBeLessThan(48 * MB);
  });

  it('a 600 MB string is measured, never buffered', async () => {
    const size = 600 * MB;
    const head = header((w) => w.key(TYPE.STRING, 'bigstring').len(size, 32));
    const chunk = new Uint8Array(MB).fill(0x78);
    const { peak, records, status } = await parsePeak(
      generated(head, function* () {
        for (let i = 0; i < size; i += MB) yield chunk;
      }),
    );
    expect(status).toBe('ok');
    expect(records).toEqual([{ elements: size, type: 'string' }]);
    expect(peak).toBeLessThan(48 * MB);
  });

  it('a quicklist of 20 000 listpack nodes (2 million elements)', async () => {
    const node = buildListpack(Array.from({ length: 100 }, (_, i) => `element-${i}`));
    const nodes = 20_000;
    const head = header((w) => w.key(TYPE.LIST_QUICKLIST_2, 'ql').len(nodes));
    const w = new RdbWriter({ version: 10 });
    w.len(2).string(node, { encoding: 'raw' });
    const one = w.finish({ checksum: 'none' }).subarray(9, -1); // the node bytes without magic / EOF
    const c = new Uint8Array(one.length * 100);
    for (let j = 0; j < 100; j++) c.set(one, j * one.length);
    const { peak, records } = await parsePeak(
      generated(head, function* () {
        for (let i = 0; i < nodes; i += 100) yield c;
      }),
    );
    expect(records).toEqual([{ elements: nodes * 100, type: 'list' }]);
    expect(peak).toBeLessThan(48 * MB);
  });

  it('a 2-million-field hash table and a 1-million-member zset (the huge-key bench shapes)', async () => {
    const fields = 2_000_000;
    const members = 1_000_000;
    const head = header((w) => w.key(TYPE.HASH, 'bighash').len(fields));
    // Prebuilt chunks of 20 000 pairs / members, yielded repeatedly (duplicate fields are legal
    // input for the parser, which does not deduplicate), so the test allocates almost nothing.
    const PER = 20_000;
    const pair = Buffer.concat([Buffer.from([8]), Buffer.from('f0000000'), Buffer.from([30]), Buffer.alloc(30, 0x76)]);
    const hashChunk = Buffer.concat(new Array<Buffer>(PER).fill(pair));
    const zhead = new RdbWriter({ version: 10 }).key(TYPE.ZSET_2, 'bigzset').len(members).finish({ checksum: 'none' });
    const zsetHead = zhead.subarray(9, zhead.length - 1);
    const member = Buffer.alloc(1 + 12 + 8);
    member[0] = 12;
    member.write('member:00000', 1);
    member.writeDoubleLE(1.5, 13);
    const zsetChunk = Buffer.concat(new Array<Buffer>(PER).fill(member));
    const { peak, records, status } = await parsePeak(
      generated(head, function* () {
        for (let i = 0; i < fields; i += PER) yield hashChunk;
        yield zsetHead;
        for (let i = 0; i < members; i += PER) yield zsetChunk;
      }),
    );
    expect(status).toBe('ok');
    expect(records).toEqual([{ elements: fields, type: 'hash' }, { elements: members, type: 'zset' }]);
    expect(peak).toBeLessThan(48 * MB);
  });
});
