import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

// A dump is stored once, under the instance of its first load: a later load naming another instance
// says so instead of reporting "nothing to do" as if the dump now counted for that instance.

describe.skipIf(!cliBuilt)('load --instance of a dump already loaded for another instance', () => {
  it('warns on stderr, even with --quiet, for the same file and for a copy of its content', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'shard-1'));
    const dump = join(dir, 'shard-1', 'dump.rdb');
    copyFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb'), dump);
    const gz = join(dir, 'dump.rdb.gz');
    copyFileSync(join(FIXTURES_DIR, 'mixed-7.0.rdb.gz'), gz);
    const db = join(dir, 'x.sqlite');
    expect(runCli(['load', dump, '--db', db, '--quiet'], dir)).toMatchObject({ code: 0, stderr: '' });

    const again = runCli(['load', dump, gz, '--db', db, '--instance', 'shard-9', '--quiet'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr.trim().split('\n')).toEqual([
      `rdbscope: ${dump}: WARNING: already loaded as a snapshot of instance shard-1, not shard-9: reports of shard-9 leave it out`,
      `rdbscope: ${gz}: WARNING: already loaded as a snapshot of instance shard-1, not shard-9: reports of shard-9 leave it out`,
    ]);
    // the same instance, or none given: nothing to warn about
    expect(runCli(['load', dump, '--db', db, '--instance', 'shard-1', '--quiet'], dir)).toMatchObject({ code: 0, stderr: '' });
    expect(runCli(['load', gz, '--db', db, '--quiet'], dir)).toMatchObject({ code: 0, stderr: '' });
  });
});
