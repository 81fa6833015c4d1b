/**
 * keys.parquet row groups are bounded in bytes as well as rows: long binary keys (their key_text is
 * the redis-cli escaping, four characters a byte) fill a group long before KEY_ROWS_PER_GROUP rows.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { KEY_GROUP_BYTES, KEY_ROWS_PER_GROUP } from '../../src/export/key-columns.js';
import { cliBuilt, runCliAsync } from '../support/cli.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { tempDir } from '../support/temp.js';
import { Duck } from './duck.js';

it.skipIf(!cliBuilt)('long binary keys: every row group holds at most KEY_GROUP_BYTES of key and key_text past one row, and every key exact', async () => {
  const dir = tempDir();
  const keyBytes = 200_000;
  // 40 keys of 0xff bytes: 8 MB of keys, 32 MB of `\xff` text; far fewer rows than a row group's count.
  const n = 40;
  const prefix = (i: number) => `k${String(i).padStart(2, '0')}:`;
  expect(n).toBeLessThan(KEY_ROWS_PER_GROUP);
  const w = new RdbWriter({ version: 10 });
  w.aux('ctime', '1700000000');
  w.selectDb(0);
  for (let i = 0; i < n; i++) {
    const key = new Uint8Array(keyBytes).fill(0xff);
    key.set(new TextEncoder().encode(prefix(i)));
    w.key(TYPE.STRING, key).string('v');
  }
  const file = join(dir, 'long-keys.rdb');
  writeFileSync(file, w.finish());
  const out = join(dir, 'out');
  const r = await runCliAsync(['export', file, '--out', out, '--quiet'], dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const keys = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('keys.parquet'));
  expect(keys).toHaveLength(1);
  const path = join(out, keys[0]!);
  const duck = await Duck.open();
  try {
    const groups = await duck.all(
      `SELECT row_group_id AS g, max(row_group_num_rows) AS rows, sum(total_uncompressed_size) AS bytes
         FROM parquet_metadata('${path}') WHERE path_in_schema IN ('key', 'key_text') GROUP BY g ORDER BY g`,
    );
    const perRow = keyBytes + 4 * keyBytes;
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.reduce((s, g) => s + (g['rows'] as number), 0)).toBe(n);
    for (const g of groups) expect(g['bytes'] as number).toBeLessThan(KEY_GROUP_BYTES + perRow + 65_536);
    // Each key whole, in dump order: its bytes, and its text as redis-cli prints it.
    const rows = await duck.all(`SELECT octet_length(key) AS len, key_text[1:4] AS head, length(key_text) AS text, key_text = key_text[1:4] || repeat('\\xff', ${keyBytes - 4}) AS exact FROM '${path}'`);
    expect(rows).toEqual(Array.from({ length: n }, (_, i) => ({ len: keyBytes, head: prefix(i), text: 4 + 4 * (keyBytes - 4), exact: true })));
  } finally {
    duck.close();
  }
}, 120_000);
