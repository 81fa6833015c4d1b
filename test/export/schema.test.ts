import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportDump } from '../../src/export/index.js';
import { DEFAULT_MEMORY_SPEC } from '../../src/store/memory-spec.js';
import { FIXTURES_DIR, PROJECT_ROOT } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';
import { Duck } from './duck.js';

interface DocColumn { name: string; physical: string; logical: string | null; nullable: boolean }

/** The schema tables of docs/fleet.md: `### <file>` then rows `| \`name\` | PHYSICAL (LOGICAL…) | yes/no | … |`. */
function documentedSchema(): Map<string, DocColumn[]> {
  const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'fleet.md'), 'utf8');
  const files = new Map<string, DocColumn[]>();
  let current: DocColumn[] | null = null;
  for (const line of doc.split('\n')) {
    const h = /^### (\w+\.parquet)$/.exec(line);
    if (h) files.set(h[1]!, (current = []));
    else if (current && /^\| `/.test(line)) {
      const [, name, type, nul] = /^\| `(\w+)` \| ([^|]+?) \| (yes|no) \|/.exec(line) ?? [];
      if (!name) throw new Error(`unreadable schema row: ${line}`);
      const [, physical, logical] = /^(\w+)(?: \((\w+)[^)]*\))?$/.exec(type!)!;
      current.push({ name, physical: physical!, logical: logical ?? null, nullable: nul === 'yes' });
    } else if (current && line.startsWith('#')) current = null;
  }
  return files;
}

describe('Parquet schema', () => {
  it('the files have the columns, physical types, logical types and nullability docs/fleet.md documents, in order', async () => {
    const out = tempDir();
    const res = await exportDump({ path: join(FIXTURES_DIR, 'mixed-7.0.rdb'), outDir: out, memory: DEFAULT_MEMORY_SPEC, instance: 'x' });
    const documented = documentedSchema();
    expect([...documented.keys()].sort()).toEqual(['keys.parquet', 'patterns.parquet', 'snapshot.parquet']);
    const duck = await Duck.open();
    try {
      for (const [file, columns] of documented) {
        // parquet_schema: the root element, then one row per column, read from the file's footer.
        const rows = (await duck.all(`SELECT name, type, repetition_type, converted_type, logical_type FROM parquet_schema('${join(res.dir, file)}')`)).slice(1);
        expect(rows.map((r) => r.name), file).toEqual(columns.map((c) => c.name));
        for (const [i, c] of columns.entries()) {
          const r = rows[i]!;
          expect(r.type, `${file} ${c.name}`).toBe(c.physical);
          expect(r.repetition_type, `${file} ${c.name}`).toBe(c.nullable ? 'OPTIONAL' : 'REQUIRED');
          const logical = String(r.logical_type ?? '');
          if (c.logical === 'STRING') expect(r.converted_type, `${file} ${c.name}`).toBe('UTF8');
          else if (c.logical === 'TIMESTAMP') expect(logical, `${file} ${c.name}`).toMatch(/TimestampType\(isAdjustedToUTC=1, unit=TimeUnit\(MILLIS/);
          else expect(r.converted_type ?? null, `${file} ${c.name}`).toBeNull();
        }
      }
      // Compressed: every column chunk of every file.
      const codecs = await duck.all(`SELECT DISTINCT compression FROM parquet_metadata('${res.dir}/*.parquet')`);
      expect(codecs).toEqual([{ compression: 'SNAPPY' }]);
    } finally {
      duck.close();
    }
  });
});
