/**
 * Copies src[start, start + n) to dst at `at` and returns at + n. Up to a few hundred bytes a loop:
 * set() needs a subarray, an object per call, which costs more than copying a short key.
 */
export function copyBytes(dst: Uint8Array, at: number, src: Uint8Array, start: number, n: number): number {
  if (n > 256) {
    dst.set(src.subarray(start, start + n), at);
    return at + n;
  }
  for (let i = 0; i < n; i++) dst[at + i] = src[start + i]!;
  return at + n;
}
