import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { globToRegExp } from './expand-inputs.js';
import { UsageError } from './exit.js';
import { parseMemorySize } from './memory-size.js';

/** What a redis.conf sets the server's memory limit to. */
export interface MemoryLimits {
  /** Bytes; 0 = no limit. */
  maxmemory: number;
  policy: string;
}

/**
 * Redis's defaults for a config file that does not set them (`R:config.c`: maxmemory 0, no limit on a
 * 64-bit build; maxmemory-policy noeviction).
 */
const REDIS_DEFAULT_LIMITS: MemoryLimits = { maxmemory: 0, policy: 'noeviction' };

/** The values maxmemory-policy takes (`R:config.c maxmemory_policy_enum`), matched without case. */
const MAXMEMORY_POLICIES = ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'];

/** Nested includes followed at most (Redis has no limit and recurses until it crashes on a cycle). */
const MAX_INCLUDE_DEPTH = 16;

/**
 * `maxmemory` and `maxmemory-policy` of the server a redis.conf starts, read as Redis reads the file
 * (`R:config.c loadServerConfigFromString`): a line is trimmed, skipped when empty or starting with
 * `#`, split into arguments as sdssplitargs splits them (quotes and their escapes); directive names
 * have no case; later lines win; `include` reads another file (a glob in its last path segment, in
 * name order) at that point. A relative include is taken from the last `dir` read (Redis changes
 * into it), else from the including file's directory (Redis would take its own working directory,
 * which the file does not say). A directive absent from every file keeps Redis's default: no limit,
 * noeviction. A line Redis would refuse to start with is a usage error naming the file and line.
 */
export function readMemoryLimits(file: string): Partial<MemoryLimits> {
  // Both always set; Partial so that callers may write `conf ? readMemoryLimits(conf) : {}`.
  const out: MemoryLimits = { ...REDIS_DEFAULT_LIMITS };
  readConfigFile(file, out, { dir: null }, 0);
  return out;
}

function readConfigFile(file: string, out: MemoryLimits, state: { dir: string | null }, depth: number): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--redis-conf: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '' || line.startsWith('#')) continue;
    const where = `--redis-conf: ${file} line ${i + 1}`;
    const args = splitConfigArgs(line);
    if (args === null) throw new UsageError(`${where}: unbalanced quotes`);
    const [name, ...values] = args;
    const directive = (name ?? '').toLowerCase();
    if (directive !== 'maxmemory' && directive !== 'maxmemory-policy' && directive !== 'include' && directive !== 'dir') continue;
    if (values.length !== 1) throw new UsageError(`${where}: ${directive} takes one argument, got ${values.length}`);
    const value = values[0]!;
    if (directive === 'maxmemory') {
      const n = parseMemorySize(value);
      if (n === null) throw new UsageError(`${where}: maxmemory ${JSON.stringify(value)} is not a size`);
      out.maxmemory = n;
    } else if (directive === 'maxmemory-policy') {
      const policy = value.toLowerCase();
      if (!MAXMEMORY_POLICIES.includes(policy)) throw new UsageError(`${where}: maxmemory-policy ${JSON.stringify(value)} is not one of ${MAXMEMORY_POLICIES.join(', ')}`);
      out.policy = policy;
    } else if (directive === 'dir') {
      state.dir = isAbsolute(value) ? value : resolve(state.dir ?? dirname(file), value);
    } else {
      if (depth >= MAX_INCLUDE_DEPTH) throw new UsageError(`${where}: includes nested more than ${MAX_INCLUDE_DEPTH} deep (a cycle?)`);
      for (const included of includedFiles(resolve(state.dir ?? dirname(file), value), where)) readConfigFile(included, out, state, depth + 1);
    }
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
