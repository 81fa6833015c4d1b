/**
 * Finds keys that repeat an earlier key of the same db, exactly and in bounded memory. A server
 * refuses such a file ("RDB has duplicated key … / Duplicated key found in RDB file",
 * `R:rdb.c rdbLoadRioWithLoadingCtx`); they come from dumps merged by tools that concatenate.
 *
 * Every key is held (db, bytes) in a hash table until MAX_KEYS keys or MAX_KEY_BYTES key bytes;
 * a repeat is confirmed byte for byte, never by hash alone. Past either limit the check gives up
 * (`checked` turns false) and frees what it held: a larger dump needs a check that does not hold
 * its keys (the store's, over its key rows).
 */
import { copyBytes } from '../core/bytes.js';

export const MAX_KEYS = 1 << 16;
export const MAX_KEY_BYTES = 2 << 20;

export class DuplicateKeyCheck {
  /** Distinct (db, key) seen more than once so far. */
  duplicateKeys = 0;
  private given = false;
  private count = 0;
  private used = 0;
  // Allocated at their final size: zero-filled memory becomes resident only as it is written, so a
  // small dump costs little, and nothing is copied (growing by doubling left ~7 MB more RSS on info
  // of 5 M keys).
  private bytes: Uint8Array;
  /** End of key i in `bytes` (start: end of key i − 1, or 0). */
  private ends: Uint32Array;
  private dbs: Int32Array;
  private hashes: Int32Array;
  /** Key i was already counted as repeated. */
  private repeated: Uint8Array;
  /** Open addressing, linear probing: 1 + key index, 0 = free. At most half full. */
  private table: Int32Array;

  /** `hash`: of (db, key) to 32 bits; replaceable so that tests can make every key collide. */
  constructor(
    private readonly maxKeys = MAX_KEYS,
    private readonly maxKeyBytes = MAX_KEY_BYTES,
    private readonly hash: (db: number, buf: Uint8Array, start: number, length: number) => number = hashKey,
  ) {
    this.bytes = new Uint8Array(maxKeyBytes);
    this.ends = new Uint32Array(maxKeys);
    this.dbs = new Int32Array(maxKeys);
    this.hashes = new Int32Array(maxKeys);
    this.repeated = new Uint8Array(maxKeys);
    let slots = 2;
    while (slots < 2 * maxKeys) slots *= 2;
    this.table = new Int32Array(slots);
  }

  /** False once more keys arrived than the check holds: `duplicateKeys` then counts only those before. */
  get checked(): boolean {
    return !this.given;
  }

  add(db: number, key: Uint8Array): void {
    this.addRange(db, key, 0, key.length);
  }

  /** add() of the key buf[start, start + length): no view of it is made (see core/record.ts keyBufferOf). */
  addRange(db: number, buf: Uint8Array, start: number, length: number): void {
    if (this.given) return;
    if (this.count >= this.maxKeys || this.used + length > this.maxKeyBytes) {
      this.giveUp();
      return;
    }
    const h = this.hash(db, buf, start, length);
    const table = this.table;
    const mask = table.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot]!;
      if (entry === 0) {
        table[slot] = this.store(db, buf, start, length, h) + 1;
        return;
      }
      const i = entry - 1;
      if (this.hashes[i] === h && this.dbs[i] === db && this.equals(i, buf, start, length)) {
        if (this.repeated[i] === 0) {
          this.repeated[i] = 1;
          this.duplicateKeys++;
        }
        return;
      }
    }
  }

  private equals(i: number, buf: Uint8Array, start: number, length: number): boolean {
    const at = i === 0 ? 0 : this.ends[i - 1]!;
    if (this.ends[i]! - at !== length) return false;
    const b = this.bytes;
    for (let j = 0; j < length; j++) if (b[at + j] !== buf[start + j]) return false;
    return true;
  }

  private store(db: number, buf: Uint8Array, start: number, length: number, h: number): number {
    const i = this.count++;
    this.used = copyBytes(this.bytes, this.used, buf, start, length);
    this.ends[i] = this.used;
    this.dbs[i] = db;
    this.hashes[i] = h;
    return i;
  }

  private giveUp(): void {
    this.given = true;
    this.bytes = new Uint8Array(0);
    this.ends = new Uint32Array(0);
    this.dbs = new Int32Array(0);
    this.hashes = new Int32Array(0);
    this.repeated = new Uint8Array(0);
    this.table = new Int32Array(0);
  }
}

/** MurmurHash3's 32-bit mixing over the key bytes, seeded with the db number. */
function hashKey(db: number, key: Uint8Array, start: number, length: number): number {
  let h = db ^ length;
  let i = start;
  const end = start + length;
  for (; i + 4 <= end; i += 4) h = mixInto(h, key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24));
  let k = 0;
  for (let s = 0; i < end; i++, s += 8) k |= key[i]! << s;
  h = mixInto(h, k);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function mixInto(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}
