/** Size of one shared block; keys longer than an eighth of it get a buffer of their own. */
const BLOCK = 64 * 1024;

/**
 * Copies key bytes out of the read window into shared blocks, so that each key costs one view
 * instead of one ArrayBuffer (the allocation that dominated parsing of dumps with millions of
 * small keys). A block stays alive while any key in it is referenced: a few batches' worth.
 */
export class KeyArena {
  private block = new Uint8Array(BLOCK);
  private pos = 0;

  copy(src: Uint8Array, start: number, n: number): Uint8Array {
    if (n > BLOCK >> 3) return Uint8Array.prototype.slice.call(src, start, start + n);
    if (this.pos + n > BLOCK) {
      this.block = new Uint8Array(BLOCK);
      this.pos = 0;
    }
    const b = this.block;
    const p = this.pos;
    for (let i = 0; i < n; i++) b[p + i] = src[start + i]!;
    this.pos = p + n;
    return b.subarray(p, p + n);
  }
}
