import type { Command } from 'commander';
import { runCommand, UsageError } from '../exit.js';
import { openDump } from '../dump-source.js';
import type { RdbFileInfo } from '../../rdb/index.js';
import { keyBufferOf, keyLengthOf, keyStartOf } from '../../core/record.js';
import { DuplicateKeyCheck, MAX_KEY_BYTES, MAX_KEYS } from '../../rdb/duplicate-keys.js';
import { ENTERPRISE_OPCODE_NAMES } from '../../rdb/enterprise-opcodes.js';
import { terminalSafe } from '../../output/terminal-safe.js';
import { relaxedVersionCheck, relaxedVersionCheckOption, type VersionCheckCliOptions } from '../version-check-option.js';

interface InfoOptions extends VersionCheckCliOptions {
  verify: boolean;
  format: string;
}

/** Keys repeated in their db, when the bounded check covered the whole dump (null: not checked). */
export type DuplicateCount = number | null;

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('RDB version, AUX fields, keys per db and per type, functions, checksum')
    .argument('<file>', 'dump file (plain, .gz or .lz4, detected from its bytes; - for stdin)')
    .option('--no-verify', 'skip the CRC64 check (faster; says so in the output)')
    .option('--format <format>', 'text | json', 'text')
    .addOption(relaxedVersionCheckOption())
    .action((file: string, opts: InfoOptions) =>
      runCommand(async () => {
        if (opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`--format must be text or json, got ${JSON.stringify(opts.format)}`);
        const { input, parse } = await openDump(file, opts.verify, undefined, relaxedVersionCheck(opts));
        const duplicates = new DuplicateKeyCheck();
        let failed = false;
        try {
          // Every key decoded and checked; info counts them. The check reads the key bytes where the
          // parser holds them, and past its limits not at all (rec.key makes a view per key: info of
          // 5 M keys 2.2 → 3.5 s).
          await parse.visit((rec) => {
            if (duplicates.checked) duplicates.addRange(rec.db, keyBufferOf(rec), keyStartOf(rec), keyLengthOf(rec));
          });
        } catch {
          failed = true; // reported below with what was read before the fault
        }
        const info = parse.info;
        const dup = duplicates.checked ? duplicates.duplicateKeys : null;
        if (opts.format === 'json') process.stdout.write(JSON.stringify(infoJson(info, input.compression, dup), null, 2) + '\n');
        else process.stdout.write(infoText(info, input.compression, dup));
        if (failed && info.error) {
          process.stderr.write(`rdbscope: ${info.error.message}\n`);
          return 1;
        }
        return 0;
      }),
    );
}

export function infoJson(info: RdbFileInfo, compression: string, duplicateKeys: DuplicateCount): object {
  return {
    magic: info.magic,
    version: info.version,
    unknownVersion: info.unknownVersion,
    compression,
    aux: Object.fromEntries(info.aux.map((a) => [a.key, a.value])),
    keys: info.keys,
    emptyKeys: info.emptyKeys,
    duplicateKeys,
    keysPerDb: Object.fromEntries([...info.keysPerDb].sort((a, b) => a[0] - b[0])),
    keysPerType: Object.fromEntries([...info.keysPerType].sort()),
    resizeDb: info.resizeDb,
    functions: info.functions,
    moduleAux: info.moduleAux,
    // Records past the lists' limit (RdbFileInfo.omitted): counted, not listed.
    omitted: info.omitted,
    slotInfo: info.slotInfo,
    slotImports: info.slotImports,
    enterpriseOpcodes: Object.fromEntries(info.enterpriseOpcodes),
    checksum: info.checksum,
    bytesRead: info.bytesRead,
    trailingBytes: info.trailingBytes,
    complete: info.complete,
    error: info.error ? { code: info.error.code, offset: info.error.offset, key: info.error.key, message: info.error.detail } : null,
  };
}

