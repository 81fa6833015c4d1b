import { describe, expect, it } from 'vitest';
import { neutralizeFormula } from '../../src/output/index.js';

describe('neutralizeFormula (CSV injection)', () => {
  it('prefixes a quote to every cell a spreadsheet would read as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(neutralizeFormula(`${start}SUM(A1)`)).toBe(`'${start}SUM(A1)`);
      expect(neutralizeFormula(start)).toBe(`'${start}`);
    }
  });

  it('leaves every other cell alone, including formula characters after the first', () => {
    for (const text of ['', 'a=b', ' =1', '1+1', "'=x", '\n=', 'user:1-2', '\u00e9=']) expect(neutralizeFormula(text)).toBe(text);
  });

  it('agrees with the rule on every first character of the BMP', () => {
    for (let c = 0; c < 0x10000; c++) {
      const s = String.fromCharCode(c) + 'x';
      expect(neutralizeFormula(s) !== s).toBe(/^[=+\-@\t\r]/.test(s));
    }
  });
});
