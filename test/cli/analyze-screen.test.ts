import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { tempDir } from '../support/temp.js';

describe.skipIf(!cliBuilt)('analyze: what the screen says of the snapshot', () => {
  it('a dump read past the version check says its figures may be wrong, on the screen and in the JSON', () => {
    const dir = tempDir();
    // Version 99: no release writes it; --relaxed-version-check reads it anyway.
    const w = new RdbWriter({ version: 99 });
    w.aux('redis-ver', '255.255.255').aux('ctime', '1700000000').aux('used-mem', '1000000').selectDb(0);
    for (let i = 0; i < 5; i++) w.key(TYPE.STRING, `k:${i}`).string('v');
    const file = join(dir, 'future.rdb');
    writeFileSync(file, w.finish({ checksum: 'crc' }));
    const note = 'RDB v99 is a version no release writes: read past the version check (--relaxed-version-check); figures may be wrong';
    const screen = runCli(['analyze', file, '--db', join(dir, 'a.sqlite'), '--relaxed-version-check', '--quiet'], dir);
    expect(screen.code, screen.stderr).toBe(0);
    expect(screen.stdout.split('\n')).toContain(note);
    const json = runCli(['analyze', file, '--db', join(dir, 'b.sqlite'), '--relaxed-version-check', '--quiet', '--format', 'json'], dir);
    expect((JSON.parse(json.stdout) as { notes: string[] }).notes).toContain(note);
  });
});
