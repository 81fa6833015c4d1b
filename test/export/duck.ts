import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export type DuckRow = Record<string, unknown>;

/** An in-memory DuckDB: the engine the fleet docs' SQL is written for. */
export class Duck {
  private constructor(private readonly instance: DuckDBInstance, private readonly conn: DuckDBConnection) {}

  static async open(): Promise<Duck> {
    const instance = await DuckDBInstance.create(':memory:');
    return new Duck(instance, await instance.connect());
  }

  /** Rows with BIGINTs as numbers (exact below 2^53), DATEs and TIMESTAMPs as ISO text, BLOBs as hex. */
  async all(sql: string): Promise<DuckRow[]> {
    const reader = await this.conn.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return v;
}
