import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from './exit.js';

/** Files a directory contributes: dumps and their compressed backups (the nightly-batch case). */
const DUMP_FILE = /\.(rdb|gz|lz4)$/i;
const GLOB_CHARS = /[*?[]/;

/**
 * Turns `load` arguments into file paths, in order, without duplicates: a directory gives its
 * *.rdb / *.gz / *.lz4 files (sorted, not recursive); an argument with glob characters the shell did
 * not expand (quoted) is matched against its directory (glob in the last path segment only); anything
 * else is taken as a file path, so a missing file fails later with the input layer's own message.
 */
export async function expandInputs(args: string[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    if (!seen.has(p)) {
      seen.add(p);
      out.push(p);
    }
  };
  for (const arg of args) {
    const st = await stat(arg).catch(() => null);
    if (st?.isDirectory()) {
      const entries = await readdir(arg, { withFileTypes: true });
      const names = entries.filter((e) => !e.isDirectory() && DUMP_FILE.test(e.name)).map((e) => e.name).sort();
      for (const n of names) add(join(arg, n));
    } else if (!st && GLOB_CHARS.test(basename(arg))) {
      const dir = dirname(arg);
      const re = globToRegExp(basename(arg));
      const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => re.test(n)).sort();
      if (names.length === 0) throw new UsageError(`no file matches ${arg}`);
      for (const n of names) add(join(dir, n));
    } else {
      add(arg);
    }
  }
  return out;
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = end;
      }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
