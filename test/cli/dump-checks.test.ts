/**
 * The issue-15 cases through the built CLI: a header version no release writes (refused by info,
 * keys, load and analyze; read with --relaxed-version-check, and said so), a Redis 7.0 RC function
 * record, Redis Enterprise opcodes, empty collections and repeated keys. Dumps built by the test
 * writer (the rules each follows are cited in test/rdb/*.test.ts).
 */
import { join } from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { tempDir } from '../support/temp.js';

function write(dir: string, name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Version 99 (what librdb's `future_v19.rdb` holds), otherwise an ordinary small dump. */
function futureDump(): Uint8Array {
  const w = new RdbWriter({ version: 99 });
  w.aux('redis-ver', '255.255.255').aux('ctime', '1700000000').selectDb(0);
  for (let i = 0; i < 5; i++) w.key(TYPE.STRING, `k:${i}`).string('v');
  return w.finish({ checksum: 'crc' });
}

describe.skipIf(!cliBuilt)('dump checks through the CLI', () => {
  it('an unknown version is refused at byte 5 by info, keys, load and analyze (exit 1, nothing kept)', () => {
    const dir = tempDir();
    const file = write(dir, 'future.rdb', futureDump());
    const db = join(dir, 'x.sqlite');
    for (const args of [['info', file], ['keys', file], ['load', file, '--db', db], ['analyze', file, '--db', join(dir, 'a.sqlite')]]) {
      const r = runCli(args, dir);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr, args[0]).toContain(`${file}: unknown RDB version 99 in a REDIS header (no release writes it; the newest known are REDIS0014 from Redis 8.8 and VALKEY080 from Valkey 9; --relaxed-version-check reads it anyway) at byte 5 [UNSUPPORTED_VERSION]`);
    }
    // Nothing kept, and a database the command made for nothing is not left behind.
    expect(existsSync(db)).toBe(false);
    expect(existsSync(join(dir, 'a.sqlite'))).toBe(false);
  });

  it('--relaxed-version-check reads it, and every output says so', () => {
    const dir = tempDir();
    const file = write(dir, 'future.rdb', futureDump());
    const info = runCli(['info', file, '--relaxed-version-check'], dir);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^format +REDIS RDB version 99 \(no release writes this version: read past the version check, --relaxed-version-check\)$/m);
    expect(JSON.parse(runCli(['info', file, '--relaxed-version-check', '--format', 'json'], dir).stdout)).toMatchObject({ version: 99, unknownVersion: true, keys: 5 });
    const keys = runCli(['keys', file, '--relaxed-version-check'], dir);
    expect(keys.stdout.trimEnd().split('\n')).toHaveLength(5);
    const db = join(dir, 'x.sqlite');
    expect(runCli(['load', file, '--db', db, '--relaxed-version-check'], dir).code).toBe(0);
    const store = new Database(db, { readonly: true });
    expect(store.prepare('SELECT rdb_version, unknown_version, key_count FROM snapshots').get()).toEqual({ rdb_version: 99, unknown_version: 1, key_count: 5 });
    store.close();
    const note = 'RDB v99 is a version no release writes: read past the version check (--relaxed-version-check); figures may be wrong';
    expect(runCli(['report', 'summary', '--db', db], dir).stdout).toContain(note);
    const analyzed = join(dir, 'a.sqlite');
    const analyze = runCli(['analyze', file, '--db', analyzed, '--relaxed-version-check'], dir);
    expect(analyze.code, analyze.stderr).toBe(0);
    expect(runCli(['report', 'summary', '--db', analyzed], dir).stdout).toContain(note);
  });

  it('info: Redis 7.0 RC libraries, Enterprise opcodes, empty and repeated keys', () => {
    const dir = tempDir();
    const w = new RdbWriter({ version: 10 });
    w.aux('redis-ver', '6.9.240').functionPreGa('mylib', 'LUA', null, "redis.register_function('f', function() return 1 end)");
    w.selectDb(0);
    for (let i = 0; i < 3; i++) w.enterpriseOpcode(107, 1).key(TYPE.STRING, `k:${i}`).string('v');
    w.key(TYPE.SET, 'empty').len(0).key(TYPE.STRING, 'k:1').string('again');
    const file = write(dir, 'odd.rdb', w.finish());
    const r = runCli(['info', file], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^keys +5$/m);
    expect(r.stdout).toMatch(/^empty keys +1 \(lists, sets, zsets or hashes without elements: a server drops them on load\)$/m);
    expect(r.stdout).toMatch(/^duplicate keys 1 \(each repeats a key of its db: a server refuses this file\)$/m);
    expect(r.stdout).toMatch(/^function +LUA library mylib \(53 bytes; Redis 7.0 RC format: Redis 7.0 loads it, 7.2\+ refuses the file\)$/m);
    expect(r.stdout).toMatch(/^note +Redis Enterprise opcode 107 \(RAM LRU\) seen 3 times, ignored$/m);
    const db = join(dir, 'x.sqlite');
    const load = runCli(['load', file, '--db', db], dir);
    expect(load.code, load.stderr).toBe(0);
    expect(load.stderr).toContain(`${file}: WARNING: 1 key(s) occur more than once in their db (a server refuses this file)`);
    expect(load.stderr).toContain(`${file}: note: 1 empty list/set/zset/hash key(s), which a server drops on load`);
    const summary = JSON.parse(runCli(['report', 'summary', '--db', db, '--format', 'json'], dir).stdout) as { notes: string[]; tables: { totals: { keys: number }[] } };
    expect(summary.tables.totals[0]!.keys).toBe(4);
    expect(summary.notes.filter((n) => /WARNING: 1 key|1 empty key/.test(n))).toHaveLength(2);
    const limited = runCli(['load', file, '--db', join(dir, 'y.sqlite'), '--check-duplicates', '--top-per-pattern', '1'], dir);
    expect([limited.code, limited.stderr]).toEqual([2, "rdbscope: --check-duplicates needs every key's row: drop --keys-min-bytes / --top-per-pattern\n"]);
  });
});
