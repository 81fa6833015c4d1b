/**
 * An error names the key being read in full only up to ERROR_KEY_MAX bytes: a corrupt value of a
 * 3 MB key gave a 3 MB "one-line" error, and a 200 MB binary key's escaped name (4 characters a
 * byte) ran `info` out of memory with a V8 stack trace instead of the typed error.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_KEY_MAX } from '../../src/rdb/parsed-key.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { parseBytes } from '../hostile/helpers.js';

/** A key then an intset value of 5 bytes (shorter than its 8-byte header: BAD_INTSET, rdb-format.md §5.3). */
const corruptIntsetOf = (key: Uint8Array): Uint8Array => new RdbWriter({ version: 9 }).selectDb(0).key(TYPE.SET_INTSET, key).string(Uint8Array.of(1, 2, 3, 4, 5)).finish();

describe('the key an error names', () => {
  it('a short key: named whole', async () => {
    const { error } = await parseBytes(corruptIntsetOf(new TextEncoder().encode('user:1')), { fileName: 'd.rdb' });
    expect(error?.code).toBe('BAD_INTSET');
    expect(error?.key).toBe('user:1');
  });

  it('a key of exactly ERROR_KEY_MAX bytes: named whole', async () => {
    const { error } = await parseBytes(corruptIntsetOf(new Uint8Array(ERROR_KEY_MAX).fill(0x6b)));
    expect(error?.key).toBe('k'.repeat(ERROR_KEY_MAX));
  });

  it('a 3 MiB key: its first 256 bytes and its length, in a short line', async () => {
    const { error } = await parseBytes(corruptIntsetOf(new Uint8Array(3 << 20).fill(0x61)), { fileName: 'd.rdb' });
    expect(error?.code).toBe('BAD_INTSET');
    expect(error?.key).toBe(`${'a'.repeat(256)}… (${3 << 20} bytes)`);
    expect(error!.message.length).toBeLessThan(500);
  });

  it('a long UTF-8 key is cut between characters, not inside one', async () => {
    // "é" is 2 bytes: 255 × "a" then "é" straddles byte 256; cut before it, the rest stays text.
    const key = new TextEncoder().encode('a'.repeat(255) + 'é'.repeat(100));
    const { error } = await parseBytes(corruptIntsetOf(key));
    expect(error?.key).toBe(`${'a'.repeat(255)}… (${key.length} bytes)`);
  });

  it('a long binary key: escaped, at most 4 characters per byte of the first 256', async () => {
    const key = new Uint8Array(1 << 20).fill(0xff);
    const { error, crash } = await parseBytes(corruptIntsetOf(key));
    expect(crash).toBeNull();
    expect(error?.key).toBe(`${'\\xff'.repeat(256)}… (${1 << 20} bytes)`);
  });
});
