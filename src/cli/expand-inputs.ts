import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from './exit.js';

/** Files a directory contributes: dumps and their compressed backups (the nightly-batch case). */
const DUMP_FILE = /\.(rdb|gz|lz4)$/i;
/**
 * The file a Redis or Valkey server writes a snapshot into before renaming it to its dbfilename
 * (`temp-<pid>.rdb` for SAVE / BGSAVE, `temp-<unixtime>.<pid>.rdb` for a replica's full sync): in a
 * server's data directory during a save it is a dump cut short, which a directory argument leaves
 * out (a load would keep it as a partial snapshot). Named as a file or matched by a glob, it is read.
 */
const SERVER_TEMP_FILE = /^temp-\d+(\.\d+)?\.rdb$/;
const GLOB_CHARS = /[*?[]/;

/**
 * Turns `load` and `export` arguments into file paths, in order, without duplicates: a directory
 * gives its *.rdb / *.gz / *.lz4 files (sorted, not recursive) but a server's temp-*.rdb; an argument with glob characters the
 * shell did not expand (quoted) is matched segment by segment, as a shell does (`/backups/shard-?/dump.rdb`,
 * `**` for any depth); anything else is taken as a file path, so a missing file fails later with
 * the input layer's own message.
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
      for (const f of await dumpFilesIn(arg)) add(f);
    } else if (!st && GLOB_CHARS.test(arg)) {
      const matched = await globPaths(arg);
      if (matched.length === 0) throw new UsageError(`no file matches ${arg}`);
      for (const m of matched) add(m);
    } else {
      add(arg);
    }
  }
  return out;
}

/** A directory's dump files, sorted by name. */
async function dumpFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => !e.isDirectory() && DUMP_FILE.test(e.name) && !SERVER_TEMP_FILE.test(e.name)).map((e) => join(dir, e.name)).sort();
}

/**
 * The files a glob names. Segments are matched one directory level each (`*`, `?`, `[…]`; a leading
 * `.` only by a pattern that starts with one, as in a shell); `**` is any number of directory levels,
 * and as the last segment every dump file below. A directory that a glob names gives its dump files,
 * as a directory argument does.
 */
async function globPaths(pattern: string): Promise<string[]> {
  const segments = pattern.split('/');
  let bases = [segments[0] === '' ? '/' : '.'];
  for (let i = segments[0] === '' ? 1 : 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg === '' || seg === '.') continue;
    if (seg === '**') {
      bases = (await Promise.all(bases.map(directoriesBelow))).flat();
      continue;
    }
    if (!GLOB_CHARS.test(seg)) {
      bases = bases.map((b) => join(b, seg));
      continue;
    }
    const re = globToRegExp(seg);
    const dotOk = seg.startsWith('.');
    const next: string[] = [];
    for (const b of bases) {
      const names = (await readdir(b).catch(() => [] as string[])).filter((n) => (dotOk || !n.startsWith('.')) && re.test(n)).sort();
      for (const n of names) next.push(join(b, n));
    }
    bases = next;
  }
  const files: string[] = [];
  for (const p of bases) {
    const st = await stat(p).catch(() => null);
    if (st?.isDirectory()) files.push(...(await dumpFilesIn(p)));
    else if (st) files.push(p);
  }
  return files;
}

/** `dir` and every directory below it, depth first in name order; no hidden ones, no symlinked ones (no cycles). */
async function directoriesBelow(dir: string): Promise<string[]> {
  const out = [dir];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    out.push(...(await directoriesBelow(join(dir, e.name))));
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
