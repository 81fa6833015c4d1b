import { readFileSync } from 'node:fs';
import { UsageError } from './exit.js';

/**
 * A memory size as Redis reads one in its config (`R:util.c memtoull`): digits, then nothing or one of
 * b, k (1000), kb (1024), m, mb, g, gb, case-insensitive; no sign, no fraction. Null when not one.
 */
export function parseMemorySize(text: string): number | null {
  const m = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(text.trim());
  if (!m) return null;
  const unit = { b: 1, k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  const n = Number(m[1]) * unit;
  return Number.isSafeInteger(n) ? n : null;
}

/** parseMemorySize for an option: a bad size is a usage error naming the option. */
export function sizeOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = parseMemorySize(value);
  if (n === null) throw new UsageError(`${name} must be a size such as 4gb, 512mb or a byte count (Redis units: k=1000, kb=1024, m, mb, g, gb), got ${JSON.stringify(value)}`);
  return n;
}

/**
 * `maxmemory` and `maxmemory-policy` from a redis.conf: later lines win, as in Redis; values may be
 * quoted. Absent directives stay undefined.
 */
export function readMemoryLimits(file: string): { maxmemory?: number; policy?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--redis-conf: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const out: { maxmemory?: number; policy?: string } = {};
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const [name, value] = raw.trim().split(/\s+/, 2);
    if (value === undefined || name === undefined || name.startsWith('#')) continue;
    const v = value.replace(/^["']|["']$/g, '');
    if (name.toLowerCase() === 'maxmemory') {
      const n = parseMemorySize(v);
      if (n === null) throw new UsageError(`--redis-conf: ${file} line ${i + 1}: maxmemory ${JSON.stringify(v)} is not a size`);
      out.maxmemory = n;
    } else if (name.toLowerCase() === 'maxmemory-policy') {
      out.policy = v.toLowerCase();
    }
  }
  return out;
}
