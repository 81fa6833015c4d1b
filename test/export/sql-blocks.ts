import { readFileSync } from 'node:fs';

export interface SqlBlock {
  /** The name after `<!-- fleet-sql: NAME -->`, or null (unmarked, or marked without a name). */
  name: string | null;
  sql: string;
  /** Whether an HTML comment `<!-- fleet-sql … -->` stands right before the block. */
  marked: boolean;
}

const BLOCK = /(?:<!--\s*fleet-sql(?::\s*([\w-]+))?\s*-->\s*\n)?```sql\n([\s\S]*?)```/g;

/** The ```sql blocks of a Markdown file, in order. */
export function sqlBlocks(path: string): SqlBlock[] {
  const text = readFileSync(path, 'utf8');
  const out: SqlBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const marked = m[0].startsWith('<!--');
    out.push({ name: m[1] ?? null, sql: m[2]!, marked });
  }
  return out;
}

/** The directory the docs' SQL reads (`'exports/**…'`), replaced by `dir`: the only substitution made. */
export function withDir(sql: string, dir: string): string {
  return sql.replaceAll("'exports/", `'${dir.replaceAll("'", "''")}/`);
}
