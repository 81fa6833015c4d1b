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
