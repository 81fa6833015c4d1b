/**
 * jemalloc usable size of an allocation request (rdb-format.md §9.2): what `zmalloc_size` reports.
 *
 * Official builds use the bundled jemalloc with `--with-lg-quantum=3` (quantum 8): classes 8, 16, …,
 * 64 in steps of 8. Distro builds linking the system jemalloc (Debian's redis 7.0.15) use quantum 16:
 * 8, 16, 32, 48, 64. Above 64 both have four classes per power of two.
 */
export function jemallocSize(n: number, quantum: 8 | 16): number {
  if (n <= 8) return 8; // zmalloc(0) still returns the smallest class
  if (n <= 64) return Math.ceil(n / quantum) * quantum;
  // 2^k < n ≤ 2^(k+1): classes are spaced 2^(k−2) apart. Integer bit tricks below 2^30 (runs for
  // every allocation of every key a load estimates), floating point above.
  if (n < 0x40000000 && Number.isInteger(n)) {
    const shift = 29 - Math.clz32(n - 1); // k − 2, with k = 31 − clz32(n − 1)
    return (((n - 1) >> shift) + 1) << shift;
  }
  const k = Math.ceil(Math.log2(n)) - 1;
  const step = 2 ** (k - 2);
  return Math.ceil(n / step) * step;
}
