import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import lz4 from 'lz4js';
import { describe, expect, it } from 'vitest';
import { isRdbError } from '../../src/core/errors.js';
import { decodeLz4Block } from '../../src/input/lz4-block.js';
import { openInput } from '../../src/input/open-input.js';
import { Xxh32, xxh32 } from '../../src/input/xxh32.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

/** The dump every case wraps: written by a real redis-server (fixtures/). */
const plain = (): Buffer => readFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb'));

/** The decoded bytes of a file or of bytes, or the error that ended them. */
async function decode(input: string | Buffer): Promise<{ bytes: Buffer; error: unknown }> {
  const opened = typeof input === 'string' ? await openInput(input) : await openInput(Readable.from([input]), 'crafted.lz4');
  const parts: Buffer[] = [];
  try {
    for await (const c of opened.chunks) parts.push(Buffer.from(c));
    return { bytes: Buffer.concat(parts), error: null };
  } catch (e) {
    return { bytes: Buffer.concat(parts), error: e };
  }
}

async function decodeError(input: string | Buffer): Promise<string> {
  const { error } = await decode(input);
  if (!isRdbError(error) || error.code !== 'BAD_COMPRESSION') throw new Error(`expected BAD_COMPRESSION, got ${String(error)}`);
  return error.message;
}

// ---- Frames built by hand, per lz4 doc/lz4_Frame_format.md, for what the lz4 command cannot write ----

const u32le = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

interface FrameOptions {
  blockSize?: 4 | 5 | 6 | 7;
  blockChecksum?: boolean;
  contentChecksum?: boolean;
  contentSize?: number;
  dictId?: number;
  /** OR-ed into FLG / BD (reserved bits). */
  flgBits?: number;
  bdBits?: number;
  /** Flip bits of the header checksum, of block `badBlock`'s checksum, of the content checksum. */
  badHeaderChecksum?: boolean;
  badBlock?: number;
  badContentChecksum?: boolean;
  /** Blocks: compressed by lz4js (true) or stored uncompressed, high bit of the size set (false). */
  compressed?: boolean;
}

/** One independent-block frame (lz4js compresses each block alone). */
function frame(data: Buffer, o: FrameOptions = {}): Buffer {
  const bs = o.blockSize ?? 4;
  const max = 1 << (2 * bs + 8);
  const flg = 0x40 | 0x20 | (o.blockChecksum ? 0x10 : 0) | (o.contentSize !== undefined ? 0x08 : 0) | (o.contentChecksum ? 0x04 : 0) | (o.dictId !== undefined ? 0x01 : 0) | (o.flgBits ?? 0);
  const descriptor: Buffer[] = [Buffer.from([flg, (bs << 4) | (o.bdBits ?? 0)])];
  if (o.contentSize !== undefined) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(o.contentSize));
    descriptor.push(b);
  }
  if (o.dictId !== undefined) descriptor.push(u32le(o.dictId));
  const d = Buffer.concat(descriptor);
  const hc = ((xxh32(d) >>> 8) & 0xff) ^ (o.badHeaderChecksum ? 0x55 : 0);
  const parts: Buffer[] = [u32le(0x184d2204), d, Buffer.from([hc])];
  for (let at = 0, i = 0; at < data.length; at += max, i++) {
    const piece = data.subarray(at, at + max);
    // lz4js.compress frames one block; its block starts after the 7-byte header and the 4-byte size.
    const packed = o.compressed === false ? null : Buffer.from(lz4.compress(piece));
    const word = packed === null ? 0 : packed.readUInt32LE(7);
    const body = packed === null || word & 0x80000000 ? piece : packed.subarray(11, 11 + word);
    parts.push(u32le(packed === null || word & 0x80000000 ? (body.length | 0x80000000) >>> 0 : body.length), body);
    if (o.blockChecksum) parts.push(u32le(xxh32(body) ^ (o.badBlock === i ? 1 : 0)));
  }
  parts.push(u32le(0));
  if (o.contentChecksum) parts.push(u32le(xxh32(data) ^ (o.badContentChecksum ? 1 : 0)));
  return Buffer.concat(parts);
}

const skippable = (nibble: number, size: number): Buffer => Buffer.concat([u32le(0x184d2a50 + nibble), u32le(size), Buffer.alloc(size, 0xab)]);

/** A legacy frame ("Legacy frame"): magic 0x184C2102, then compressed size + block, 8 MiB each. */
function legacyFrame(data: Buffer): Buffer {
  const parts: Buffer[] = [u32le(0x184c2102)];
  for (let at = 0; at < data.length; at += 8 << 20) {
    const packed = Buffer.from(lz4.compress(data.subarray(at, at + (8 << 20))));
    const word = packed.readUInt32LE(7);
    if (word & 0x80000000) throw new Error('legacy blocks are always compressed: use compressible data');
    parts.push(u32le(word), packed.subarray(11, 11 + word));
  }
  return Buffer.concat(parts);
}

