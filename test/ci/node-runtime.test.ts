/**
 * The Node.js a test run is on, and the better-sqlite3 it loads. CI runs the whole suite on the
 * machine's Node 20 and again on Node 24 (`.ci/run`, `scripts/with-node.sh`), each run naming its
 * Node in RDBSCOPE_TEST_NODE_MAJOR: a run that silently fell back to another Node fails here
 * instead of passing on the wrong one. Supported versions and the better-sqlite3 pin:
 * docs/install.md.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CLI_MAIN, cliBuilt } from '../support/cli.js';
import { FIXTURES_DIR, PROJECT_ROOT } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

interface PackageJson {
  version: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
}

const BIN = path.join(PROJECT_ROOT, 'bin', 'rdbscope');
const wantedMajor = process.env.RDBSCOPE_TEST_NODE_MAJOR ?? '';
const runningMajor = process.versions.node.split('.')[0];
const require = createRequire(import.meta.url);

function readPackage(file: string): PackageJson {
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

/** The majors an engines field of the form `20.x || 22.x` admits (the form both packages use). */
function enginesMajors(range: string): string[] {
  return range.split('||').map((part) => part.trim().replace(/\.x$/, ''));
}

/**
 * Runs `file args` with a preloaded probe that prints the Node version the process runs on, the
 * way the suite's CLI tests start their subprocesses; returns the exit code and the version seen.
 */
function nodeOfProcess(file: string, args: string[]): { code: number | null; node: string; err: string } {
  const dir = tempDir();
  const probe = path.join(dir, 'probe.cjs');
  writeFileSync(probe, 'process.stderr.write("node=" + process.version + "\\n");');
  const r = spawnSync(file, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--require ${probe}`, RDBSCOPE_DEBUG: '' } });
  return { code: r.status, node: /node=(v[\d.]+)/.exec(r.stderr)?.[1] ?? '', err: r.stderr };
}

describe('the Node.js the suite runs on', () => {
  it.skipIf(wantedMajor === '')('is the major the run asked for (RDBSCOPE_TEST_NODE_MAJOR)', () => {
    expect(`v${runningMajor}`).toBe(`v${wantedMajor}`);
  });

  it.skipIf(!cliBuilt)('is the one CLI subprocesses run on: started like the CLI tests start them, and bin/rdbscope through the node on PATH', () => {
    const direct = nodeOfProcess(process.execPath, [CLI_MAIN, '--version']);
    expect(direct.code, direct.err).toBe(0);
    expect(direct.node).toBe(process.version);
    // The installed launcher runs `node` from PATH; the quick start's `analyze` loads better-sqlite3.
    const db = path.join(tempDir(), 'lfu.sqlite');
    const launched = nodeOfProcess(BIN, ['analyze', path.join(FIXTURES_DIR, 'lfu-7.0.rdb'), '--db', db, '--top', '1']);
    expect(launched.code, launched.err).toBe(0);
    expect(launched.node).toBe(process.version);
  });

  it('is one our engines field and better-sqlite3 12.x support, and the 12.x addon loads on it', () => {
    const ours = readPackage(path.join(PROJECT_ROOT, 'package.json'));
    const sqlite = readPackage(require.resolve('better-sqlite3/package.json'));
    // 13.x needs Node >= 22 and crashes on 20: the range must keep npm on 12.x while 20 is supported.
    expect(ours.dependencies?.['better-sqlite3']).toMatch(/^\^12\./);
    expect(sqlite.version.split('.')[0]).toBe('12');
    expect(enginesMajors(ours.engines?.node ?? '')).toContain(runningMajor);
    expect(enginesMajors(sqlite.engines?.node ?? '')).toContain(runningMajor);
    const db = new Database(':memory:');
    try {
      const row = db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
      expect(row.v).toMatch(/^3\.\d+\.\d+$/);
    } finally {
      db.close();
    }
  });
});
