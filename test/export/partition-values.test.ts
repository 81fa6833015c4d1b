/**
 * What a reader makes of the partition directories an export writes: every instance name comes back
 * as itself through DuckDB's hive partitioning, and every snapshot's `date` as a DATE.
 */
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportDump } from '../../src/export/index.js';
import { escapePartitionValue, instanceDirName, partitionDate } from '../../src/export/partition.js';
import { DEFAULT_MEMORY_SPEC } from '../../src/store/memory-spec.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { tempDir } from '../support/temp.js';
import { Duck } from './duck.js';

const dump = join(FIXTURES_DIR, 'lru-7.0.rdb');

describe('partition values read back by DuckDB (hive_partitioning)', () => {
  it('instance names DuckDB would read as NULL come back as their text, as do names with escaped characters', async () => {
    const out = tempDir();
    const names = ['null', 'NULL', 'Null', '__HIVE_DEFAULT_PARTITION__', 'a/b', '50%', 'x=y', '..', 'sp ace ü'];
    for (const instance of names) await exportDump({ path: dump, outDir: out, memory: DEFAULT_MEMORY_SPEC, instance });
    const duck = await Duck.open();
    try {
      const rows = await duck.all(`SELECT instance FROM read_parquet('${out}/**/snapshot.parquet', hive_partitioning = true, hive_types_autocast = false) ORDER BY instance`);
      expect(rows.map((r) => r.instance)).toEqual([...names].sort());
    } finally {
      duck.close();
    }
    expect(escapePartitionValue('null')).toBe('%6Eull');
    expect(escapePartitionValue('nullx')).toBe('nullx');
  });

  it('a dump whose ctime is past year 9999 is dated by its file time, so `date` stays a DATE for every partition', async () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    // ctime 300000000000 s: year 11476, which a date holds but YYYY-MM-DD does not.
    const w = new RdbWriter({ version: 10 });
    w.aux('redis-ver', '7.0.15').aux('ctime', '300000000000');
    w.selectDb(0);
    w.key(TYPE.STRING, 'a').string('1');
    const far = join(dir, 'far.rdb');
    writeFileSync(far, w.finish());
    const mtime = new Date('2026-03-04T05:06:07Z');
    utimesSync(far, mtime, mtime);
    const res = await exportDump({ path: far, outDir: out, memory: DEFAULT_MEMORY_SPEC, instance: 'far' });
    expect(res.dir).toBe(join(out, 'instance=far', 'date=2026-03-04'));
    expect(res.snapshot.timeSource).toBe('mtime');
    await exportDump({ path: dump, outDir: out, memory: DEFAULT_MEMORY_SPEC, instance: 'near' });
    const duck = await Duck.open();
    try {
      const rows = await duck.all(`SELECT instance, typeof(date) AS t FROM read_parquet('${out}/**/snapshot.parquet', hive_partitioning = true) WHERE date >= DATE '2000-01-01' ORDER BY instance`);
      expect(rows).toEqual([{ instance: 'far', t: 'DATE' }, { instance: 'near', t: 'DATE' }]);
    } finally {
      duck.close();
    }
    expect(() => partitionDate(300000000000 * 1000)).toThrow(RangeError);
  });

  it('an instance name too long for a directory name is refused before the dump is read, leaving nothing', async () => {
    const out = tempDir();
    // 100 characters, each escaped to 3 (%25): 309 bytes with `instance=`, past NAME_MAX (255).
    const instance = '%'.repeat(100);
    await expect(exportDump({ path: dump, outDir: out, memory: DEFAULT_MEMORY_SPEC, instance })).rejects.toThrow(
      `${dump}: instance name "${instance}" makes a partition directory name of 309 bytes (instance=…, escaped, UTF-8); file systems take at most 255: give a shorter --instance`,
    );
    expect(readdirSync(out)).toEqual([]);
    // 246 bytes of name: the longest that fits.
    expect(instanceDirName('x'.repeat(246))).toHaveLength(255);
    expect(() => instanceDirName('ü'.repeat(124))).toThrow(/257 bytes/);
  });
});
