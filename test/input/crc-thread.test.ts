/**
 * The CRC64 computed on a second thread (src/input/crc-thread.ts) must give every parse the outcome
 * the inline checksum gives: same status, same error (code, offset), same bytes read, records and
 * trailing bytes, on good dumps and on dumps with a wrong, disabled or missing checksum, bytes after
 * the trailer, or a cut. Sources under vitest have no compiled worker entry, so this runs against
 * dist/ (built by `npm test`).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { openInput as OpenInputFn } from '../../src/input/open-input.js';
import type { parseRdb as ParseRdbFn } from '../../src/rdb/index.js';
import { CORPUS_DIR, FIXTURES_DIR, PROJECT_ROOT, corpusPresent } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

const DIST = join(PROJECT_ROOT, 'dist');
const built = existsSync(join(DIST, 'input', 'crc-worker.js'));

interface Outcome {
  checksum: unknown;
  complete: boolean;
  bytesRead: number;
  trailingBytes: number;
  records: number;
  error: string | null;
  threaded: boolean;
}

async function api(): Promise<{ openInput: typeof OpenInputFn; parseRdb: typeof ParseRdbFn }> {
  const { openInput } = (await import(pathToFileURL(join(DIST, 'input', 'open-input.js')).href)) as { openInput: typeof OpenInputFn };
  const { parseRdb } = (await import(pathToFileURL(join(DIST, 'rdb', 'index.js')).href)) as { parseRdb: typeof ParseRdbFn };
  return { openInput, parseRdb };
}

async function outcome(path: string, threaded: boolean): Promise<Outcome> {
  const { openInput, parseRdb } = await api();
  const input = await openInput(path, undefined, { crcThread: threaded, crcThreadMinBytes: 0 });
  const parse = parseRdb(input.chunks, { fileName: path, checksumSource: input.checksumSource });
  let records = 0;
  let error: string | null = null;
  try {
    for await (const b of parse.batches()) records += b.length;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const i = parse.info;
  return { checksum: i.checksum, complete: i.complete, bytesRead: i.bytesRead, trailingBytes: i.trailingBytes, records, error, threaded: input.checksumSource !== null };
}

function plainDumps(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...plainDumps(p));
    else if (e.name.endsWith('.rdb')) out.push(p);
  }
  return out.sort();
}

describe.skipIf(!built)('CRC64 on a second thread', () => {
  it('gives the inline outcome on every plain fixture and corpus dump', async () => {
    const files = [...plainDumps(FIXTURES_DIR), ...(corpusPresent() ? plainDumps(CORPUS_DIR) : [])];
    // Every fixture, and the corpus dumps when the corpus sits beside the project.
    expect(files.length).toBeGreaterThan(corpusPresent() ? 20 : 10);
    let threadedOk = 0;
    for (const f of files) {
      const inline = await outcome(f, false);
      const threaded = await outcome(f, true);
      expect(inline.threaded).toBe(false);
      expect(threaded.threaded, f).toBe(readFileSync(f).length >= 8);
      expect({ ...threaded, threaded: false }, f).toEqual(inline);
      if (inline.checksum && (inline.checksum as { status: string }).status === 'ok') threadedOk++;
    }
    expect(threadedOk).toBeGreaterThan(10);
  }, 120_000);

  it('agrees on a wrong checksum, a disabled one, bytes after the trailer and a cut', async () => {
    const dir = tempDir();
    const good = readFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb'));
    const variants: [string, Buffer][] = [
      ['flipped-byte', Buffer.from(good.map((b, i) => (i === 5000 ? b ^ 0x01 : b)))],
      ['wrong-trailer', Buffer.concat([good.subarray(0, good.length - 8), Buffer.from('0123456789abcdef', 'hex')])],
      ['disabled', Buffer.concat([good.subarray(0, good.length - 8), Buffer.alloc(8)])],
      ['trailing-bytes', Buffer.concat([good, Buffer.from('*1\r\n$4\r\nPING\r\n')])],
      ['trailing-and-flipped', Buffer.concat([Buffer.from(good.map((b, i) => (i === 70000 ? b ^ 0x80 : b))), Buffer.alloc(3000, 7)])],
      ['cut', good.subarray(0, good.length - 100)],
      ['cut-in-trailer', good.subarray(0, good.length - 3)],
    ];
    for (const [name, bytes] of variants) {
      const p = join(dir, `${name}.rdb`);
      writeFileSync(p, bytes);
      const inline = await outcome(p, false);
      const threaded = await outcome(p, true);
      expect(threaded.threaded, name).toBe(true);
      expect({ ...threaded, threaded: false }, name).toEqual(inline);
    }
    expect((await outcome(join(dir, 'flipped-byte.rdb'), true)).error).toMatch(/CHECKSUM_MISMATCH/);
    expect((await outcome(join(dir, 'trailing-bytes.rdb'), true)).checksum).toMatchObject({ status: 'ok' });
  });
});
