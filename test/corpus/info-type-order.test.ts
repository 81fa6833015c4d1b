/**
 * `info` lists keys per type by count, equal counts by name: it printed them in the order the
 * parser first counted them, which depends on where the input's chunks were cut, so the same dump
 * read from a pipe and from the file gave different lines (redis-8.4.3-modern.rdb: 36 zsets and
 * 36 lists in either order).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, corpusPresent } from '../support/corpus.js';
import { runCli } from '../support/cli.js';
import { spawnSync } from 'node:child_process';
import { CLI_MAIN } from '../support/cli.js';

const dump = join(CORPUS_DIR, 'modern', 'redis-8.4.3-modern.rdb');

describe.skipIf(!corpusPresent('modern'))('info: keys per type', () => {
  it('the same lines from the file and from a pipe, equal counts by name', () => {
    const fromFile = runCli(['info', dump], process.cwd());
    expect(fromFile.code).toBe(0);
    const fromPipe = spawnSync(process.execPath, [CLI_MAIN, 'info', '-'], { input: readFileSync(dump), encoding: 'utf8' });
    expect(fromPipe.status).toBe(0);
    const typeLines = (out: string) => out.split('\n').filter((l) => /^ {2}[a-z]/.test(l) && !l.startsWith('  db '));
    const want = typeLines(fromFile.stdout);
    expect(want).toEqual(['  string       89', '  hash         86', '  set          38', '  list         36', '  zset         36', '  stream       12', '  vectorset    5']);
    expect(typeLines(fromPipe.stdout)).toEqual(want);
  });
});
