/**
 * Valkey ≥ 8.1 sets/zsets/hashes use a cache-line hashtable (rdb-format.md §9.7.1 H(n), §9.7.8):
 * 64-byte buckets of 7 slots; overfull chains add child buckets whose number depends on the
 * per-process hash seed, so it is taken in expectation.
 */
export function valkeyBuckets(n: number): number {
  return 2 ** Math.max(0, Math.ceil(Math.log2(Math.max(1, Math.ceil((5 * n) / 32)))));
}

/** E[child buckets] = b·Σ_k Pois(k; n/b)·ceil((k − 7)/6)⁺. */
export function expectedChildBuckets(n: number, b: number): number {
  const lambda = n / b;
  let p = Math.exp(-lambda);
  let sum = 0;
  for (let k = 1; k < 8 + lambda * 4 + 40; k++) {
    p *= lambda / k;
    if (k > 7) sum += p * Math.ceil((k - 7) / 6);
  }
  return b * sum;
}

/** H(n) = T0 + M + 64·(buckets + child buckets). */
export function valkeyTableBytes(n: number, structBytes: number, metaBytes: number): number {
  const b = valkeyBuckets(n);
  return structBytes + metaBytes + 64 * (b + expectedChildBuckets(n, b));
}
