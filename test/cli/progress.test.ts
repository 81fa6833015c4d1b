import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../../src/cli/progress.js';

const sink = () => {
  const out: string[] = [];
  return { out, stream: { write: (s: string) => { out.push(s); return true; } } as unknown as NodeJS.WriteStream };
};

describe('ProgressLine', () => {
  it('shows bytes of total, keys/s and ETA, then clears its line', () => {
    const { out, stream } = sink();
    const p = new ProgressLine('dump.rdb', true, stream);
    p.update({ keys: 1000, bytesIn: 512 * 1024, fileBytes: 2 * 1024 * 1024 });
    expect(out[0]).toMatch(/^\r\x1b\[Kdump\.rdb: 512 KB of 2\.00 MB \(25%\), ETA \d+s, 1000 keys, \d+ keys\/s$/);
    p.update({ keys: 2000, bytesIn: 1024 * 1024, fileBytes: 2 * 1024 * 1024 }); // throttled
    expect(out).toHaveLength(1);
    p.done();
    expect(out.at(-1)).toBe('\r\x1b[K');
  });
  it('is silent when disabled', () => {
    const { out, stream } = sink();
    const p = new ProgressLine('x', false, stream);
    p.update({ keys: 1, bytesIn: 1, fileBytes: 10 });
    p.done();
    expect(out).toEqual([]);
  });
});
