import { describe, expect, it } from 'vitest';
import {
  canonicalInt64,
  decimalLength,
  intsetWidthFor,
  listpackEntrySizeForInt,
  listpackEntrySizeForString,
} from '../../src/rdb/canonical-int.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const canon = (s: string): boolean => {
  // embed in a larger buffer to check start/len handling
  const b = enc(`#${s}#`);
  return canonicalInt64(b, 1, b.length - 2);
};
const lpSize = (s: string): number => {
  const b = enc(`xx${s}`);
  return listpackEntrySizeForString(b, 2, b.length - 2);
};

describe('canonicalInt64 (string2ll rules, rdb-format.md §2.2)', () => {
  it('accepts canonical decimal int64 text', () => {
    for (const s of ['0', '1', '-1', '9', '10', '-10', '123456789', '9223372036854775807', '-9223372036854775808', '-9223372036854775807']) {
      expect(canon(s), s).toBe(true);
    }
  });

  it('rejects everything string2ll rejects', () => {
    for (const s of ['', '-', '-0', '00', '007', '+1', ' 1', '1 ', '1a', '1.0', '1e3', '0x10', '--1', '9223372036854775808',
      '-9223372036854775809', '10000000000000000000', '99999999999999999999', '123456789012345678901', '١']) {
      expect(canon(s), JSON.stringify(s)).toBe(false);
    }
  });
});

describe('decimalLength', () => {
  it('counts digits and the sign', () => {
    const cases = [0, 1, 9, 10, 99, 100, -1, -9, -10, 127, -4096, 32767, 2147483647, -2147483648, 1e15, 999999999999999, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    for (const n of cases) expect(decimalLength(n), String(n)).toBe(String(n).length);
  });
});

describe('intsetWidthFor (§5.3)', () => {
  it('picks the smallest of int16/int32/int64', () => {
    const w = (s: string): number => intsetWidthFor(enc(s), 0, s.length);
    expect(w('0')).toBe(2);
    expect(w('32767')).toBe(2);
    expect(w('-32768')).toBe(2);
    expect(w('32768')).toBe(4);
    expect(w('-32769')).toBe(4);
    expect(w('2147483647')).toBe(4);
    expect(w('-2147483648')).toBe(4);
    expect(w('2147483648')).toBe(8);
    expect(w('-2147483649')).toBe(8);
    expect(w('9999999999')).toBe(8);
    expect(w('-9223372036854775808')).toBe(8);
  });
});

describe('listpack entry sizes (§5.2: encoding + data + backlen)', () => {
  it('integers: 7-bit, 13-bit, 16, 24, 32, 64-bit forms, each with a 1-byte backlen', () => {
    const cases: [number, number][] = [
      [0, 2], [127, 2], [128, 3], [-1, 3], [-5, 3], [4095, 3], [-4096, 3], [4096, 4], [-4097, 4],
      [32767, 4], [-32768, 4], [32768, 5], [-32769, 5], [8388607, 5], [-8388608, 5], [8388608, 6],
      [-8388609, 6], [2147483647, 6], [-2147483648, 6], [2147483648, 10], [-2147483649, 10], [2 ** 53, 10],
    ];
    for (const [v, size] of cases) {
      expect(listpackEntrySizeForInt(v), String(v)).toBe(size);
      expect(lpSize(String(v)), String(v)).toBe(size);
    }
    expect(lpSize('9223372036854775807')).toBe(10);
    expect(lpSize('-9223372036854775808')).toBe(10);
  });

  it('strings: 6-bit below 64, 12-bit below 4096, else 32-bit; backlen 1..3 bytes at the 127/16383 limits', () => {
    const s = (n: number): string => 'x'.repeat(n);
    expect(lpSize('')).toBe(2);
    expect(lpSize('1.1')).toBe(5); // A4: 83 "1.1" 04
    expect(lpSize('007')).toBe(5);
    expect(lpSize('-0')).toBe(4);
    expect(lpSize('9223372036854775808')).toBe(1 + 19 + 1);
    expect(lpSize(s(63))).toBe(1 + 63 + 1);
    expect(lpSize(s(64))).toBe(2 + 64 + 1);
    expect(lpSize(s(125))).toBe(2 + 125 + 1); // L = 127 → 1 byte
    expect(lpSize(s(126))).toBe(2 + 126 + 2); // L = 128 → 2 bytes
    expect(lpSize(s(4095))).toBe(2 + 4095 + 2);
    expect(lpSize(s(4096))).toBe(5 + 4096 + 2);
    expect(lpSize(s(16377))).toBe(5 + 16377 + 2); // L = 16382 → 2 bytes
    expect(lpSize(s(16378))).toBe(5 + 16378 + 3); // L = 16383 → 3 bytes (strict <)
  });
});
