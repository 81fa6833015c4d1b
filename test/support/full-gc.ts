import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full collection by V8, on demand, without `--expose-gc` on the test runner's command line: the
 * flag is set at run time, and `gc` is read from a context made after it (a context made before
 * has none).
 */
export function fullGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
