/** What a key's "kind" is: the text columns that repeat on every key, stored once (key_kinds). */
export interface KindDef {
  db: number;
  type: string;
  rdbType: string;
  encoding: string | null;
}

/**
 * Dense local ids for the kinds met in one load, shared by the row batches (which send new kinds to
 * the writer) and the aggregates (which sum per kind and fold at the end). Runs of keys of one kind
 * are the rule in a dump, so the last kind is checked first: the type strings come from the parser's
 * and the memory model's constants, so that check is a few pointer compares.
 */
export class KindIds {
  readonly defs: KindDef[] = [];
  // db → type → rdb type → encoding ('' = none) → id
  private readonly ids = new Map<number, Map<string, Map<string, Map<string, number>>>>();
  private last: KindDef | null = null;
  private lastId = -1;

  id(db: number, type: string, rdbType: string, encoding: string | null): number {
    const l = this.last;
    if (l !== null && l.db === db && l.type === type && l.rdbType === rdbType && l.encoding === encoding) return this.lastId;
    let byType = this.ids.get(db);
    if (byType === undefined) this.ids.set(db, (byType = new Map()));
    let byRdb = byType.get(type);
    if (byRdb === undefined) byType.set(type, (byRdb = new Map()));
    let byEnc = byRdb.get(rdbType);
    if (byEnc === undefined) byRdb.set(rdbType, (byEnc = new Map()));
    const e = encoding ?? '';
    let id = byEnc.get(e);
    if (id === undefined) {
      byEnc.set(e, (id = this.defs.length));
      this.defs.push({ db, type, rdbType, encoding });
    }
    this.last = this.defs[id]!;
    this.lastId = id;
    return id;
  }
}
