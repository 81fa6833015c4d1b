import { isRdbError } from '../core/errors.js';
import { openInput } from '../input/open-input.js';
import { parseRdb } from '../rdb/index.js';
import { loadSnapshot, type LoadResult, type MemoryModel } from '../store/load-snapshot.js';
import type { Store } from '../store/open-store.js';
import type { RdbFileInfo } from '../rdb/file-info.js';
import { ProgressLine, progressEnabled } from './progress.js';

export interface LoadFilesOptions {
  quiet?: boolean;
  memoryModel?: (info: RdbFileInfo) => MemoryModel;
  /** Where one-line outcomes go (stdout for `load`, stderr for `analyze` whose stdout is the report). */
  say: (line: string) => void;
}

export interface LoadFilesOutcome {
  results: LoadResult[];
  /** Files that failed or loaded only partially. */
  failures: number;
}

/**
 * Loads each file as a snapshot, one after another, reporting one line per file. A file that is not
 * an RDB, is unreadable or stops halfway is reported (one line on stderr) and the next file is loaded;
 * anything else (a database error, a bug) stops the batch.
 */
export async function loadFiles(db: Store, files: string[], options: LoadFilesOptions): Promise<LoadFilesOutcome> {
  const results: LoadResult[] = [];
  let failures = 0;
  for (const path of files) {
    const progress = new ProgressLine(path, progressEnabled(options.quiet));
    const started = Date.now();
    try {
      const res = await loadSnapshot(db, {
        path,
        open: async () => {
          const input = await openInput(path);
          return { input, parse: parseRdb(input.chunks, { fileName: path }) };
        },
        memoryModel: options.memoryModel,
        onProgress: (p) => progress.update(p),
      });
      progress.done();
      results.push(res);
      if (res.outcome === 'already-loaded') {
        if (!options.quiet) options.say(`${path}: already loaded as snapshot ${res.snapshotId} (${res.keys} keys, ${res.status}); nothing to do`);
        continue;
      }
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (res.error) {
        failures++;
        process.stderr.write(`rdbscope: ${res.error.message}\n`);
        options.say(`${path}: kept as PARTIAL snapshot ${res.snapshotId}: ${res.keys} keys read before the error (${secs}s)`);
      } else if (!options.quiet) {
        options.say(`${path}: loaded as snapshot ${res.snapshotId}: ${res.keys} keys in ${secs}s`);
      }
    } catch (err) {
      progress.done();
      if (!isRdbError(err)) throw err;
      failures++;
      process.stderr.write(`rdbscope: ${err.message}\n`);
    }
  }
  return { results, failures };
}
