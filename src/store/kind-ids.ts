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
 * are the rule in a dump, so the last kind is checked first; a db's other kinds (a handful: its
 * types and encodings) are then searched in a short list. The type strings come from the parser's
 * and the memory model's constants, so each check is a few pointer compares. One list per db, not a
 * map per db, type and file encoding: those are three maps per db (~35 MB per thread for 40 000).
 */
export class KindIds {
  readonly defs: KindDef[] = [];
  /** db → the ids of its kinds (defs[id]). */
  private readonly ofDb = new Map<number, number[]>();
  private last: KindDef | null = null;
  private lastId = -1;

  id(db: number, type: string, rdbType: string, encoding: string | null): number {
    const l = this.last;
    if (l !== null && l.db === db && l.type === type && l.rdbType === rdbType && l.encoding === encoding) return this.lastId;
    let ids = this.ofDb.get(db);
    if (ids === undefined) this.ofDb.set(db, (ids = []));
    let id = -1;
    for (let i = 0; i < ids.length; i++) {
      const d = this.defs[ids[i]!]!;
      if (d.type === type && d.rdbType === rdbType && d.encoding === encoding) {
        id = ids[i]!;
        break;
      }
    }
    if (id < 0) {
      id = this.defs.length;
      this.defs.push({ db, type, rdbType, encoding });
      ids.push(id);
    }
    this.last = this.defs[id]!;
    this.lastId = id;
    return id;
  }
}
