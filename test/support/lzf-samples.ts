/**
 * Inputs with every LZF construct once compressed: literal stretches (`literal` picks each byte),
 * repeats near and far (overlapping ones too: distance < length), and byte runs. The same `rand`
 * gives the same sample.
 */
export function lzfSample(rand: () => number, n: number, literal: (rand: () => number) => number): Uint8Array {
  const out = new Uint8Array(n);
  let i = 0;
  while (i < n) {
    const kind = Math.floor(rand() * 4);
    const len = Math.min(n - i, 1 + Math.floor(rand() * (kind === 3 ? 300 : 40)));
    if (kind === 0 || i === 0) for (let k = 0; k < len; k++) out[i + k] = literal(rand);
    else if (kind === 1 || kind === 3) {
      const from = Math.max(0, i - 1 - Math.floor(rand() * Math.min(i, 8000)));
      for (let k = 0; k < len; k++) out[i + k] = out[from + k]!;
    } else out.fill(out[i - 1]!, i, i + len);
    i += len;
  }
  return out;
}
