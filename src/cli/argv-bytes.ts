/**
 * Command-line arguments as the bytes the shell passed. Node decodes argv as UTF-8 and puts U+FFFD
 * in place of bytes that are not UTF-8; a glob or a file name of such bytes is read again from the
 * command line the kernel keeps (/proc/self/cmdline, Linux).
 */
import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from './exit.js';

/**
 * The bytes of an option's value as the shell passed them. Node decodes argv as UTF-8 and puts
 * U+FFFD in place of bytes that are not UTF-8, so a glob of raw bytes (`--match $'\xff*'`) would
 * match other keys than Redis matches. Such a value is read again, byte for byte, from the command
 * line the kernel keeps (/proc/self/cmdline, Linux); where that cannot be done it is a usage error,
 * never a silent mismatch. Commander keeps the last occurrence of an option, and so does this.
 */
export function argumentBytes(
  value: string,
  option: string,
  argv: readonly string[] = process.argv,
  cmdline: () => Buffer | null = readCmdline,
  hint = 'write the pattern in UTF-8, or use ? or [...] for those bytes',
): Buffer {
  const utf8 = Buffer.from(value, 'utf8');
  if (!value.includes('\uFFFD')) return utf8;
  const fail = () => new UsageError(`${option} holds bytes that are not UTF-8 and they cannot be read exactly here (no /proc/self/cmdline); ${hint}`);
  const args = rawArguments(argv, cmdline);
  if (args === null) throw fail();
  const given = argv.slice(2);
  const prefix = Buffer.from(`${option}=`, 'utf8');
  let found: Buffer | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (i > 0 && given[i - 1] === option && given[i] === value) found = a;
    else if (a.subarray(0, prefix.length).equals(prefix) && a.subarray(prefix.length).toString('utf8') === value) found = a.subarray(prefix.length);
  }
  if (found === null) throw fail();
  return Buffer.from(found);
}

/**
 * The bytes of a positional argument (a file name) as the shell passed them, when Node's UTF-8
 * decoding lost some (a name in Latin-1, `caf\xe9.rdb`): those of the one argument that decodes to
 * `value`, or of the one such argument naming an existing file. Null when nothing was lost or the
 * bytes cannot be told (then the name is used as decoded, and its open fails as it would).
 */
export function positionalBytes(value: string, argv: readonly string[] = process.argv, cmdline: () => Buffer | null = readCmdline, exists: (p: Buffer) => boolean = existsSync): Buffer | null {
  if (!value.includes('\uFFFD')) return null;
  const args = rawArguments(argv, cmdline);
  if (args === null) return null;
  const given = argv.slice(2);
  const distinct: Buffer[] = [];
  for (let i = 0; i < args.length; i++) {
    if (given[i] === value && !distinct.some((d) => d.equals(args[i]!))) distinct.push(args[i]!);
  }
  const pick = distinct.length === 1 ? distinct : distinct.filter((d) => exists(d));
  return pick.length === 1 ? Buffer.from(pick[0]!) : null;
}

/**
 * The user's arguments (argv after node and the script) as the kernel holds them, each checked to
 * decode to its argv string; null when they cannot be read (not Linux) or do not line up.
 */
function rawArguments(argv: readonly string[], cmdline: () => Buffer | null): Buffer[] | null {
  const raw = cmdline();
  if (raw === null) return null;
  const all: Buffer[] = [];
  for (let start = 0; start < raw.length; ) {
    const end = raw.indexOf(0, start);
    all.push(raw.subarray(start, end < 0 ? raw.length : end));
    start = end < 0 ? raw.length : end + 1;
  }
  // node's own flags come before the script; the user's arguments end the command line.
  const given = argv.slice(2);
  if (all.length < given.length) return null;
  const args = all.slice(all.length - given.length);
  return args.every((a, i) => a.toString('utf8') === given[i]) ? args : null;
}

function readCmdline(): Buffer | null {
  try {
    return readFileSync('/proc/self/cmdline');
  } catch {
    return null;
  }
}
