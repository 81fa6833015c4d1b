import { Option } from 'commander';
import { MAX_KEY_BYTES, MAX_KEYS } from '../rdb/duplicate-keys.js';

export interface DuplicateCheckCliOptions {
  checkDuplicates?: boolean;
}

/**
 * `--check-duplicates` (load, analyze): keys repeated in their db are always counted in the parse
 * for dumps of up to MAX_KEYS keys and MAX_KEY_BYTES of key bytes; past that only when asked, by
 * SQLite over the key rows, which sorts every key (store/duplicate-keys.ts).
 */
export function checkDuplicatesOption(): Option {
  return new Option(
    '--check-duplicates',
    `also count keys repeated in their db on dumps of more than ${MAX_KEYS} keys or ${MAX_KEY_BYTES / (1 << 20)} MiB of key bytes (a sort of every key: slower load; needs every key's row)`,
  );
}
