/**
 * The Valkey 9 volatile-field index (memory/valkey-vset.ts) on sequences worked out by hand from
 * the rules of V@9.1.0:vset.c: vector growth, the move to a radix tree of time buckets at the 128th
 * field, re-keying and splitting a full bucket, the hashtable bucket when it cannot split. The tree
 * part is sized by raxBytesOfKeys, the recursive construction independent of RaxShape.
 */
import { describe, expect, it } from 'vitest';
import { jemallocSize } from '../../src/memory/jemalloc.js';
import { raxBytesOfKeys } from '../../src/memory/rax.js';
import { valkeyTableBytes } from '../../src/memory/valkey-hashtable.js';
import { vsetBytes } from '../../src/memory/valkey-vset.js';

const A = (n: number) => jemallocSize(n, 8);
const STRUCT = 80; // hashtable struct of Valkey 9.1
/** A time aligned to an 8192-ms window (2 h ahead of a 2026 clock). */
const T0 = Math.ceil((1_790_000_000_000 + 7_200_000) / 8192) * 8192;

function tree(keys: number[]): number {
  const bytes = keys.map((k) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(k));
    return b;
  });
  return A(32) + raxBytesOfKeys(bytes, A);
}

describe('Valkey vset memory (vsetMemUsage)', () => {
  it('one field costs nothing, two a 24-byte vector, then the vector grows by allocation class', () => {
    expect(vsetBytes([], A, STRUCT)).toEqual({ bytes: 0, exact: true });
    expect(vsetBytes([T0], A, STRUCT).bytes).toBe(0);
    expect(vsetBytes([T0, T0 + 5], A, STRUCT).bytes).toBe(24); // pvNew(2)
    expect(vsetBytes([T0, T0 + 5, T0 + 9], A, STRUCT).bytes).toBe(32);
    // 127 entries: 8 + 8·127 = 1024, a size class
    expect(vsetBytes(Array.from({ length: 127 }, (_, i) => T0 + i * 1000), A, STRUCT).bytes).toBe(1024);
  });

  it('128 fields in 16 windows of 8192 ms: every entry goes to its window end, 16 vectors of 8', () => {
    const times = Array.from({ length: 128 }, (_, i) => T0 + i * 1024);
    const keys = Array.from({ length: 16 }, (_, j) => T0 + 8192 * (j + 1));
    // a vector of 8: 24 → 32 → 40 → … → 64 → A(8 + 64) = 80
    expect(vsetBytes(times, A, STRUCT)).toEqual({ bytes: tree(keys) + 16 * 80, exact: true });
  });

  it('a full bucket is re-keyed to its last 16-ms window, then split in the middle where windows differ', () => {
    // 127 entries 32 ms apart in one 8192-ms window: one bucket keyed T0 + 8192 when the 128th comes
    const first = Array.from({ length: 127 }, (_, i) => T0 + i * 32);
    // the 128th (T0 + 4064) finds that full bucket; its last entry's 16-ms window ends at
    // T0 + 4048 < T0 + 8192, so the bucket moves there; the entry then starts a bucket of its own
    const after128 = [...first, T0 + 4064];
    expect(vsetBytes(after128, A, STRUCT).bytes).toBe(tree([T0 + 4048, T0 + 8192]) + 1024);
    // the 129th (T0 + 10) finds the full bucket at T0 + 4048: split at 63 (windows of entries 62 and
    // 63 differ): 63 entries move to key T0 + 2000 (A(512)), 64 stay (A(520) = 640); the new entry
    // joins the lower half, which grows to 64 entries (A(520) = 640)
    expect(vsetBytes([...after128, T0 + 10], A, STRUCT).bytes).toBe(tree([T0 + 2000, T0 + 4048, T0 + 8192]) + 640 + 640);
  });

  it('128 fields sharing one expiry: the full bucket cannot split and becomes a hashtable (an expectation)', () => {
    const same = new Array<number>(128).fill(T0 + 100);
    const r = vsetBytes(same, A, STRUCT);
    // re-keyed from T0 + 8192 to the 16-ms window end T0 + 112, then a hashtable of 128
    expect(r).toEqual({ bytes: Math.round(tree([T0 + 112]) + valkeyTableBytes(128, STRUCT, 0)), exact: false });
  });
});
