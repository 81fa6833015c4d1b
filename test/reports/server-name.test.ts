/**
 * Who wrote a dump, as every report's snapshot line and the diagnosis name it: Valkey 9 writes the
 * VALKEY magic; Valkey 8 the REDIS magic with a `valkey-ver` AUX field where Redis writes
 * `redis-ver` (the Valkey 8.0 and 8.1 dumps of the shared corpus); a Valkey that also wrote a
 * `redis-ver` is named by its own version.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { tempDir } from '../support/temp.js';

function dump(magic: 'REDIS' | 'VALKEY', version: number, aux: [string, string][]): Uint8Array {
  const w = new RdbWriter({ magic, version });
  for (const [k, v] of aux) w.aux(k, v);
  w.aux('ctime', '1796396430');
  w.selectDb(0);
  w.key(TYPE.STRING, 'k').string('v');
  return w.finish();
}

describe.skipIf(!cliBuilt)('the server named for a snapshot', () => {
  it.each<[string, Uint8Array, string]>([
    ['valkey8.rdb', dump('REDIS', 11, [['valkey-ver', '8.0.9']]), 'Valkey 8.0.9'],
    ['valkey9.rdb', dump('VALKEY', 80, [['valkey-ver', '9.0.4']]), 'Valkey 9.0.4'],
    ['both.rdb', dump('REDIS', 11, [['redis-ver', '7.2.4'], ['valkey-ver', '8.1.1']]), 'Valkey 8.1.1'],
    ['redis.rdb', dump('REDIS', 11, [['redis-ver', '7.2.4']]), 'Redis 7.2.4'],
  ])('%s: the writer in the reports\' snapshot line and in the diagnosis', (name, bytes, server) => {
    const dir = tempDir();
    writeFileSync(join(dir, name), bytes);
    expect(runCli(['load', name, '--db', 'x.sqlite', '--quiet'], dir).code).toBe(0);
    for (const report of ['summary', 'ttl', 'bigkeys']) {
      const r = runCli(['report', report, '--db', 'x.sqlite', '--format', 'json'], dir);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { notes: string[] }).notes[0], report).toContain(`(ctime), ${server}, RDB v`);
    }
    const d = runCli(['report', 'diagnosis', '--db', 'x.sqlite', '--format', 'json'], dir);
    const snapshot = (JSON.parse(d.stdout) as { tables: Record<string, Record<string, unknown>[]> }).tables['headline']![0]!;
    expect(snapshot['server']).toBe(server);
  });
});
