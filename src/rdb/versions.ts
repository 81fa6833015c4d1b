/**
 * The RDB versions releases write (rdb-format.md §1.2, §1.3): under the REDIS magic 1 to 14 (Redis
 * 2.2 … 8.8 — 8.6 writes 13, 8.8 writes 14, `R@8.8.0:rdb.h` RDB_VERSION; Valkey 7.2–8.1 write 11,
 * Valkey 9.1 also 11 for an old replica, KeyDB and Dragonfly 9), under the VALKEY magic 80 only
 * (Valkey 9.0 and 9.1, `V@9.1.0:rdb.h`). Nothing writes REDIS 15–79 (Valkey's loader takes a REDIS
 * header only below 80: `V@9.0.4:rdb.c rdbIsVersionAccepted`), nor any other VALKEY version in a
 * release (81 is declared on Valkey's development branch only).
 */
const NEWEST_REDIS = 14;
const VALKEY_VERSIONS: readonly number[] = [80];

/** What the refusal of an unknown version names as the newest ones read. */
export const NEWEST_VERSIONS = `REDIS${String(NEWEST_REDIS).padStart(4, '0')} from Redis 8.8 and VALKEY080 from Valkey 9`;

export function isKnownVersion(magic: 'REDIS' | 'VALKEY', version: number): boolean {
  return magic === 'REDIS' ? version >= 1 && version <= NEWEST_REDIS : VALKEY_VERSIONS.includes(version);
}
