import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isRdbError } from '../../src/core/errors.js';
import { openInput } from '../../src/input/open-input.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

const plain = () => readFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb'));

/** Every chunk copied as it arrives (chunks are valid only until the next one is requested). */
async function readAll(path: string): Promise<Buffer> {
  const input = await openInput(path);
  const parts: Buffer[] = [];
  for await (const c of input.chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

describe('openInput on compressed files (read through one reused buffer)', () => {
  it('gzip and LZ4 copies yield exactly the plain dump, across many read buffers', async () => {
    const dir = tempDir();
    // Larger than the 1 MiB read buffer, so the reused buffer is refilled while zlib/LZ4 work.
    const big = Buffer.concat(Array.from({ length: 40 }, () => plain()));
    const gz = join(dir, 'big.rdb.gz');
    writeFileSync(gz, gzipSync(big, { level: 1 }));
    expect((await readAll(gz)).equals(big)).toBe(true);
    expect((await readAll(join(FIXTURES_DIR, 'mixed-7.0.rdb.gz'))).equals(plain())).toBe(true);
    expect((await readAll(join(FIXTURES_DIR, 'mixed-7.0.rdb.lz4'))).equals(plain())).toBe(true);
  });

  it('a reader that stops early does not hang', async () => {
    for (const name of ['mixed-7.0.rdb.gz', 'mixed-7.0.rdb.lz4']) {
      const input = await openInput(join(FIXTURES_DIR, name));
      for await (const c of input.chunks) {
        expect(c.length).toBeGreaterThan(0);
        break;
      }
    }
  });

  it('a gzip stream zlib fails on mid-way rejects with BAD_COMPRESSION instead of hanging', async () => {
    const dir = tempDir();
    const gz = Buffer.from(gzipSync(plain()));
    for (let i = 100; i < 200; i++) gz[i] = 0x55;
    const p = join(dir, 'corrupt.rdb.gz');
    writeFileSync(p, gz);
    const err = await readAll(p).then(() => null, (e: unknown) => e);
    expect(isRdbError(err) && err.code).toBe('BAD_COMPRESSION');
  });
});
