import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { globToRegExp } from './expand-inputs.js';
import { UsageError } from './exit.js';

/** One directive of a redis.conf, as Redis splits it. */
export interface ConfigDirective {
  /** The directive's name, lower case (Redis matches names without case). */
  name: string;
  /** Its arguments, unquoted. */
  values: string[];
  /** `--redis-conf: <file> line <n>`, for a usage error about this line. */
  where: string;
}

/** Nested includes followed at most (Redis has no limit and recurses until it crashes on a cycle). */
const MAX_INCLUDE_DEPTH = 16;

/**
 * Reads a redis.conf as Redis reads it (`R:config.c loadServerConfigFromString`) and hands each
 * directive to `visit`, in order (later lines win, as in Redis): a line is trimmed, skipped when
 * empty or starting with `#`, split into arguments as sdssplitargs splits them (quotes and their
 * escapes); `include` reads another file (a glob in its last path segment, in name order) at that
 * point. A relative include is taken from the last `dir` read (Redis changes into it), else from
 * the including file's directory (Redis would take its own working directory, which the file does
 * not say). `include` and `dir` are handled here and also passed on. Unbalanced quotes, an
 * unreadable file and runaway includes are usage errors naming the file and line; what a directive
 * may hold is for `visit` to check.
 */
export function readRedisConf(file: string | Buffer, visit: (directive: ConfigDirective) => void): void {
  readConfigFile(file, visit, { dir: null }, 0);
}

/**
 * `file` in bytes is a name that is not UTF-8, opened by the bytes the shell passed (argv-bytes.ts);
 * files it includes are named by text.
 */
function readConfigFile(file: string | Buffer, visit: (directive: ConfigDirective) => void, state: { dir: string | null }, depth: number): void {
  const fileName = typeof file === 'string' ? file : file.toString('utf8');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--redis-conf: cannot read ${fileName}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const home = dirname(fileName);
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '' || line.startsWith('#')) continue;
    const where = `--redis-conf: ${fileName} line ${i + 1}`;
    const args = splitConfigArgs(line);
    if (args === null) throw new UsageError(`${where}: unbalanced quotes`);
    const [first, ...values] = args;
    const name = (first ?? '').toLowerCase();
    if (name === 'dir' || name === 'include') {
      if (values.length !== 1) throw new UsageError(`${where}: ${name} takes one argument, got ${values.length}`);
      const value = values[0]!;
      if (name === 'dir') {
        state.dir = isAbsolute(value) ? value : resolve(state.dir ?? home, value);
      } else {
        if (depth >= MAX_INCLUDE_DEPTH) throw new UsageError(`${where}: includes nested more than ${MAX_INCLUDE_DEPTH} deep (a cycle?)`);
        for (const included of includedFiles(resolve(state.dir ?? home, value), where)) readConfigFile(included, visit, state, depth + 1);
      }
    }
    visit({ name, values, where });
  }
}

/** An include's files: the path itself, or the names its last segment's glob matches, in order. */
function includedFiles(path: string, where: string): string[] {
  const name = basename(path);
  if (!/[*?[]/.test(name)) return [path];
  const dir = dirname(path);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new UsageError(`${where}: cannot list ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const re = globToRegExp(name);
  return names.filter((n) => re.test(n)).sort().map((n) => join(dir, n));
}

/**
 * A config line split as sdssplitargs splits it (`R:sds.c`): arguments separated by blanks; in
 * double quotes `\xHH`, `\n`, `\r`, `\t`, `\b`, `\a` and `\` before any other character; in
 * single quotes only `\'`; a closing quote must be followed by a blank. Null where Redis finds the
 * quotes unbalanced.
 */
export function splitConfigArgs(line: string): string[] | null {
  const args: string[] = [];
  let i = 0;
  const blank = (c: string | undefined) => c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\v' || c === '\f';
  for (;;) {
    while (blank(line[i])) i++;
    if (i >= line.length) return args;
    let cur = '';
    let inDq = false;
    let inSq = false;
    for (;;) {
      const c = line[i];
      if (inDq) {
        if (c === undefined) return null;
        if (c === '\\' && line[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && line[i + 1] !== undefined) {
          const e = line[++i]!;
          cur += ({ n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' } as Record<string, string>)[e] ?? e;
        } else if (c === '"') {
          if (line[i + 1] !== undefined && !blank(line[i + 1])) return null;
          inDq = false;
          i++;
          break;
        } else cur += c;
      } else if (inSq) {
        if (c === undefined) return null;
        if (c === '\\' && line[i + 1] === "'") {
          cur += "'";
          i++;
        } else if (c === "'") {
          if (line[i + 1] !== undefined && !blank(line[i + 1])) return null;
          inSq = false;
          i++;
          break;
        } else cur += c;
      } else {
        if (c === undefined || blank(c)) break;
        if (c === '"') inDq = true;
        else if (c === "'") inSq = true;
        else cur += c;
      }
      i++;
    }
    args.push(cur);
  }
}
