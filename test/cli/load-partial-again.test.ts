import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

// A dump that stops halfway is kept as a partial snapshot and the load exits 1. Loading that file
// again (a nightly job run twice, a retry) must give the same verdict, not a green "nothing to do".

describe.skipIf(!cliBuilt)('load of a file already kept as a partial snapshot', () => {
  it('exits 1 with the stored error again, even with --quiet; a complete file beside it stays 0', () => {
    const dir = tempDir();
    const db = join(dir, 'x.sqlite');
    const whole = readFileSync(join(FIXTURES_DIR, 'nightly', 'night-3.rdb'));
    const cut = join(dir, 'cut.rdb');
    writeFileSync(cut, whole.subarray(0, 200_000));
    const good = join(FIXTURES_DIR, 'nightly', 'night-0.rdb');
    const first = runCli(['load', cut, good, '--db', db], dir);
    expect(first.code).toBe(1);
    const error = first.stderr.trim();
    expect(error).toMatch(/^rdbscope: .*cut\.rdb: .* \[UNEXPECTED_EOF\]$/);

    const again = runCli(['load', cut, good, '--db', db], dir);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/cut\.rdb: already loaded as snapshot 1 \(\d+ keys, partial\); nothing to do/);
    expect(again.stderr).toBe(`${error} (kept before as PARTIAL snapshot 1)\n`);
    expect(runCli(['load', cut, '--db', db, '--quiet'], dir)).toEqual({ code: 1, stdout: '', stderr: `${error} (kept before as PARTIAL snapshot 1)\n` });
    expect(runCli(['load', good, '--db', db, '--quiet'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
