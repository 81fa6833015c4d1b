import { describe, expect, it } from 'vitest';
import { jemallocSize } from '../../src/memory/index.js';

// Size classes of jemalloc 5.x (rdb-format.md §9.2; class table in jemalloc.xml.in): quantum-spaced
// up to 64, then four classes per doubling.
const Q8: [number, number][] = [
  [0, 8], [1, 8], [8, 8], [9, 16], [16, 16], [17, 24], [24, 24], [25, 32], [56, 56], [57, 64], [64, 64],
  [65, 80], [80, 80], [81, 96], [96, 96], [97, 112], [112, 112], [113, 128], [128, 128], [129, 160],
  [160, 160], [161, 192], [224, 224], [225, 256], [256, 256], [257, 320], [320, 320], [321, 384],
  [512, 512], [513, 640], [1024, 1024], [1025, 1280], [3584, 3584], [3585, 4096], [4096, 4096],
  [4097, 5120], [10000, 10240], [14336, 14336], [14337, 16384], [16384, 16384], [16385, 20480],
  [20480, 20480], [20481, 24576], [28673, 32768], [32769, 40960], [1048576, 1048576], [1048577, 1310720],
];
const Q16_DIFF: [number, number][] = [
  [0, 8], [8, 8], [9, 16], [16, 16], [17, 32], [24, 32], [32, 32], [33, 48], [48, 48], [49, 64], [64, 64],
];

describe('jemallocSize', () => {
  it.each(Q8)('quantum 8: %i → %i', (n, size) => expect(jemallocSize(n, 8)).toBe(size));
  it.each(Q16_DIFF)('quantum 16: %i → %i', (n, size) => expect(jemallocSize(n, 16)).toBe(size));
  it('quantum 16 equals quantum 8 above 64', () => {
    for (const [n, size] of Q8) if (n > 64) expect(jemallocSize(n, 16)).toBe(size);
  });
  it('the integer path agrees with the class formula (4 classes per doubling) up to 2^31', () => {
    const formula = (n: number) => {
      const step = 2 ** (Math.ceil(Math.log2(n)) - 3);
      return Math.ceil(n / step) * step;
    };
    for (let n = 65; n < 1 << 20; n += 13) expect(jemallocSize(n, 8)).toBe(formula(n));
    for (let e = 7; e <= 31; e++) for (const n of [2 ** e - 1, 2 ** e, 2 ** e + 1, 3 * 2 ** (e - 2) + 5]) expect(jemallocSize(n, 8), String(n)).toBe(formula(n));
  });
  it('every result is ≥ the request and a fixed point', () => {
    for (let n = 1; n < 70000; n += 7) {
      const a = jemallocSize(n, 8);
      expect(a).toBeGreaterThanOrEqual(n);
      expect(jemallocSize(a, 8)).toBe(a);
    }
  });
});
