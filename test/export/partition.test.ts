import { describe, expect, it } from 'vitest';
import { escapePartitionValue, partitionDate, partitionPath } from '../../src/export/partition.js';

describe('Hive partition values', () => {
  it('escapes exactly Hive\'s list as %XX: control characters, DEL, " # % \' * / : = ? \\ { [ ] ^', () => {
    const escaped = ['"', '#', '%', "'", '*', '/', ':', '=', '?', '\\', '{', '[', ']', '^', '\x7f'];
    for (let c = 1; c < 0x20; c++) escaped.push(String.fromCharCode(c));
    for (const ch of escaped) expect(escapePartitionValue(`a${ch}b`), JSON.stringify(ch)).toBe(`a%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}b`);
    // Everything else printable stays, spaces and non-ASCII included.
    for (let c = 0x20; c < 0x7f; c++) {
      const ch = String.fromCharCode(c);
      if (!escaped.includes(ch)) expect(escapePartitionValue(ch)).toBe(ch);
    }
    expect(escapePartitionValue('shard 7 ü €}')).toBe('shard 7 ü €}');
    expect(escapePartitionValue('eu/west:1 50%=ü')).toBe('eu%2Fwest%3A1 50%25%3Dü');
  });

  it('the date is the UTC day of the snapshot time', () => {
    expect(partitionDate(Date.UTC(2026, 10, 1, 23, 59, 59, 999))).toBe('2026-11-01');
    expect(partitionDate(Date.UTC(2026, 10, 2, 0, 0, 0))).toBe('2026-11-02');
    expect(partitionPath('a=b', Date.UTC(2026, 0, 5))).toBe('instance=a%3Db/date=2026-01-05');
  });
});
