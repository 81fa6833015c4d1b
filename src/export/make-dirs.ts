import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`: makes `dir` and its missing parents, one mkdir(2) each, and throws what mkdir throws.
 * Not fs.mkdirSync's `recursive` option: where a parent exists but mkdir of the child still fails with
 * ENOENT (any path under /proc), Node's loop makes the parent and retries the child for ever, at 100%
 * CPU (nodejs/node's MKDirpSync; Node 20 and 24).
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); ; ) {
    if (exists(d)) break;
    missing.push(d);
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}
