/**
 * Which loaded encodings hold something the server draws at random, so that MEMORY USAGE of the
 * same key differs between loads and an estimate can only be an expectation (docs/memory-model.md
 * "What stays an expectation"):
 *   - skiplists: node levels (`zslRandomLevel`);
 *   - Valkey ≥ 8.1 hashtables (sets, hashes, zsets): child buckets of overfull bucket chains, which
 *     depend on the per-process hash seed (V:hashtable.c);
 *   - Valkey 8.0 set dicts: which members share a bucket, by the same seed (memory/valkey80.ts).
 * Tables a load leaves mid-rehash (memory/dict-buckets.ts) are predicted, not drawn.
 */
import { atLeast, type ServerProfile } from './profile.js';

export function isRandomEncoding(type: string, encoding: string, p: ServerProfile): boolean {
  if (encoding === 'skiplist') return true;
  if (p.family !== 'valkey' || encoding !== 'hashtable') return false;
  return atLeast(p, 8, 1) ? type === 'set' || type === 'hash' : type === 'set';
}
