import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipMembers } from '../../src/input/gunzip-members.js';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

const plain = () => readFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb'));

/** `bytes` handed over in pieces cut at `cuts` (offsets), through one reused buffer as files are read. */
async function* pieces(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  const at = [0, ...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
  const reused = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < at.length; i++) {
    const piece = reused.subarray(0, at[i + 1]! - at[i]!);
    piece.set(bytes.subarray(at[i]!, at[i + 1]!));
    yield piece;
    piece.fill(0xee); // what the next read would do to it
  }
}

/** What gunzipMembers yields (copied) and how it ends. */
async function gunzip(bytes: Uint8Array, cuts: number[] = []): Promise<{ out: Buffer; error: (Error & { code?: string }) | null }> {
  const parts: Buffer[] = [];
  try {
    for await (const c of gunzipMembers(pieces(bytes, cuts))) parts.push(Buffer.from(c));
    return { out: Buffer.concat(parts), error: null };
  } catch (e) {
    return { out: Buffer.concat(parts), error: e as Error };
  }
}

/** A gzip member with the optional header fields of RFC 1952 §2.3 (FEXTRA, FNAME, FCOMMENT, FHCRC). */
function withHeaderFields(gz: Buffer): Buffer {
  const head = Buffer.from(gz.subarray(0, 10));
  head[3] = 0x04 | 0x08 | 0x10 | 0x02;
  const extra = Buffer.from([5, 0, 1, 2, 3, 4, 5]);
  const fields = Buffer.concat([head, extra, Buffer.from('dump.rdb\0'), Buffer.from('a comment\0')]);
  const hcrc = crc32(fields) & 0xffff;
  return Buffer.concat([fields, Buffer.from([hcrc & 0xff, hcrc >> 8]), gz.subarray(10)]);
}

describe('gunzipMembers', () => {
  const data = plain();
  const gz = gzipSync(data);

  it('yields exactly what zlib gunzips, whatever the input pieces: one byte at a time through the header, a piece ending where the deflate data ends', async () => {
    const headerBytes = Array.from({ length: 12 }, (_, i) => i + 1);
    const trailerAt = gz.length - 8;
    for (const cuts of [[], headerBytes, [trailerAt], [trailerAt - 1, trailerAt + 3], [trailerAt + 8 - 1], [100, 4096, trailerAt]]) {
      const r = await gunzip(gz, cuts);
      expect(r.error, JSON.stringify(cuts)).toBeNull();
      expect(r.out.equals(data), JSON.stringify(cuts)).toBe(true);
    }
  });

  it('reads the optional header fields, members one after another, and zero padding after the last', async () => {
    const a = withHeaderFields(gzipSync(data.subarray(0, 5000)));
    const b = gzipSync(data.subarray(5000));
    const joined = Buffer.concat([a, b, Buffer.alloc(100)]);
    expect(gunzipSync(joined).equals(data)).toBe(true);
    const r = await gunzip(joined, [a.length, a.length + 3, 15, 16, 17]);
    expect(r.error).toBeNull();
    expect(r.out.equals(data)).toBe(true);
  });

  it('a bad CRC32 or ISIZE in the trailer is reported after every inflated byte went out', async () => {
    for (const [at, message] of [[gz.length - 6, 'incorrect data check'], [gz.length - 2, 'incorrect length check']] as const) {
      const bad = Buffer.from(gz);
      bad[at]! ^= 0xff;
      expect(() => gunzipSync(bad)).toThrow(message);
      const r = await gunzip(bad);
      expect(r.out.equals(data)).toBe(true);
      expect(r.error).toMatchObject({ code: 'Z_DATA_ERROR', message });
    }
  });

  it('a cut file yields what it inflated, then unexpected end of file (in the deflate data, in the trailer, before any)', async () => {
    for (const cut of [gz.length >> 1, gz.length - 8, gz.length - 3, 5]) {
      const r = await gunzip(gz.subarray(0, cut));
      expect(r.error, String(cut)).toMatchObject({ code: 'Z_BUF_ERROR' });
      expect(r.error!.message).toMatch(/^unexpected end of file/);
      expect(data.subarray(0, r.out.length).equals(r.out), String(cut)).toBe(true);
      if (cut >= gz.length - 8) expect(r.out.length).toBe(data.length);
    }
  });

  it('thousands of small members (each inflated in one call when it lies whole in a piece), cut anywhere', async () => {
    const members: Buffer[] = [];
    for (let at = 0; at < data.length; at += 37) members.push(gzipSync(Buffer.alloc(0)), gzipSync(data.subarray(at, at + 37)));
    const joined = Buffer.concat(members);
    expect(gunzipSync(joined).equals(data)).toBe(true);
    for (const cuts of [[], Array.from({ length: joined.length >> 12 }, (_, i) => (i + 1) * 4093)]) {
      const r = await gunzip(joined, cuts);
      expect(r.error).toBeNull();
      expect(r.out.equals(data)).toBe(true);
    }
    // A small member's faults: its bytes still go out before a bad trailer; bad deflate data is zlib's error.
    const lastAt = joined.length - members.at(-1)!.length;
    const badCrc = Buffer.from(joined);
    badCrc[badCrc.length - 6]! ^= 0xff;
    expect(await gunzip(badCrc)).toMatchObject({ out: data, error: { code: 'Z_DATA_ERROR', message: 'incorrect data check', compressedAt: joined.length - 8 } });
    const badData = Buffer.concat([joined.subarray(0, lastAt), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0])]);
    expect(() => gunzipSync(badData)).toThrow();
    const r = await gunzip(badData);
    expect(r.error).toMatchObject({ code: 'Z_DATA_ERROR' });
    expect(r.out.equals(data.subarray(0, r.out.length))).toBe(true);
    expect(r.out.length).toBeGreaterThan(data.length - 37);
  });

  it('bytes that start no member are an incorrect header check, as zlib says', async () => {
    const r = await gunzip(Buffer.concat([gz, Buffer.from('junk after the member')]));
    expect(r.out.equals(data)).toBe(true);
    expect(r.error).toMatchObject({ code: 'Z_DATA_ERROR', message: 'incorrect header check' });
    const badCrc = withHeaderFields(gzipSync(data));
    badCrc[10 + 7 + 9 + 10]! ^= 1;
    expect(() => gunzipSync(badCrc)).toThrow('header crc mismatch');
    expect(await gunzip(badCrc)).toMatchObject({ error: { code: 'Z_DATA_ERROR', message: 'header crc mismatch' } });
    const bad = Buffer.from(gz);
    bad[2] = 7;
    expect(await gunzip(bad)).toMatchObject({ error: { code: 'Z_DATA_ERROR', message: 'unknown compression method' } });
  });
});

