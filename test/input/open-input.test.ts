import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import lz4 from 'lz4js';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isRdbError } from '../../src/core/errors.js';
import { openInput } from '../../src/input/open-input.js';
import { FIXTURES_DIR, PROJECT_ROOT } from '../support/corpus.js';
import { CLI_MAIN } from '../support/cli.js';
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

  it.skipIf(!existsSync('/proc/self/fd'))('a compressed file that fails or is abandoned mid-way is closed', async () => {
    const dir = tempDir();
    const lz = readFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb.lz4'));
    const cut = join(dir, 'cut.rdb.lz4');
    writeFileSync(cut, lz.subarray(0, lz.length >> 1));
    const openFds = () => readdirSync('/proc/self/fd').length;
    const before = openFds();
    for (let i = 0; i < 5; i++) {
      await readAll(cut).catch(() => undefined);
      const input = await openInput(join(FIXTURES_DIR, 'mixed-7.0.rdb.gz'));
      for await (const _ of input.chunks) break;
    }
    expect(openFds()).toBe(before);
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

// The compiled build decodes LZ4 on a worker thread (src/input/lz4-thread.ts); sources under vitest
// have no compiled worker entry and decode in-thread, so this part runs against dist/.
const DIST_OPEN_INPUT = join(PROJECT_ROOT, 'dist', 'input', 'open-input.js');
describe.skipIf(!existsSync(DIST_OPEN_INPUT))('LZ4 decoded on a worker thread (compiled build)', () => {
  type OpenInput = typeof openInput;
  const distOpen = async (): Promise<OpenInput> => ((await import(pathToFileURL(DIST_OPEN_INPUT).href)) as { openInput: OpenInput }).openInput;
  const readAllWith = async (open: OpenInput, path: string, options?: { lz4Thread?: boolean }) => {
    const input = await open(path, undefined, options);
    const parts: Buffer[] = [];
    for await (const c of input.chunks) parts.push(Buffer.from(c));
    return { bytes: Buffer.concat(parts), bytesIn: input.bytesIn() };
  };

  it('yields exactly the plain dump, over many chunks, and counts the compressed bytes read', async () => {
    const open = await distOpen();
    const dir = tempDir();
    const big = Buffer.concat(Array.from({ length: 40 }, () => plain()));
    const p = join(dir, 'big.rdb.lz4');
    writeFileSync(p, lz4.compress(big));
    const threaded = await readAllWith(open, p);
    expect(threaded.bytes.equals(big)).toBe(true);
    expect(threaded.bytesIn).toBe(statSync(p).size);
    const inThread = await readAllWith(open, p, { lz4Thread: false });
    expect(inThread.bytes.equals(big)).toBe(true);
    expect((await readAllWith(open, join(FIXTURES_DIR, 'mixed-7.0.rdb.lz4'))).bytes.equals(plain())).toBe(true);
  });

  it('a truncated frame is a BAD_COMPRESSION error naming the file, and an early stop ends the worker', async () => {
    const open = await distOpen();
    const dir = tempDir();
    const lz = readFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb.lz4'));
    const cut = join(dir, 'cut.rdb.lz4');
    writeFileSync(cut, lz.subarray(0, lz.length >> 1));
    const err = await readAllWith(open, cut).then(() => null, (e: unknown) => e as { code?: string; file?: string });
    expect(err?.code).toBe('BAD_COMPRESSION');
    expect(err?.file).toBe(cut);
    const input = await open(join(FIXTURES_DIR, 'mixed-7.0.rdb.lz4'));
    for await (const c of input.chunks) {
      expect(c.length).toBeGreaterThan(0);
      break;
    }
  });
});

describe.skipIf(process.platform === 'win32')('openInput on a FIFO (a process substitution, a named pipe)', () => {
  /** A named pipe in a temp directory that `bytes` are written into once a reader opens it. */
  function fifoWith(bytes: Buffer): string {
    const dir = tempDir();
    const fifo = join(dir, 'dump.fifo');
    execFileSync('mkfifo', [fifo]);
    // The write end blocks until the reader opens the pipe: a child process holds it.
    spawn('sh', ['-c', 'cat > "$1"', 'sh', fifo], { stdio: ['pipe', 'ignore', 'ignore'] }).stdin!.end(bytes);
    return fifo;
  }

  it('is read in order as a stream: plain and gzip copies yield the plain dump', async () => {
    expect((await readAll(fifoWith(plain()))).equals(plain())).toBe(true);
    const input = await openInput(fifoWith(gzipSync(plain())));
    const parts: Buffer[] = [];
    for await (const c of input.chunks) parts.push(Buffer.from(c));
    expect(input.compression).toBe('gzip');
    expect(input.fileBytes).toBeNull();
    expect(Buffer.concat(parts).equals(plain())).toBe(true);
  });

  it('load refuses it in one line that says why (a load reads the file twice)', () => {
    const dir = tempDir();
    const r = spawnSync(process.execPath, [CLI_MAIN, 'load', fifoWith(plain()), '--db', join(dir, 'x.sqlite')], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^rdbscope: \S+dump\.fifo: not a regular file \(a pipe or device\): a load reads the dump file twice[^\n]*\n$/);
  });

  it('load refuses `-` (standard input, which info and keys read) in one line that says why', () => {
    const dir = tempDir();
    const r = spawnSync(process.execPath, [CLI_MAIN, 'load', '-', '--db', join(dir, 'x.sqlite')], { input: plain(), encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('rdbscope: -: standard input: a load reads the dump file twice, for its fingerprint and for its keys; save the stream to a file first [IO]\n');
  });

  it('load refuses a pipe no process writes to, without waiting for a writer', () => {
    const dir = tempDir();
    const fifo = join(dir, 'idle.fifo');
    execFileSync('mkfifo', [fifo]);
    // Opening a pipe for reading waits for a writer: the refusal must come before any open.
    const r = spawnSync(process.execPath, [CLI_MAIN, 'load', fifo, '--db', join(dir, 'x.sqlite')], { encoding: 'utf8', timeout: 20_000 });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^rdbscope: \S+idle\.fifo: not a regular file \(a pipe or device\)[^\n]*\n$/);
  });
});

describe("the dump's size uncompressed, before it is read (OpenedInput.rdbBytes)", () => {
  const dump = join(FIXTURES_DIR, 'mixed-7.0.rdb');
  const bytes = readFileSync(dump);

  it("is a plain file's size and a gzip file's trailer size", async () => {
    const dir = tempDir();
    const gz = join(dir, 'dump.rdb.gz');
    writeFileSync(gz, gzipSync(bytes));
    expect((await openInput(dump)).rdbBytes).toBe(bytes.length);
    expect((await openInput(gz)).rdbBytes).toBe(bytes.length);
  });

  it('is unknown when the trailer cannot be the whole size (a last member smaller than the file), for LZ4 and for streams', async () => {
    const dir = tempDir();
    const members = join(dir, 'members.rdb.gz');
    const cut = bytes.length - 100;
    writeFileSync(members, Buffer.concat([gzipSync(bytes.subarray(0, cut)), gzipSync(bytes.subarray(cut))]));
    const lz = join(dir, 'dump.rdb.lz4');
    writeFileSync(lz, lz4.compress(bytes));
    expect((await openInput(members)).rdbBytes).toBeNull();
    expect((await openInput(lz)).rdbBytes).toBeNull();
    const { Readable } = await import('node:stream');
    expect((await openInput(Readable.from([bytes]), 'stream')).rdbBytes).toBeNull();
  });
});
