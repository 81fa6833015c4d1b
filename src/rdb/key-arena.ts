/** Size of one shared block; keys longer than an eighth of it get a buffer of their own. */
const BLOCK = 64 * 1024;

/**
 * Copies key bytes out of the read window into shared blocks, so that each key costs a few bytes of
 * a block instead of one ArrayBuffer (the allocation that dominated parsing of dumps with millions
 * of small keys). A block stays alive while any key in it is referenced: a few batches' worth.
 * Where the last key went is left in `buf` / `start` (no view is made: records make theirs on
 * demand, and most consumers never ask).
 */
export class KeyArena {
  private block = new Uint8Array(BLOCK);
  private pos = 0;
  /** Buffer and offset of the last key placed. */
  buf: Uint8Array = this.block;
  start = 0;

  /** Copies src[start, start + n) into the arena. */
  place(src: Uint8Array, start: number, n: number): void {
    if (n > BLOCK >> 3) {
      this.buf = Uint8Array.prototype.slice.call(src, start, start + n);
      this.start = 0;
      return;
    }
    if (this.pos + n > BLOCK) {
      this.block = new Uint8Array(BLOCK);
      this.pos = 0;
    }
    const b = this.block;
    const p = this.pos;
    for (let i = 0; i < n; i++) b[p + i] = src[start + i]!;
    this.pos = p + n;
    this.buf = b;
    this.start = p;
  }

  /** Makes `bytes` (decoded elsewhere: an INT or LZF key) the last key. */
  adopt(bytes: Uint8Array): void {
    this.buf = bytes;
    this.start = 0;
  }
}