describe('xxh32', () => {
  it('matches lz4js\'s xxh32 on every length 0..300, fed whole and in pieces', () => {
    const reference = createRequire(import.meta.url)('lz4js/xxh32.js') as { hash: (seed: number, b: Uint8Array, i: number, n: number) => number };
    const data = plain().subarray(0, 300);
    for (let n = 0; n <= 300; n++) {
      const whole = xxh32(data, 0, n);
      expect(whole, `length ${n}`).toBe(reference.hash(0, data, 0, n));
      const pieces = new Xxh32();
      for (let at = 0; at < n; at += 7) pieces.update(data, at, Math.min(n, at + 7));
      expect(pieces.digest(), `length ${n} in pieces`).toBe(whole);
    }
  });
});

describe('LZ4 blocks are decoded with every bound checked (lz4_Block_format.md)', () => {
  const out = () => new Uint8Array(64);
  it('a match reaching before the decoded data, or with offset 0, is an error, not zeros', () => {
    // Token: 4 literals + match of 4; literals "ABCD"; offset 5 (one before the first byte).
    expect(() => decodeLz4Block(Uint8Array.from([0x40, 65, 66, 67, 68, 5, 0, 0x00]), 0, 8, out(), 0, 64, 0)).toThrow(/reaches before/);
    expect(() => decodeLz4Block(Uint8Array.from([0x40, 65, 66, 67, 68, 0, 0, 0x00]), 0, 8, out(), 0, 64, 0)).toThrow(/offset 0/);
    // Offset 4: a valid overlapping copy, then the last literal-only sequence (token 0).
    const o = out();
    expect(decodeLz4Block(Uint8Array.from([0x40, 65, 66, 67, 68, 4, 0, 0x00]), 0, 8, o, 0, 64, 0)).toBe(8);
    expect(Buffer.from(o.subarray(0, 8)).toString()).toBe('ABCDABCD');
  });

  it('literals past the block, output past the block size, and a block cut inside a sequence are errors', () => {
    expect(() => decodeLz4Block(Uint8Array.from([0x50, 65, 66]), 0, 3, out(), 0, 64, 0)).toThrow(/past the end of the block/);
    expect(() => decodeLz4Block(Uint8Array.from([0x4f, 65, 66, 67, 68, 4, 0, 200, 0x00]), 0, 9, out(), 0, 64, 0)).toThrow(/more than the frame's block size/);
    expect(() => decodeLz4Block(Uint8Array.from([0x40, 65, 66, 67, 68, 4]), 0, 6, out(), 0, 64, 0)).toThrow(/inside a match offset/);
  });
});

describe('LZ4 framings the lz4 command decodes, decoded to the same bytes', () => {
  it('a skippable frame first, between frames and after an empty frame (0x184D2A50..5F)', async () => {
    const m = plain();
    const half = m.length >> 1;
    for (const bytes of [
      Buffer.concat([skippable(0, 10), frame(m)]),
      Buffer.concat([frame(m.subarray(0, half)), skippable(15, 100), frame(m.subarray(half))]),
      Buffer.concat([frame(Buffer.alloc(0)), skippable(3, 0), frame(m)]),
    ]) {
      const { bytes: got, error } = await decode(bytes);
      expect(error).toBeNull();
      expect(got.equals(m)).toBe(true);
    }
  });

  it('legacy frames (magic 0x184C2102), alone and concatenated', async () => {
    const m = plain();
    const half = m.length >> 1;
    for (const bytes of [legacyFrame(m), Buffer.concat([legacyFrame(m.subarray(0, half)), legacyFrame(m.subarray(half))])]) {
      const { bytes: got, error } = await decode(bytes);
      expect(error).toBeNull();
      expect(got.equals(m)).toBe(true);
    }
  });

  it('stored (uncompressed) blocks, 4 MiB blocks, correct checksums and content size, a dictionary id the blocks do not use', async () => {
    const m = plain();
    for (const o of [{ compressed: false }, { blockSize: 7 }, { blockChecksum: true, contentChecksum: true, contentSize: m.length }, { dictId: 7 }] as FrameOptions[]) {
      const { bytes: got, error } = await decode(frame(m, o));
      expect(error, JSON.stringify(o)).toBeNull();
      expect(got.equals(m), JSON.stringify(o)).toBe(true);
    }
  });
});

describe('LZ4 frames the lz4 command refuses are refused, keeping what decoded before the fault', () => {
  const m = plain();
  it('a wrong block checksum, before the block is decoded', async () => {
    expect(await decodeError(frame(m, { blockChecksum: true, badBlock: 1 }))).toMatch(/^crafted\.lz4: LZ4 block fails its block checksum at compressed byte \d+/);
    // The first 64 KiB block decoded before the second failed.
    expect((await decode(frame(m, { blockChecksum: true, badBlock: 1 }))).bytes.equals(m.subarray(0, 65536))).toBe(true);
  });

  it('a wrong content checksum, after every byte went to the reader', async () => {
    const { bytes, error } = await decode(frame(m, { contentChecksum: true, badContentChecksum: true }));
    expect(bytes.equals(m)).toBe(true);
    expect(String(error)).toMatch(/LZ4 frame fails its content checksum/);
  });

  it('a content size that lies, either way', async () => {
    expect(await decodeError(frame(m, { contentSize: 100 }))).toMatch(`LZ4 frame decodes to ${m.length} bytes, its header announces 100`);
    expect(await decodeError(frame(m, { contentSize: m.length + 1 }))).toMatch(`its header announces ${m.length + 1}`);
  });

  it('a block that refers to the dictionary its frame names: an error naming the dictionary, not zeros', async () => {
    // One block: a match of 8 bytes at offset 5 before any literal (into the dictionary), then "REDIS".
    const block = Buffer.from([0x04, 5, 0, 0x50, ...Buffer.from('REDIS')]);
    const descriptor = Buffer.concat([Buffer.from([0x40 | 0x20 | 0x01, 0x40]), u32le(7)]);
    const bytes = Buffer.concat([u32le(0x184d2204), descriptor, Buffer.from([(xxh32(descriptor) >>> 8) & 0xff]), u32le(block.length), block, u32le(0)]);
    expect(await decodeError(bytes)).toMatch(/corrupt LZ4 block \(match offset 5 reaches before the decoded data; the frame names dictionary 7, which rdbscope does not have\) at compressed byte 11/);
  });

  it('a wrong header checksum and reserved bits set (FLG bit 1, BD bits 7 and 0-3)', async () => {
    expect(await decodeError(frame(m, { badHeaderChecksum: true }))).toMatch(/fails its header checksum at compressed byte 6/);
    expect(await decodeError(frame(m, { flgBits: 0x02 }))).toMatch(/reserved bit of its descriptor at compressed byte 4/);
    expect(await decodeError(frame(m, { bdBits: 0x80 }))).toMatch(/reserved bit of its descriptor at compressed byte 5/);
    expect(await decodeError(frame(m, { bdBits: 0x01 }))).toMatch(/reserved bit/);
  });
});

describe('many small frames', () => {
  it('20 000 empty frames declaring 4 MiB blocks, then the dump: decoded in well under the 15 s a window per frame took', async () => {
    const m = plain();
    const empty = frame(Buffer.alloc(0), { blockSize: 7 });
    const bytes = Buffer.concat([...Array.from({ length: 20_000 }, () => empty), frame(m, { blockSize: 7 }), legacyFrame(Buffer.alloc(0)), empty]);
    const started = Date.now();
    const { bytes: got, error } = await decode(bytes);
    expect(error).toBeNull();
    expect(got.equals(m)).toBe(true);
    // lz4 -t takes 0.01 s; ~0.4 s here; the bound leaves room for a busy machine.
    expect(Date.now() - started).toBeLessThan(5000);
  }, 60_000);
});

const LZ4_CLI = spawnSync('lz4', ['--version']).status === 0;
if (!LZ4_CLI && process.env.CI !== 'true') console.warn('[skip] lz4 command not found (apt-get install lz4); tests of files it writes are skipped');

describe.skipIf(!LZ4_CLI && process.env.CI !== 'true')('files written by the lz4 command', () => {
  it('legacy format (-l), block checksums (-BX), linked 64 KiB blocks (-B4 -BD), content size, concatenated frames: the plain dump', async () => {
    const dir = tempDir();
    const src = join(dir, 'dump.rdb');
    const m = plain();
    writeFileSync(src, m);
    const cases: [string, string[]][] = [['legacy', ['-l']], ['blocksum', ['-BX']], ['linked', ['-B4', '-BD']], ['size', ['--content-size']], ['nocrc', ['--no-frame-crc']]];
    for (const [name, flags] of cases) {
      const out = join(dir, `${name}.lz4`);
      execFileSync('lz4', ['-q', '-f', ...flags, src, out]);
      const { bytes, error } = await decode(out);
      expect(error, name).toBeNull();
      expect(bytes.equals(m), name).toBe(true);
    }
    // Two frames, one per half, as `cat a.lz4 b.lz4` makes them.
    const half = m.length >> 1;
    writeFileSync(join(dir, 'a'), m.subarray(0, half));
    writeFileSync(join(dir, 'b'), m.subarray(half));
    execFileSync('lz4', ['-q', '-f', '-m', join(dir, 'a'), join(dir, 'b')]);
    const cat = join(dir, 'cat.lz4');
    writeFileSync(cat, Buffer.concat([readFileSync(join(dir, 'a.lz4')), readFileSync(join(dir, 'b.lz4'))]));
    expect((await decode(cat)).bytes.equals(m)).toBe(true);
  });

  it('a byte flipped inside a block of a file lz4 -t refuses: refused here too, not decoded into other bytes', async () => {
    const dir = tempDir();
    const src = join(dir, 'dump.rdb');
    writeFileSync(src, plain());
    const out = join(dir, 'dump.rdb.lz4');
    execFileSync('lz4', ['-q', '-f', '-BX', src, out]);
    const bytes = readFileSync(out);
    bytes[200] ^= 0x40;
    writeFileSync(out, bytes);
    expect(spawnSync('lz4', ['-t', '-q', out]).status).not.toBe(0);
    expect(await decodeError(out)).toMatch(/LZ4 block fails its block checksum/);
  });
});
