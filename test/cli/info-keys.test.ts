/**
 * The real CLI (bin/rdbscope, compiled dist/) on dumps written by a real redis-server, checked
 * against the server's own answers in fixtures/<name>.truth.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, PROJECT_ROOT } from '../support/corpus.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { tempDir } from '../support/temp.js';

const BIN = path.join(PROJECT_ROOT, 'bin', 'rdbscope');

function run(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface TruthKey {
  db: number;
  keyHex: string;
  type: string;
  expireAtMs: number | null;
  elements: number;
}
const truth = JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'mixed-7.0.truth.json'), 'utf8')) as { keyCount: number; keys: TruthKey[]; server: { redis_version: string } };
const fixture = (name: string) => path.join(FIXTURES_DIR, name);

/** Minimal RFC 4180 reader, independent of the writer under test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe('rdbscope info', () => {
  it('reports version, AUX, keys per db and a verified checksum', () => {
    const r = run('info', fixture('mixed-7.0.rdb'), '--format', 'json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.out);
    expect(info.version).toBe(10);
    expect(info.aux['redis-ver']).toBe(truth.server.redis_version);
    expect(info.keys).toBe(truth.keyCount);
    const perDb: Record<string, number> = {};
    for (const k of truth.keys) perDb[k.db] = (perDb[k.db] ?? 0) + 1;
    expect(info.keysPerDb).toEqual(perDb);
    expect(info.checksum.status).toBe('ok');
    expect(info.complete).toBe(true);
  });

  it('reads gzip and lz4 backups, detected by their bytes', () => {
    for (const [file, compression] of [['mixed-7.0.rdb.gz', 'gzip'], ['mixed-7.0.rdb.lz4', 'lz4']] as const) {
      const r = run('info', fixture(file), '--format', 'json');
      expect(r.code, r.err).toBe(0);
      const info = JSON.parse(r.out);
      expect(info.compression).toBe(compression);
      expect(info.keys).toBe(truth.keyCount);
      expect(info.checksum.status).toBe('ok');
    }
  });

  it('text output says when the checksum was not verified', () => {
    const r = run('info', fixture('mixed-7.0.rdb'), '--no-verify');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/checksum\s+not verified/);
  });
});

describe('rdbscope keys', () => {
  it('jsonl: one line per key with the documented fields, agreeing with the server', () => {
    const r = run('keys', fixture('mixed-7.0.rdb'));
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(truth.keyCount);
    const byId = new Map(lines.map((l) => [`${l.db}:${l.keyHex}`, l]));
    for (const k of truth.keys) {
      const l = byId.get(`${k.db}:${k.keyHex}`);
      expect(l, `db ${k.db} key ${k.keyHex}`).toBeDefined();
      expect([l.type, l.elements, l.expireAtMs]).toEqual([k.type, k.elements, k.expireAtMs]);
      for (const f of ['key', 'rdbType', 'valueBytes', 'largestElementBytes', 'memoryBytes', 'encoding']) expect(l).toHaveProperty(f);
    }
  });

  it('csv: parses back to the same keys (binary keys via keyHex)', () => {
    const r = run('keys', fixture('mixed-7.0.rdb'), '--format', 'csv');
    expect(r.code, r.err).toBe(0);
    const [header, ...rows] = parseCsv(r.out);
    expect(header!.slice(0, 4)).toEqual(['db', 'key', 'keyHex', 'type']);
    expect(rows).toHaveLength(truth.keyCount);
    const hexes = new Set(rows.map((row) => `${row[0]}:${row[2]}`));
    for (const k of truth.keys) expect(hexes.has(`${k.db}:${k.keyHex}`)).toBe(true);
  });

  it('csv: every cell equals the jsonl field of the same column (formula-looking text neutralized)', () => {
    const csv = run('keys', fixture('mixed-7.0.rdb'), '--format', 'csv');
    const jsonl = run('keys', fixture('mixed-7.0.rdb'), '--format', 'jsonl');
    expect([csv.code, jsonl.code]).toEqual([0, 0]);
    const [header, ...rows] = parseCsv(csv.out);
    const objects = jsonl.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(header).toEqual(Object.keys(objects[0]!));
    expect(rows).toHaveLength(objects.length);
    rows.forEach((row, i) => {
      const expected = header!.map((c) => {
        const v = objects[i]![c];
        return v === null ? '' : typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
      });
      expect(row).toEqual(expected);
    });
  });

  it('stops and exits 0 when its reader goes away (`| head`), checksum thread and all', async () => {
    // Large enough that stdout back-pressures (a pipe holds 64 KiB) and the CRC thread starts (≥ 32 MiB).
    const w = new RdbWriter({ version: 10 }).aux('redis-ver', '7.0.15').selectDb(0);
    const value = 'v'.repeat(1000);
    for (let i = 0; i < 40_000; i++) w.key(TYPE.STRING, `key:${i}`).string(value);
    const file = path.join(tempDir(), 'many.rdb');
    writeFileSync(file, w.finish());
    for (const format of ['csv', 'jsonl']) {
      const child = spawn(process.execPath, [BIN, 'keys', file, '--format', format], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      child.stdout.destroy();
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      expect(code, `${format}: ${err}`).toBe(0);
      expect(err).toBe('');
    }
  }, 40_000);

  it('many alike keys, to a pipe and to a file: every line whole (the line buffer is refilled after a synchronous write)', () => {
    const w = new RdbWriter({ version: 10 }).aux('redis-ver', '7.0.15').selectDb(0);
    const n = 30_000;
    const expiry = (i: number) => (i % 3 === 0 ? 1_800_000_000_000 + i : null);
    for (let i = 0; i < n; i++) {
      const at = expiry(i);
      if (at !== null) w.expireMs(at);
      w.key(TYPE.STRING, `key:${100_000 + i}`).string('value:12');
    }
    const dir = tempDir();
    const file = path.join(dir, 'alike.rdb');
    writeFileSync(file, w.finish());
    for (const format of ['jsonl', 'csv']) {
      const piped = spawnSync(process.execPath, [BIN, 'keys', file, '--format', format], { encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(piped.status, piped.stderr).toBe(0);
      const outFile = path.join(dir, `alike.${format}`);
      const fd = openSync(outFile, 'w');
      const toFile = spawnSync(process.execPath, [BIN, 'keys', file, '--format', format], { stdio: ['ignore', fd, 'pipe'] });
      closeSync(fd);
      expect(toFile.status, String(toFile.stderr)).toBe(0);
      expect(readFileSync(outFile, 'utf8')).toBe(piped.stdout);
      // Each line names its own key and expiry, in file order, and says what the first says of the rest.
      const cells = (line: string): (string | number | boolean | null)[] => (format === 'jsonl' ? Object.values(JSON.parse(line) as object) : line.split(','));
      const lines = piped.stdout.trimEnd().split('\n').slice(format === 'csv' ? 1 : 0).map(cells);
      expect(lines).toHaveLength(n);
      const empty = format === 'jsonl' ? null : '';
      lines.forEach((got, i) => {
        const key = `key:${100_000 + i}`;
        const at = expiry(i);
        const want = [...lines[0]!];
        want[1] = key;
        want[2] = Buffer.from(key).toString('hex');
        want[10] = at === null ? empty : format === 'jsonl' ? at : String(at);
        expect(got, `${format} line ${i}`).toEqual(want);
      });
    }
  }, 60_000);

  it('rdbtools-csv: the redis-rdb-tools memory report columns', () => {
    const r = run('keys', fixture('mixed-7.0.rdb'), '--format', 'rdbtools-csv');
    expect(r.code, r.err).toBe(0);
    const [header, ...rows] = parseCsv(r.out);
    expect(header).toEqual(['database', 'type', 'key', 'size_in_bytes', 'encoding', 'num_elements', 'len_largest_element', 'expiry']);
    expect(rows).toHaveLength(truth.keyCount);
  });
});

describe('exit codes and messages', () => {
  it('--help exits 0', () => {
    expect(run('--help').code).toBe(0);
    expect(run('keys', '--help').code).toBe(0);
  });

  it('bad usage exits 2 with one line', () => {
    for (const args of [['keys'], ['keys', fixture('mixed-7.0.rdb'), '--format', 'xml'], ['info', fixture('mixed-7.0.rdb'), '--bogus'], ['frobnicate']]) {
      const r = run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n')[0]).toMatch(/error|must be|unknown|missing/i);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it('bad input exits 1 with one line naming the file and the offset', () => {
    const r = run('info', path.join(FIXTURES_DIR, 'mixed-7.0.truth.json'));
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('mixed-7.0.truth.json');
    expect(r.err).toMatch(/at byte 0/);
    const missing = run('keys', fixture('no-such.rdb'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no-such\.rdb: no such file/);
  });
});

describe('info text', () => {
  it('puts every value in one column after the longest name, AUX names longer than the usual ones included', () => {
    const dir = tempDir();
    const w = new RdbWriter({ version: 10 });
    w.aux('redis-ver', '7.0.15').aux('aof-preamble', '0').aux('a-name-far-longer-than-any-column-allows', 'x');
    w.selectDb(0);
    w.key(TYPE.STRING, 'k').string('v');
    const file = path.join(dir, 'aux.rdb');
    writeFileSync(file, w.finish());
    const r = run('info', file);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    // The column starts after the longest name, at most 24 characters: a longer one runs past it.
    expect(lines).toContain(`${'aux aof-preamble'.padEnd(24)} 0`);
    expect(lines).toContain(`${'aux redis-ver'.padEnd(24)} 7.0.15`);
    expect(lines).toContain(`${'keys'.padEnd(24)} 1`);
    expect(lines).toContain('aux a-name-far-longer-than-any-column-allows x');

    const short = new RdbWriter({ version: 10 }).aux('redis-ver', '7.0.15').aux('aof-preamble', '0').selectDb(0);
    short.key(TYPE.STRING, 'k').string('v');
    writeFileSync(file, short.finish());
    const lines16 = run('info', file).out.trimEnd().split('\n');
    expect(lines16).toContain('aux aof-preamble 0');
    expect(lines16).toContain('aux redis-ver    7.0.15');
    expect(lines16).toContain('keys             1');
  });
});
