/**
 * Output safety of `keys`: hostile key bytes (control characters, quotes, separators, non-UTF-8,
 * ANSI escapes, formula prefixes) come out of jsonl and csv with their meaning intact: keyHex gives
 * the exact bytes back, JSON lines parse, CSV parses back to one row per key, and no raw ESC byte
 * reaches the output.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { cliBuilt, runCli } from '../support/cli.js';
import { parseCsv } from '../support/csv-parse.js';
import { tempDir } from '../support/temp.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const KEYS: Uint8Array[] = [
  enc('plain'),
  enc('\x1b[31mred\x1b[0m'),
  enc('\x1b]0;owned\x07title'),
  enc('line1\nline2\r\nline3'),
  enc('tab\there'),
  enc('"quoted", with comma'),
  enc("it's;semi|pipe"),
  enc('=HYPERLINK("http://x","y")'),
  enc('+1+2'),
  enc('-3'),
  enc('@SUM(A1)'),
  enc('\ttabfirst'),
  Uint8Array.of(0xff, 0xfe, 0x00, 0x80, 0x41),
  Uint8Array.of(0xc3, 0x28),
  enc('nul\x00inside'),
  enc('del\x7f'),
  enc('unicode ключ 🔑'),
  enc('\u202eRTL override'),
  enc(''),
  enc('back\\slash\\x41'),
];

function dump(): Uint8Array {
  const w = new RdbWriter({ version: 9 }).aux('redis-ver', '7.0.0').selectDb(0);
  KEYS.forEach((k, i) => w.key(TYPE.STRING, k).string(`v${i}`));
  return w.finish();
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe.skipIf(!cliBuilt)('keys output safety (real CLI)', () => {
  it('jsonl: one parseable line per key, keyHex = exact bytes, no raw ESC', () => {
    const dir = tempDir();
    const p = path.join(dir, 'hostile-keys.rdb');
    writeFileSync(p, dump());
    const r = runCli(['keys', '--format', 'jsonl', p], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\x1b');
    const lines = r.stdout.split('\n').filter((l) => l.length > 0);
    expect(lines).toHaveLength(KEYS.length);
    const rows = lines.map((l) => JSON.parse(l) as { key: string; keyHex: string });
    expect(rows.map((x) => x.keyHex)).toEqual(KEYS.map(hex));
    // Valid UTF-8 keys without control characters or backslashes come back as the same text;
    // a backslash comes back doubled (redis-cli's escaping), so escapes are never ambiguous.
    KEYS.forEach((k, i) => {
      const text = new TextDecoder('utf-8', { fatal: false }).decode(k);
      if (text.includes('\ufffd') || /[\x00-\x1f\x7f]/.test(text)) return;
      const escaped = text.includes('\\') ? text.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : text;
      expect(rows[i]!.key).toBe(escaped);
    });
  });

  it('csv: parses back to one row per key with the same keyHex; formulas neutralised; no raw ESC', () => {
    const dir = tempDir();
    const p = path.join(dir, 'hostile-keys.rdb');
    writeFileSync(p, dump());
    const r = runCli(['keys', '--format', 'csv', p], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\x1b');
    const rows = parseCsv(r.stdout);
    const header = rows[0]!;
    const keyCol = header.indexOf('key');
    const hexCol = header.indexOf('keyHex');
    expect(keyCol).toBeGreaterThanOrEqual(0);
    const body = rows.slice(1);
    expect(body).toHaveLength(KEYS.length);
    expect(body.map((row) => row[hexCol])).toEqual(KEYS.map(hex));
    for (const row of body) {
      expect(row).toHaveLength(header.length);
      // A spreadsheet must not see a formula: the cell does not start with = + - @ (or tab / CR).
      expect(row[keyCol]!).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('rdbtools-csv: parses back to one row per key, no raw ESC', () => {
    const dir = tempDir();
    const p = path.join(dir, 'hostile-keys.rdb');
    writeFileSync(p, dump());
    const r = runCli(['keys', '--format', 'rdbtools-csv', p], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\x1b');
    const rows = parseCsv(r.stdout);
    expect(rows.length - 1).toBe(KEYS.length);
    for (const row of rows) expect(row).toHaveLength(rows[0]!.length);
  });
});
