/**
 * A dump the export refuses (its directory's name makes a partition name longer than a file name)
 * is one line and exit 1, and the dumps after it are still exported, from files and from --db.
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cliBuilt, runCliAsync } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

it.skipIf(!cliBuilt)('a refused dump or snapshot does not stop the next ones', async () => {
  const dir = tempDir();
  // 100 `%`: a valid directory name, whose instance partition escapes to 309 bytes.
  const long = '%'.repeat(100);
  const dumps = [['a-first', 'lru-7.0.rdb'], [long, 'lfu-7.0.rdb'], ['z-last', 'mixed-7.0.rdb']].map(([d, f]) => {
    mkdirSync(join(dir, d!));
    copyFileSync(join(FIXTURES_DIR, f!), join(dir, d!, f!));
    return join(d!, f!);
  });
  const refusal = (subject: string) => new RegExp(`^rdbscope: ${subject.replace(/[().]/g, '\\$&')}: instance name "%{100}" makes a partition directory name of 309 bytes`);

  const r = await runCliAsync(['export', ...dumps, '--out', 'out', '--quiet'], dir);
  expect(r.code).toBe(1);
  expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  expect(r.stderr).toMatch(refusal(dumps[1]!));
  expect(readdirSync(join(dir, 'out')).filter((f) => !f.startsWith('.')).sort()).toEqual(['instance=a-first', 'instance=z-last']);

  const db = join(dir, 'x.sqlite');
  expect((await runCliAsync(['load', ...dumps, '--db', db, '--quiet'], dir)).code).toBe(0);
  const s = await runCliAsync(['export', '--db', db, '--out', 'out-db', '--quiet'], dir);
  expect(s.code).toBe(1);
  expect(s.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  expect(s.stderr).toMatch(/^rdbscope: snapshot \d+ \([^)]*lfu-7\.0\.rdb\): instance name "%{100}" makes a partition directory name of 309 bytes/);
  expect(readdirSync(join(dir, 'out-db')).filter((f) => !f.startsWith('.')).sort()).toEqual(['instance=a-first', 'instance=z-last']);
}, 120_000);
