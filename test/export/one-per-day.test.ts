/**
 * `export --db` writes one partition per instance and day (docs/fleet.md): of a day's snapshots it
 * keeps the latest complete one, so a cut retry later that day does not take the whole dump's place.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auxInt, withCtime } from '../../scripts/lib/rdb-patch.mjs';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';
import { Duck } from './duck.js';

describe.skipIf(!cliBuilt)('export --db: one snapshot per instance and day', () => {
  it('keeps the day\'s latest complete snapshot over a PARTIAL one taken later, and the latest of two complete ones', async () => {
    const dir = tempDir();
    const bytes = readFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb'));
    // Midnight UTC of the fixture's day, plus hours: all on one day.
    const day = Math.floor(auxInt(bytes, 'ctime')! / 86_400) * 86_400;
    const dump = (name: string, hour: number, cut = false) => {
      const file = join(dir, name);
      const dated = withCtime(bytes, day + hour * 3600);
      writeFileSync(file, cut ? dated.subarray(0, 60_000) : dated);
      return file;
    };
    const db = join(dir, 'x.sqlite');
    const load = (file: string) => runCli(['load', file, '--db', db, '--instance', 'fleet', '--quiet'], dir);
    expect(load(dump('a-full.rdb', 1)).code).toBe(0);
    expect(load(dump('b-cut.rdb', 2, true)).code).toBe(1);

    const out = join(dir, 'out');
    const r = runCli(['export', '--db', db, '--out', out, '--quiet'], dir);
    expect(r.code, r.stderr).toBe(0);
    const partition = `instance=fleet/date=${new Date(day * 1000).toISOString().slice(0, 10)}`;
    expect(r.stderr).toBe(`rdbscope: snapshot 2 (b-cut.rdb) not exported: it is PARTIAL and snapshot 1 (a-full.rdb) is complete, and ${partition} holds one snapshot per instance and day\n`);
    const duck = await Duck.open();
    const exported = async () => duck.all(`SELECT file_name, status FROM '${out}/${partition}/snapshot.parquet'`);
    try {
      expect(await exported()).toEqual([{ file_name: 'a-full.rdb', status: 'complete' }]);
      // A later complete one takes the day.
      expect(load(dump('c-full.rdb', 3)).code).toBe(0);
      const again = runCli(['export', '--db', db, '--out', out, '--quiet'], dir);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr.trim().split('\n')).toEqual([
        `rdbscope: snapshot 1 (a-full.rdb) not exported: snapshot 3 (c-full.rdb) is later, and ${partition} holds one snapshot per instance and day`,
        `rdbscope: snapshot 2 (b-cut.rdb) not exported: it is PARTIAL and snapshot 3 (c-full.rdb) is complete, and ${partition} holds one snapshot per instance and day`,
      ]);
      expect(await exported()).toEqual([{ file_name: 'c-full.rdb', status: 'complete' }]);
    } finally {
      duck.close();
    }
  });

  it('exports a day\'s only snapshot when it is PARTIAL, and exits 1 with its stored error, even with --quiet, as an export of the dump does', async () => {
    const dir = tempDir();
    const bytes = readFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb'));
    const cut = join(dir, 'cut.rdb');
    writeFileSync(cut, bytes.subarray(0, 60_000));
    const db = join(dir, 'x.sqlite');
    const loaded = runCli(['load', cut, '--db', db, '--instance', 'fleet', '--quiet'], dir);
    expect(loaded.code).toBe(1);
    const stored = loaded.stderr.split('\n')[0]!.replace(/^rdbscope: /, '');

    const fromDump = runCli(['export', cut, '--out', join(dir, 'from-dump'), '--instance', 'fleet', '--quiet'], dir);
    expect(fromDump.code).toBe(1);
    const out = join(dir, 'out');
    const r = runCli(['export', '--db', db, '--out', out, '--quiet'], dir);
    expect(r.code, r.stderr).toBe(1);
    const partition = `instance=fleet/date=${new Date(auxInt(bytes, 'ctime')! * 1000).toISOString().slice(0, 10)}`;
    const rows = /: (\d+) keys read before the error/.exec(loaded.stdout)![1]!;
    expect(r.stderr).toBe(`rdbscope: ${stored} (snapshot 1 is PARTIAL: ${rows} keys read before the error; exported to ${join(out, partition)})\n`);
    const duck = await Duck.open();
    try {
      expect(await duck.all(`SELECT status, key_count FROM '${out}/${partition}/snapshot.parquet'`)).toEqual([{ status: 'partial', key_count: Number(rows) }]);
    } finally {
      duck.close();
    }
  });
});
