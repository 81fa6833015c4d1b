/**
 * The key object of Redis ≥ 8.2 and Valkey ≥ 8.1 (rdb-format.md §9.7.2, §9.7.3): key, expiry slot and
 * small string values live in one allocation with the robj ("kvobj"), so there is no key sds and no
 * dictEntry, and whether a string is embedded depends on the key length too.
 */
import type { KeyRecord } from '../core/record.js';
import { keyLengthOf } from '../core/record.js';
import { atLeast, type ServerProfile } from './profile.js';
import { sdsHeader } from './sds.js';
import type { Sizing } from './sizing.js';

/** Keys this long always get an expiry slot (`KEY_SIZE_TO_INCLUDE_EXPIRE_THRESHOLD`). */
const EXPIRE_SLOT_KEY_LEN = 128;

export type ModernFamily = 'r82' | 'r84' | 'r86' | 'v81' | 'v90' | 'v91';

export function modernFamily(p: ServerProfile): ModernFamily | null {
  if (p.family === 'redis') {
    if (atLeast(p, 8, 6)) return 'r86';
    if (atLeast(p, 8, 4)) return 'r84';
    if (atLeast(p, 8, 2)) return 'r82';
    return null;
  }
  if (atLeast(p, 9, 1)) return 'v91';
  if (atLeast(p, 9, 0)) return 'v90';
  if (atLeast(p, 8, 1)) return 'v81';
  return null;
}

/** The key's sds inside the object: an empty key keeps the 1-byte type-5 header there. */
function keySds(kl: number, s: Sizing): number {
  return sdsHeader(kl, s.sdsRule) + kl + 1;
}

/** Whether a non-integer string value of `vlen` bytes is embedded in the key object (§9.7.3). */
export function embedsString(rec: KeyRecord, vlen: number, f: ModernFamily, s: Sizing): boolean {
  const kl = keyLengthOf(rec);
  const e = rec.expireAtMs !== null ? 1 : 0;
  switch (f) {
    case 'r82':
    case 'r84':
    case 'v81':
      return vlen <= 44 && 16 + (kl + 3) + 8 * e + (vlen + 4) <= 64;
    case 'r86':
      return vlen <= 44 && 16 + (kl + 3) + (vlen + 4) <= 64;
    case 'v90':
      return vlen <= 44 && 16 + keySds(kl, s) + 1 + 8 * e + (vlen + 4) <= 64;
    case 'v91':
      return 8 + keySds(kl, s) + 1 + 8 * e + (vlen + 4) <= 128;
  }
}

/** What MEMORY USAGE adds for the key object; `embedded` = length of an embedded string value. */
export function keyObjectBytes(rec: KeyRecord, f: ModernFamily, s: Sizing, embedded: number | null): number {
  const kl = keyLengthOf(rec);
  const e = rec.expireAtMs !== null ? 1 : 0;
  const ePrime = e === 1 || kl >= EXPIRE_SLOT_KEY_LEN ? 1 : 0;
  const key = 1 + keySds(kl, s);
  const emb = embedded === null ? 0 : 4 + embedded;
  switch (f) {
    case 'r82':
    case 'v81':
    case 'v90':
      return s.A(16 + 8 * ePrime + key + emb);
    case 'r84': {
      if (embedded !== null) return s.A(16 + 8 * ePrime + key + emb);
      // tracked size: the object itself, unrounded; spare room of ≥ 8 bytes becomes an expiry slot
      const k = 16 + 8 * ePrime + key;
      return ePrime === 0 && s.A(k) - k >= 8 ? k + 8 : k;
    }
    case 'r86': {
      // classes skipped at load (ALLOW_IGNORE without the module) would not count; we assume the
      // loading server has the modules that wrote them
      // one metadata slot for the expiry plus one per module key-metadata class (§9.7.2 m)
      const m = ePrime + (rec.keyMeta?.classes.length ?? 0);
      return s.A(8 * m + 16 + key + emb);
    }
    case 'v91':
      if (embedded !== null) return s.A(8 + 8 * e + key + Math.max(8, emb));
      return s.A(16 + 8 * ePrime + key);
  }
}
