/**
 * Test-only LZF compressor (rdb-format.md §2.3). Greedy, one hash slot per 3-byte prefix: not
 * byte-identical to Redis' lzf_compress, but valid LZF that Redis would decompress, and it emits
 * every construct a decoder must handle: literal runs (1..32), short back-references (3..8 bytes),
 * long ones with the extra length byte (9..264) and overlapping copies (distance < length, e.g. runs
 * of one byte).
 */
const MAX_LITERAL = 32;
const MAX_DISTANCE = 8192;
const MAX_MATCH = 264;

export function lzfCompress(input: Uint8Array | string): Uint8Array {
  const src = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const n = src.length;
  const out: number[] = [];
  const table = new Int32Array(1 << 14).fill(-1);
  let litStart = 0;
  const flushLiterals = (upTo: number): void => {
    while (litStart < upTo) {
      const run = Math.min(MAX_LITERAL, upTo - litStart);
      out.push(run - 1);
      for (let k = 0; k < run; k++) out.push(src[litStart + k]!);
      litStart += run;
    }
  };
  let i = 0;
  while (i < n) {
    if (i + 2 < n) {
      const h = ((src[i]! << 8) ^ (src[i + 1]! << 4) ^ src[i + 2]! ^ (src[i]! << 3)) & 0x3fff;
      const ref = table[h]!;
      table[h] = i;
      if (ref >= 0 && i - ref <= MAX_DISTANCE && src[ref] === src[i] && src[ref + 1] === src[i + 1] && src[ref + 2] === src[i + 2]) {
        let len = 3;
        const maxLen = Math.min(MAX_MATCH, n - i);
        while (len < maxLen && src[ref + len] === src[i + len]) len++;
        flushLiterals(i);
        const off = i - ref - 1;
        const l = len - 2;
        if (l < 7) out.push((l << 5) | (off >> 8), off & 0xff);
        else out.push((7 << 5) | (off >> 8), l - 7, off & 0xff);
        i += len;
        litStart = i;
        continue;
      }
    }
    i++;
  }
  flushLiterals(n);
  return Uint8Array.from(out);
}
