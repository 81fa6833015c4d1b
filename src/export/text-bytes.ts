const utf8 = new TextEncoder();

/**
 * UTF-8 bytes of repeated strings (patterns, types, encodings), one shared Uint8Array per distinct
 * string: the Parquet writer then encodes each once and dictionary-encodes the column cheaply.
 * Bounded: cleared past `limit` distinct strings (they are only a cache).
 */
export class TextBytes {
  private readonly cache = new Map<string, Uint8Array>();

  constructor(private readonly limit = 100_000) {}

  of(text: string): Uint8Array {
    let b = this.cache.get(text);
    if (b === undefined) {
      if (this.cache.size >= this.limit) this.cache.clear();
      b = utf8.encode(text);
      this.cache.set(text, b);
    }
    return b;
  }
}

/** UTF-8 bytes of a string met once (a key's printable text). */
export function utf8Bytes(text: string): Uint8Array {
  return utf8.encode(text);
}
