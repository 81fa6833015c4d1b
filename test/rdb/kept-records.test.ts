/**
 * RdbFileInfo's lists (aux, resizeDb, functions, moduleAux) keep at most MAX_KEPT_RECORDS entries
 * and count the rest, and AUX `lua` scripts are function records only. Before: every record was
 * kept, AUX `lua` twice (its whole body as a printable AUX value besides the function entry), so a
 * Redis 4.0–6.2 dump of a master with a big script cache (rdb.c rdbSaveRio saves every cached
 * script as AUX `lua`) held every script body in memory: `info` on a 95 MB dump of 200 000
 * scripts peaked at 450 MB and printed 400 000 lines; 40 MB of RESIZEDB / AUX / MODULE_AUX /
 * FUNCTION2 records took 1.1 / 2.7 / 3.9 GB, the last one ending in "Invalid string length".
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { MAX_KEPT_RECORDS } from '../../src/rdb/file-info.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { parseBytes } from '../hostile/helpers.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

const script = (i: number): string => `return redis.call('GET', KEYS[1]) -- script ${i}`;

/** Module id of the 9-character name `AAAAAAAAA`, encver 1 (rdb-format.md §8.1), with when 2 and an empty body. */
const moduleAux = (w: RdbWriter): RdbWriter => w.byte(247).len(1n, 64).len(2).len(2).len(0);

function dump(n: { scripts: number; libraries: number; resize: number; modules: number; aux: number }): Uint8Array {
  const w = new RdbWriter({ version: 9 }).aux('redis-ver', '6.2.14');
  for (let i = 0; i < n.aux; i++) w.aux(`f${i}`, 'v');
  for (let i = 0; i < n.scripts; i++) w.aux('lua', script(i));
  for (let i = 0; i < n.libraries; i++) w.function2(`#!lua name=lib${i}\nredis.register_function('f', function() return 1 end)`);
  for (let i = 0; i < n.modules; i++) moduleAux(w);
  for (let i = 0; i < n.resize; i++) w.selectDb(i).resizeDb(1, 0);
  return w.key(TYPE.STRING, 'k').string('v').finish();
}

describe('the lists of RdbFileInfo are bounded', () => {
  it('the first MAX_KEPT_RECORDS of each list are kept, the rest counted; AUX lua is a function, not an AUX field', async () => {
    const bytes = dump({ scripts: 1500, libraries: 700, resize: 1200, modules: 1001, aux: 1100 });
    const { info, error, records } = await parseBytes(bytes);
    expect(error).toBeNull();
    expect(records.map((r) => r.keyPrintable)).toEqual(['k']);
    expect(MAX_KEPT_RECORDS).toBe(1000);
    // redis-ver and f0..f998 kept; f999..f1099 counted.
    expect(info.aux).toHaveLength(1000);
    expect(info.aux[0]).toEqual({ key: 'redis-ver', value: '6.2.14' });
    expect(info.aux.some((a) => a.key === 'lua')).toBe(false);
    expect(info.functions).toHaveLength(1000);
    expect(info.functions[0]).toEqual({ kind: 'script', engine: 'lua', name: createHash('sha1').update(script(0)).digest('hex'), bytes: script(0).length });
    expect(info.functions.every((f) => f.kind === 'script')).toBe(true);
    expect(info.resizeDb).toHaveLength(1000);
    expect(info.resizeDb[999]).toEqual({ db: 999, keys: 1, expires: 0 });
    expect(info.moduleAux).toHaveLength(1000);
    expect(info.omitted).toEqual({ aux: 101, resizeDb: 200, functions: 1500 + 700 - 1000, moduleAux: 1 });
  });

  it('below the limit nothing is omitted and FUNCTION2 libraries keep their names', async () => {
    const { info } = await parseBytes(dump({ scripts: 2, libraries: 2, resize: 2, modules: 2, aux: 2 }));
    expect(info.omitted).toEqual({ aux: 0, resizeDb: 0, functions: 0, moduleAux: 0 });
    expect(info.functions.map((f) => `${f.kind}:${f.name}`)).toEqual([
      `script:${createHash('sha1').update(script(0)).digest('hex')}`,
      `script:${createHash('sha1').update(script(1)).digest('hex')}`,
      'library:lib0',
      'library:lib1',
    ]);
    expect(info.aux.map((a) => a.key)).toEqual(['redis-ver', 'f0', 'f1']);
  });

  it('info says how many were not listed (text and JSON)', () => {
    const file = join(tempDir(), 'many.rdb');
    writeFileSync(file, dump({ scripts: 1200, libraries: 0, resize: 0, modules: 1003, aux: 1000 }));
    const text = runCli(['info', file], process.cwd());
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines).toContain('aux            1 more AUX fields, not listed');
    expect(lines).toContain('function       200 more, not listed');
    expect(lines).toContain('module aux     3 more, not listed');
    expect(lines.filter((l) => l.startsWith('aux lua'))).toEqual([]);
    const json = runCli(['info', file, '--format', 'json'], process.cwd());
    expect(JSON.parse(json.stdout).omitted).toEqual({ aux: 1, resizeDb: 0, functions: 200, moduleAux: 3 });
  });
});
