import { Option } from 'commander';
import { MAX_KEYS } from '../rdb/duplicate-keys.js';

export interface DuplicateCheckCliOptions {
  checkDuplicates?: boolean;
}

/**
 * `--check-duplicates` (load, analyze): keys repeated in their db are always counted in the parse
 * for dumps of up to MAX_KEYS keys; past that only when asked, by SQLite over the key rows, which
 * sorts every key (store/duplicate-keys.ts).
 */
export function checkDuplicatesOption(): Option {
  return new Option(
    '--check-duplicates',
    `also count keys repeated in their db on dumps of more than ${MAX_KEYS} keys (a sort of every key: slower load; needs every key's row)`,
  );
}
