import { isRdbError } from '../core/errors.js';

/** A mistake in how the command was called: one line on stderr, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Runs a command body and turns failures into one line and an exit code: 2 for usage errors, 1 for
 * bad input or I/O (RdbError), 1 for anything else (with the message only; a stack trace is printed
 * only when RDBSCOPE_DEBUG is set, since it would be our bug, not the user's).
 */
export async function runCommand(body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? 0;
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

export function reportError(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`rdbscope: ${err.message}\n`);
    return 2;
  }
  if (isRdbError(err)) {
    process.stderr.write(`rdbscope: ${err.message}\n`);
    return 1;
  }
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`rdbscope: ${msg}\n`);
  if (process.env.RDBSCOPE_DEBUG && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
  return 1;
}

/**
 * Parses a whole-number option (at least `min`) or throws a UsageError naming the option. A number
 * past 2^53 - 1 (`--top 1e30`, meant as "all") is taken as 2^53 - 1: no count of rows, keys or bytes
 * reaches it, and SQLite takes a larger one only as a REAL, which LIMIT refuses ("datatype mismatch").
 */
export function parseIntOption(name: string, value: string, min = 0): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  return Math.min(n, Number.MAX_SAFE_INTEGER);
}

/**
 * An instance name as given: non-empty, printable, at most 200 characters (it labels reports,
 * metrics and partition directories). Undefined stays undefined (the default applies).
 */
export function instanceOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // eslint-disable-next-line no-control-regex
  if (value.length === 0 || value.length > 200 || /[\x00-\x1f\x7f]/.test(value)) {
    throw new UsageError(`--instance must be 1 to 200 printable characters, got ${JSON.stringify(value)}`);
  }
  return value;
}
