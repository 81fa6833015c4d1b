import { join } from 'node:path';
import { loadFiles } from '../../src/cli/load-files.js';
import { memorySpecFrom } from '../../src/cli/memory-options.js';
import { openStore, type Store } from '../../src/store/index.js';
import { FIXTURES_DIR } from './corpus.js';
import { tempDir } from './temp.js';

/**
 * A fresh store holding real dumps (paths, or fixture names without `.rdb`), loaded as `rdbscope
 * load` does, on this thread. `server` picks the memory profile (Debian's redis-server, which wrote
 * the fixtures, is a 16-byte-quantum build: `redis-7.0-q16`).
 */
export async function storeWithDumps(dumps: string[], options: { server?: string; instance?: string; keysMinBytes?: number } = {}): Promise<{ db: Store; dir: string }> {
  const dir = tempDir();
  const db = openStore(join(dir, 'test.sqlite'));
  const paths = dumps.map((d) => (d.includes('/') ? d : join(FIXTURES_DIR, `${d}.rdb`)));
  const { failures } = await loadFiles(db, paths, {
    memory: memorySpecFrom({ server: options.server }), quiet: true, worker: false, instance: options.instance,
    keysMinBytes: options.keysMinBytes ?? null, topPerPattern: null, say: () => {},
  });
  if (failures > 0) throw new Error(`loading ${dumps.join(', ')} failed`);
  return { db, dir };
}
