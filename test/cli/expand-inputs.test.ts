import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs, globToRegExp } from '../../src/cli/expand-inputs.js';
import { tempDir } from '../support/temp.js';

describe('expandInputs', () => {
  it('expands directories to their dump files, globs to matches, keeps order without duplicates', async () => {
    const dir = tempDir();
    const backups = join(dir, 'backups');
    mkdirSync(backups);
    for (const n of ['b.rdb', 'a.rdb.gz', 'c.lz4', 'notes.txt', 'shard-2.rdb', 'shard-10.rdb']) writeFileSync(join(backups, n), 'x');
    mkdirSync(join(backups, 'sub.rdb'));
    expect(await expandInputs([backups])).toEqual(['a.rdb.gz', 'b.rdb', 'c.lz4', 'shard-10.rdb', 'shard-2.rdb'].map((n) => join(backups, n)));
    expect(await expandInputs([join(backups, 'shard-*.rdb'), join(backups, 'b.rdb'), join(backups, 'shard-2.rdb')])).toEqual(
      ['shard-10.rdb', 'shard-2.rdb', 'b.rdb'].map((n) => join(backups, n)),
    );
    expect(await expandInputs([join(dir, 'missing.rdb')])).toEqual([join(dir, 'missing.rdb')]);
    await expect(expandInputs([join(dir, 'nothing-*.rdb')])).rejects.toThrow(/no file matches/);
  });
  it('globs in directory segments and ** match as a shell does; a directory a glob names gives its dumps', async () => {
    const dir = tempDir();
    const files = ['eu/a/dump.rdb', 'eu/b/dump.rdb', 'eu/b/old/dump.rdb.gz', 'us/c/dump.rdb', 'us/c/notes.txt', 'us/.hidden/dump.rdb', 'us/c/.dump.rdb'];
    for (const f of files) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), 'x');
    }
    const at = (...names: string[]) => names.map((n) => join(dir, n));
    expect(await expandInputs([join(dir, '*/*/dump.rdb')])).toEqual(at('eu/a/dump.rdb', 'eu/b/dump.rdb', 'us/c/dump.rdb'));
    expect(await expandInputs([join(dir, 'eu/?/dump.rdb')])).toEqual(at('eu/a/dump.rdb', 'eu/b/dump.rdb'));
    expect(await expandInputs([join(dir, '**/dump.rdb*')])).toEqual(at('eu/a/dump.rdb', 'eu/b/dump.rdb', 'eu/b/old/dump.rdb.gz', 'us/c/dump.rdb'));
    // The last segment **: every directory below but hidden ones, each giving its dumps (not notes.txt).
    expect(await expandInputs([join(dir, 'us/**')])).toEqual(at('us/c/.dump.rdb', 'us/c/dump.rdb'));
    expect(await expandInputs([join(dir, 'eu/*')])).toEqual(at('eu/a/dump.rdb', 'eu/b/dump.rdb'));
    expect(await expandInputs([join(dir, 'us/*/.d*')])).toEqual(at('us/c/.dump.rdb'));
    await expect(expandInputs([join(dir, '*/zz/dump.rdb')])).rejects.toThrow(/no file matches/);
  });

  it('a directory leaves out the temp file a server is writing a snapshot into; a name or a glob does not', async () => {
    const dir = tempDir();
    // SAVE / BGSAVE write temp-<pid>.rdb, a replica's sync temp-<unixtime>.<pid>.rdb, then rename to dump.rdb
    for (const n of ['dump.rdb', 'temp-4242.rdb', 'temp-1764940000.4242.rdb', 'temp-notes.rdb', 'appendonly.aof']) writeFileSync(join(dir, n), 'x');
    expect(await expandInputs([dir])).toEqual([join(dir, 'dump.rdb'), join(dir, 'temp-notes.rdb')]);
    expect(await expandInputs([join(dir, '..', '*')])).not.toContain(join(dir, 'temp-4242.rdb'));
    expect(await expandInputs([join(dir, 'temp-4242.rdb')])).toEqual([join(dir, 'temp-4242.rdb')]);
    expect(await expandInputs([join(dir, 'temp-*.rdb')])).toEqual(['temp-1764940000.4242.rdb', 'temp-4242.rdb', 'temp-notes.rdb'].map((n) => join(dir, n)));
  });

  it('globToRegExp', () => {
    expect(globToRegExp('dump-?.rdb').test('dump-1.rdb')).toBe(true);
    expect(globToRegExp('dump-?.rdb').test('dump-12.rdb')).toBe(false);
    expect(globToRegExp('[ab]*.gz').test('a1.gz')).toBe(true);
    expect(globToRegExp('[!ab]*.gz').test('a1.gz')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});
