import { describe, expect, it } from 'vitest';
import { formatDiagnosisScreen } from '../../src/output/diagnosis-screen.js';
import type { ReportResult } from '../../src/output/result.js';

const bigkeysColumns = ['key', 'type', 'db', 'memory', 'elements', 'ttl_s', 'pattern', 'command', 'why'].map((name) => ({
  name,
  kind: ['db', 'memory', 'elements', 'ttl_s'].includes(name) ? ('int' as const) : ('text' as const),
}));

describe('diagnosis screen', () => {
  it('a snapshot without keys says "(no rows)" under the big keys, as under where the memory is', () => {
    // A dump of no key (../shared/corpus/hdt3213-rdb/empty_database.rdb): the big-keys heading stood
    // over nothing, read as a screen cut short.
    const result: ReportResult = {
      report: 'diagnosis',
      notes: ['x.rdb — 0 keys'],
      tables: [
        { name: 'patterns', title: 'Where the memory is', columns: [{ name: 'pattern', kind: 'text' }], rows: [] },
        { name: 'bigkeys', title: 'Big keys and what to type', columns: bigkeysColumns, rows: [] },
      ],
    };
    for (const human of [true, false]) {
      const lines = formatDiagnosisScreen(result, { human, width: 100 }).trimEnd().split('\n');
      const at = lines.indexOf('Big keys and what to type');
      expect(at).toBeGreaterThan(0);
      expect(lines[at + 1]).toBe('(no rows)');
      expect(lines[lines.indexOf('Where the memory is') + 1]).toBe('(no rows)');
    }
  });

  it('shows the empty key and its pattern as "" (as redis-cli shows it), in the big keys and in the patterns table', () => {
    const result: ReportResult = {
      report: 'diagnosis',
      notes: ['x.rdb'],
      tables: [
        { name: 'patterns', title: 'Where the memory is', columns: [{ name: 'pattern', kind: 'text' }, { name: 'keys', kind: 'int' }], rows: [{ pattern: '', keys: 1 }] },
        { name: 'bigkeys', title: 'Big keys and what to type', columns: bigkeysColumns, rows: [
          { key: '', type: 'list', db: 0, memory: 144, elements: 2, ttl_s: null, pattern: '', command: null, why: 'w' },
        ] },
      ],
    };
    const lines = formatDiagnosisScreen(result, { human: true, width: 100 }).split('\n');
    expect(lines).toContain(' 1. ""  list  144 B  2 el.  no TTL  (db 0, "")');
    expect(lines[lines.indexOf('Where the memory is') + 3]).toMatch(/^""\s+1$/);
  });
});
