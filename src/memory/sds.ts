/**
 * SDS string header sizes (rdb-format.md §9.3, §9.7.1 h(len)). The type is picked from the length:
 * type 5 (1-byte header) below 32, then 8/16/32/64-bit headers of 3/5/9/17 bytes. Redis ≥ 8.2 and
 * Valkey ≥ 8.1 pick the type so that the allocation, not only the length, fits (`sdsReqType`),
 * which moves the thresholds down by the header size.
 */
export type SdsRule = 'classic' | 'alloc-fit';

export function sdsHeader(len: number, rule: SdsRule): number {
  if (rule === 'classic') {
    if (len < 32) return 1;
    if (len < 256) return 3;
    if (len < 65536) return 5;
    if (len < 2 ** 32) return 9;
    return 17;
  }
  if (len < 32) return 1;
  if (len <= 252) return 3;
  if (len <= 65530) return 5;
  if (len <= 2 ** 32 - 10) return 9;
  return 17;
}

/**
 * Bytes requested for an sds of `len` bytes: header + content + NUL. An empty sds is never type 5
 * (`sdsnewlen` promotes it to type 8).
 */
export function sdsBytes(len: number, rule: SdsRule): number {
  const h = len === 0 ? 3 : sdsHeader(len, rule);
  return h + len + 1;
}

/**
 * T(len), what Redis 8.4+ charges for a separately allocated sds (`sdsAllocSize`): a type-5 sds has
 * no alloc field, so its used size S(len) counts; every other type counts header + alloc + 1, which
 * `sdsnewlen` sets to the allocator's usable size, A(S(len)). An empty sds is type 8 (`sdsnewlen`
 * promotes it), so T(0) = A(4) = 8, not 4.
 */
export function trackedSdsBytes(len: number, rule: SdsRule, alloc: (n: number) => number): number {
  const S = sdsBytes(len, rule);
  return len > 0 && len < 32 ? S : alloc(S);
}

/** S8(len): at least a type-8 header (§9.7.1). */
export function sds8Bytes(len: number, rule: SdsRule): number {
  return Math.max(3, sdsHeader(len, rule)) + len + 1;
}

/**
 * Redis 7.4–8.4 hash field "mstr" (rdb-format.md §9.3, §9.7.5 mf): header 1 below 32, 3 below 65536,
 * else 9; + NUL; a field with a TTL carries 16 bytes of ExpireMeta + 2 of flags in front.
 */
export function mstrBytes(len: number, withTtl: boolean): number {
  const h = len < 32 ? 1 : len < 65536 ? 3 : 9;
  return h + len + 1 + (withTtl ? 18 : 0);
}
