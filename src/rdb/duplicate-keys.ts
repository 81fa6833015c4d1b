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
export const MAX_KEYS = 1 << 17;
export const MAX_KEY_BYTES = 4 << 20;

export class DuplicateKeyCheck {
  /** Distinct (db, key) seen more than once so far. */
  duplicateKeys = 0;
  private given = false;
  private count = 0;
  private used = 0;
  private bytes = new Uint8Array(4096);
  /** End of key i in `bytes` (start: end of key i − 1, or 0). */
  private ends = new Uint32Array(256);
  private dbs = new Int32Array(256);
  private hashes = new Int32Array(256);
  /** Key i was already counted as repeated. */
  private repeated = new Uint8Array(256);
  /** Open addressing, linear probing: 1 + key index, 0 = free. Kept at most half full. */
  private table = new Int32Array(512);

  constructor(private readonly maxKeys = MAX_KEYS, private readonly maxKeyBytes = MAX_KEY_BYTES) {}

  /** False once more keys arrived than the check holds: `duplicateKeys` then counts only those before. */
  get checked(): boolean {
    return !this.given;
  }

  add(db: number, key: Uint8Array): void {
    if (this.given) return;
    if (this.count >= this.maxKeys || this.used + key.length > this.maxKeyBytes) {
      this.giveUp();
      return;
    }
    const h = hashKey(db, key);
    const mask = this.table.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.table[slot]!;
      if (entry === 0) {
        this.table[slot] = this.store(db, key, h) + 1;
        if (this.count * 2 > this.table.length) this.rehash();
        return;
      }
      const i = entry - 1;
      if (this.hashes[i] === h && this.dbs[i] === db && this.equals(i, key)) {
        if (this.repeated[i] === 0) {
          this.repeated[i] = 1;
          this.duplicateKeys++;
        }
        return;
      }
    }
  }

  private equals(i: number, key: Uint8Array): boolean {
    const start = i === 0 ? 0 : this.ends[i - 1]!;
    if (this.ends[i]! - start !== key.length) return false;
    const b = this.bytes;
    for (let j = 0; j < key.length; j++) if (b[start + j] !== key[j]) return false;
    return true;
  }

  private store(db: number, key: Uint8Array, h: number): number {
    const i = this.count++;
    if (i === this.ends.length) {
      this.ends = grow(this.ends, Uint32Array);
      this.dbs = grow(this.dbs, Int32Array);
      this.hashes = grow(this.hashes, Int32Array);
      this.repeated = grow(this.repeated, Uint8Array);
    }
    if (this.used + key.length > this.bytes.length) {
      let size = this.bytes.length * 2;
      while (size < this.used + key.length) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.bytes.subarray(0, this.used));
      this.bytes = next;
    }
    this.bytes.set(key, this.used);
    this.used += key.length;
    this.ends[i] = this.used;
    this.dbs[i] = db;
    this.hashes[i] = h;
    return i;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = this.hashes[i]! & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = i + 1;
    }
    this.table = table;
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

function grow<T extends Uint32Array | Int32Array | Uint8Array>(a: T, Kind: new (n: number) => T): T {
  const next = new Kind(a.length * 2);
  next.set(a);
  return next;
}

/** MurmurHash3's 32-bit mixing over the key bytes, seeded with the db number. */
function hashKey(db: number, key: Uint8Array): number {
  let h = db ^ key.length;
  let i = 0;
  for (; i + 4 <= key.length; i += 4) h = mixInto(h, key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24));
  let k = 0;
  for (let s = 0; i < key.length; i++, s += 8) k |= key[i]! << s;
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
