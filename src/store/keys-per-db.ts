import type { KeyRecord } from '../core/record.js';
import type { AggregateRows } from './load-aggregates.js';

/** Keys, and keys with an expiry, in one db: what its dictionaries cost (memory/reconcile.ts keyspaceOverhead). */
export interface DbKeys {
  keys: number;
  expires: number;
}

/** Keys per db counted as they stream by (empty collections, which a server drops, left out by the caller). */
export class KeysPerDb {
  private readonly byDb = new Map<number, DbKeys>();

  add(rec: KeyRecord): void {
    let d = this.byDb.get(rec.db);
    if (d === undefined) this.byDb.set(rec.db, (d = { keys: 0, expires: 0 }));
    d.keys++;
    if (rec.expireAtMs !== null) d.expires++;
  }

  /** Per db, in order of first appearance, with `other`'s counts added when given. */
  values(other?: KeysPerDb): DbKeys[] {
    const sum = new Map<number, DbKeys>();
    for (const counts of other === undefined ? [this] : [this, other]) {
      for (const [db, d] of counts.byDb) {
        const s = sum.get(db);
        sum.set(db, s === undefined ? { ...d } : { keys: s.keys + d.keys, expires: s.expires + d.expires });
      }
    }
    return [...sum.values()];
  }
}

/** Keys per db of a load's type aggregates (what type_stats stores), as settleBuild weighs them. */
export function keysPerDbOf(types: AggregateRows['types']): DbKeys[] {
  const perDb = new Map<number, DbKeys>();
  for (const [db, , , , keys, , , untimedKeys] of types) {
    const d = perDb.get(db) ?? { keys: 0, expires: 0 };
    d.keys += keys;
    d.expires += keys - untimedKeys;
    perDb.set(db, d);
  }
  return [...perDb.values()];
}
