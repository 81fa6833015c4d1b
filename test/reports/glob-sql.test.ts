/**
 * globSql (the SQL of `report … --match`) selects exactly the rows redisGlob — the matcher of `keys
 * --match`, itself checked against KEYS on a real server (test/patterns/redis-glob.test.ts) —
 * selects, on keys of the bytes that matter: glob characters, NUL, bytes of 0x80 and up alone and as
 * UTF-8 sequences (where SQLite's GLOB, reading characters, would step differently).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { redisGlob } from '../../src/patterns/redis-glob.js';
import { globSql } from '../../src/reports/glob-sql.js';
import { rng } from '../support/records.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('globSql against redisGlob', () => {
  const rand = rng(7);
  const pick = (alphabet: number[], maxLen: number) => Buffer.from(Array.from({ length: Math.floor(rand() * (maxLen + 1)) }, () => alphabet[Math.floor(rand() * alphabet.length)]!));
  const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
  const KEY_BYTES = ascii('ab-[]^\\*?z:').concat([0x00, 0x01, 0x7f, 0x80, 0xbf, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xff]);
  const GLOB_ASCII = [...'ab-[]^\\*?*?[z:'];
  const globOf = (alphabet: string[], maxLen: number) => Array.from({ length: Math.floor(rand() * (maxLen + 1)) }, () => alphabet[Math.floor(rand() * alphabet.length)]!).join('');

  it('selects the same keys for 4 000 random globs over 2 000 keys, through both of its ways', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE k (key BLOB NOT NULL, name TEXT)');
    const keys = new Map<string, Buffer>();
    while (keys.size < 2000) {
      const k = pick(KEY_BYTES, 8);
      keys.set(hex(k), k);
    }
    const insert = db.prepare('INSERT INTO k (key) VALUES (?)');
    for (const k of keys.values()) insert.run(k);
    const globs = ['*', '**', 'a*', '*a', 'a?b', '[ab]*', '[^a]*', '[a-b]*', '[b-a]*', '\\**', '*\\?', '[', '[a', '[^', 'a[\\]]b', '[\\', '\\', 'a\\',
      '[a-', '[a-]*', '[]]*', '*[', '?', '??', '', '*[^^]*', '*[-^]', '[^-]*', '*[]-]*', '*[\\^]', '*é*', '?é', '*\u00ff'];
    // Globs are text (UTF-8): random ASCII ones, and ones with multibyte characters.
    while (globs.length < 2000) globs.push(globOf(GLOB_ASCII, 7));
    while (globs.length < 4000) globs.push(globOf([...GLOB_ASCII, 'é', '€'], 6));
    let byGlob = 0;
    let byMatcher = 0;
    for (const glob of globs) {
      const m = redisGlob(Buffer.from(glob, 'utf8'));
      const want = [...keys].filter(([, k]) => m(k, 0, k.length)).map(([h]) => h).sort();
      const f = globSql(db, glob, 'key');
      if (f.sql.includes(' GLOB ?')) byGlob++;
      else if (f.sql.includes('rdbscope_glob')) byMatcher++;
      const got = (db.prepare(`SELECT lower(hex(key)) FROM k WHERE 1${f.sql}`).pluck().all(...f.params) as string[]).sort();
      expect(got, `glob ${JSON.stringify(glob)}: ${f.sql}`).toEqual(want);
    }
    expect(byGlob).toBeGreaterThan(500);
    expect(byMatcher).toBeGreaterThan(500);
  });

  it('on a TEXT column, matches its UTF-8 bytes', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE p (name TEXT)');
    const names = ['user:*', 'user:*:profile', 'clé:*', 'ключ:*', 'a[b]', '\\x00'];
    for (const n of names) db.prepare('INSERT INTO p VALUES (?)').run(n);
    const select = (glob: string) => {
      const f = globSql(db, glob, 'name');
      return (db.prepare(`SELECT name FROM p WHERE 1${f.sql}`).pluck().all(...f.params) as string[]).sort();
    };
    expect(select('user:\\*')).toEqual(['user:*']);
    expect(select('user:*')).toEqual(['user:*', 'user:*:profile']);
    expect(select('cl??:*')).toEqual(['clé:*']); // é is two bytes
    expect(select('cl?:*')).toEqual([]);
    expect(select('*[[]*')).toEqual(['a[b]']);
    expect(select('\\\\x00')).toEqual(['\\x00']);
  });
});