function infoText(info: RdbFileInfo, compression: string, duplicateKeys: DuplicateCount): string {
  const pairs: [string, string][] = [];
  const add = (k: string, v: string | number) => pairs.push([terminalSafe(k), terminalSafe(String(v))]);
  const unknown = info.unknownVersion ? ' (no release writes this version: read past the version check, --relaxed-version-check)' : '';
  add('format', `${info.magic ?? '?'} RDB version ${info.version ?? '?'}${compression === 'none' ? '' : ` (${compression} compressed)`}${unknown}`);
  for (const a of info.aux) add(`aux ${a.key}`, a.value.length > 80 ? a.value.slice(0, 77) + '...' : a.value);
  if (info.omitted.aux > 0) add('aux', `${info.omitted.aux} more AUX fields, not listed`);
  add('keys', info.keys);
  for (const [db, n] of [...info.keysPerDb].sort((a, b) => a[0] - b[0])) {
    const hint = info.resizeDb.find((r) => r.db === db);
    add(`  db ${db}`, `${n}${hint ? ` (RESIZEDB hint ${hint.keys} keys, ${hint.expires} with TTL)` : ''}`);
  }
  // Equal counts by name: the map's order depends on where the input's chunks were cut (a pipe's differ from a file's).
  for (const [type, n] of [...info.keysPerType].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) add(`  ${type}`, n);
  if (info.emptyKeys > 0) add('empty keys', `${info.emptyKeys} (lists, sets, zsets or hashes without elements: a server drops them on load)`);
  if (duplicateKeys === null) add('duplicate keys', `not checked: more than ${MAX_KEYS} keys or ${MAX_KEY_BYTES >> 20} MiB of keys (rdbscope load --check-duplicates counts them)`);
  else if (duplicateKeys > 0) add('duplicate keys', `${duplicateKeys} (each repeats a key of its db: a server refuses this file)`);
  for (const f of info.functions) {
    const format = f.preRelease ? '; Redis 7.0 RC format: Redis 7.0 loads it, 7.2+ refuses the file' : '';
    add('function', `${f.engine} ${f.kind}${f.name ? ` ${f.name}` : ''} (${f.bytes} bytes${format})`);
  }
  if (info.omitted.functions > 0) add('function', `${info.omitted.functions} more, not listed`);
  for (const m of info.moduleAux) add('module aux', `${m.module} v${m.encver} when=${m.when} (${m.bytes} bytes)`);
  if (info.omitted.moduleAux > 0) add('module aux', `${info.omitted.moduleAux} more, not listed`);
  if (info.slotInfo > 0) add('slot info', `${info.slotInfo} records (cluster)`);
  if (info.slotImports > 0) add('slot imports', info.slotImports);
  for (const [op, n] of info.enterpriseOpcodes) add('note', `Redis Enterprise opcode ${op} (${ENTERPRISE_OPCODE_NAMES.get(op)}) seen ${n} times, ignored`);
  const c = info.checksum;
  add(
    'checksum',
    c.status === 'ok' ? `ok (${c.value})` :
    c.status === 'mismatch' ? `MISMATCH: file says ${c.expected}, content gives ${c.actual}` :
    c.status === 'disabled' ? 'disabled (trailer is 0: saved with rdbchecksum no)' :
    c.status === 'absent' ? 'none (RDB < 5 has no checksum)' :
    c.status === 'skipped' ? 'not verified (--no-verify)' : 'not reached',
  );
  if (info.trailingBytes > 0) add('trailing', `${info.trailingBytes} bytes after the checksum (e.g. an AOF tail)`);
  add('status', info.complete ? 'complete' : `INCOMPLETE: ${info.error?.message ?? 'stopped early'}`);
  // Values in one column: after NAME_COLUMN_MIN, further right for a longer name up to NAME_COLUMN_MAX.
  const width = Math.min(NAME_COLUMN_MAX, Math.max(NAME_COLUMN_MIN, ...pairs.map(([k]) => k.length)));
  return pairs.map(([k, v]) => `${k.padEnd(width)} ${v}`).join('\n') + '\n';
}

/** Name column of `info`: as wide as its usual names (`duplicate keys`)… */
const NAME_COLUMN_MIN = 14;
/** …and at most this wide: past it a name (an AUX field's, any length) runs into its value's column. */
const NAME_COLUMN_MAX = 24;