describe('where a gzip fault is, in compressed bytes (as an LZ4 fault says it)', () => {
  const data = plain();
  const gz = gzipSync(data);
  it('the trailer field, the header byte, the end of a cut file, the first byte that starts no member', async () => {
    const at = async (bytes: Buffer) => ((await gunzip(bytes, [1000, 5000])).error as { compressedAt?: number } | null)?.compressedAt;
    const flip = (i: number) => {
      const b = Buffer.from(gz);
      b[i]! ^= 0xff;
      return b;
    };
    expect(await at(flip(gz.length - 6))).toBe(gz.length - 8); // CRC32
    expect(await at(flip(gz.length - 2))).toBe(gz.length - 4); // ISIZE
    expect(await at(flip(2))).toBe(2); // CM
    expect(await at(gz.subarray(0, 3000))).toBe(3000);
    expect(await at(Buffer.concat([gz, gz, Buffer.from('junk')]))).toBe(2 * gz.length);
    const badHcrc = withHeaderFields(gzipSync(data));
    badHcrc[10 + 7 + 9 + 10]! ^= 1;
    expect(await at(badHcrc)).toBe(10 + 7 + 9 + 10);
  });

  it('a fault zlib finds in the deflate data: the range of the piece it was given', async () => {
    const second = Buffer.from(gzipSync(data));
    second[10] = 0xff; // the first deflate block header: BTYPE 11, reserved (RFC 1951 §3.2.3)
    const r = await gunzip(Buffer.concat([gz, second]), [gz.length + 4000]);
    expect(r.out.equals(data)).toBe(true);
    expect(r.error).toMatchObject({ code: 'Z_DATA_ERROR', message: 'invalid block type', compressedAt: gz.length + 10, compressedTo: gz.length + 4000 });
  });
});

describe('gzip header fields of any length (RFC 1952 §2.3: FNAME and FCOMMENT end at a zero byte, no limit)', () => {
  it('a 48 MiB FNAME and a 48 MiB FCOMMENT, checked by FHCRC, are skipped in well under a second, not byte by byte', async () => {
    const data = plain();
    const gz = gzipSync(data);
    const head = Buffer.from(gz.subarray(0, 10));
    head[3] = 0x08 | 0x10 | 0x02;
    const long = Buffer.alloc(48 << 20, 0x6e);
    const fields = Buffer.concat([head, long, Buffer.from([0]), long, Buffer.from([0])]);
    const hcrc = crc32(fields) & 0xffff;
    const member = Buffer.concat([fields, Buffer.from([hcrc & 0xff, hcrc >> 8]), gz.subarray(10)]);
    expect(gunzipSync(member).equals(data)).toBe(true);
    const started = Date.now();
    // In 1 MiB pieces, as a file is read: runs cross piece boundaries.
    const r = await gunzip(member, Array.from({ length: 100 }, (_, i) => (i + 1) << 20));
    const ms = Date.now() - started;
    expect(r.error).toBeNull();
    expect(r.out.equals(data)).toBe(true);
    // Byte by byte it took ~28 s; a run at a time ~0.3 s. The bound leaves room for a busy machine.
    expect(ms).toBeLessThan(5000);
    // The header CRC still covers every byte: one flipped inside the name is refused.
    member[10 + 1000]! ^= 1;
    expect(await gunzip(member)).toMatchObject({ error: { code: 'Z_DATA_ERROR', message: 'header crc mismatch' } });
  }, 60_000);
});

describe.skipIf(!cliBuilt)('a .gz dump whose only fault is its trailer', () => {
  it('keys prints every key and load keeps them all in a partial snapshot, then the gzip error', () => {
    const dir = tempDir();
    const gz = Buffer.from(readFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb.gz')));
    gz[gz.length - 6]! ^= 0xff;
    const bad = join(dir, 'crc.rdb.gz');
    writeFileSync(bad, gz);
    const want = runCli(['keys', join(FIXTURES_DIR, 'mixed-7.0.rdb')], dir);
    expect(want.code).toBe(0);
    const got = runCli(['keys', bad], dir);
    expect(got.stdout).toBe(want.stdout);
    expect(got.code).toBe(1);
    expect(got.stderr).toMatch(new RegExp(`gzip input is corrupt \\(incorrect data check\\) at compressed byte ${gz.length - 8} at byte \\d+ \\[BAD_COMPRESSION\\]\\n$`));
    const db = join(dir, 'x.sqlite');
    const load = runCli(['load', bad, '--db', db], dir);
    expect(load.code).toBe(1);
    expect(load.stdout).toMatch(/kept as PARTIAL snapshot 1: (\d+) keys read before the error/);
    expect(Number(/PARTIAL snapshot 1: (\d+) keys/.exec(load.stdout)![1])).toBe(want.stdout.trim().split('\n').length);
  });
});
