import type { Command } from 'commander';
import { runCommand, UsageError } from '../exit.js';
import { openDump } from '../dump-source.js';
import type { RdbFileInfo } from '../../rdb/index.js';
import { terminalSafe } from '../../output/index.js';

interface InfoOptions {
  verify: boolean;
  format: string;
}

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('RDB version, AUX fields, keys per db and per type, functions, checksum')
    .argument('<file>', 'dump file (plain, .gz or .lz4, detected from its bytes; - for stdin)')
    .option('--no-verify', 'skip the CRC64 check (faster; says so in the output)')
    .option('--format <format>', 'text | json', 'text')
    .action((file: string, opts: InfoOptions) =>
      runCommand(async () => {
        if (opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`--format must be text or json, got ${JSON.stringify(opts.format)}`);
        const { input, parse } = await openDump(file, opts.verify);
        let failed = false;
        try {
          await parse.visit(() => undefined); // every key decoded and checked; info counts them
        } catch {
          failed = true; // reported below with what was read before the fault
        }
        const info = parse.info;
        if (opts.format === 'json') process.stdout.write(JSON.stringify(infoJson(info, input.compression), null, 2) + '\n');
        else process.stdout.write(infoText(info, input.compression));
        if (failed && info.error) {
          process.stderr.write(`rdbscope: ${info.error.message}\n`);
          return 1;
        }
        return 0;
      }),
    );
}

function infoJson(info: RdbFileInfo, compression: string): object {
  return {
    magic: info.magic,
    version: info.version,
    compression,
    aux: Object.fromEntries(info.aux.map((a) => [a.key, a.value])),
    keys: info.keys,
    keysPerDb: Object.fromEntries([...info.keysPerDb].sort((a, b) => a[0] - b[0])),
    keysPerType: Object.fromEntries([...info.keysPerType].sort()),
    resizeDb: info.resizeDb,
    functions: info.functions,
    moduleAux: info.moduleAux,
    slotInfo: info.slotInfo,
    slotImports: info.slotImports,
    checksum: info.checksum,
    bytesRead: info.bytesRead,
    trailingBytes: info.trailingBytes,
    complete: info.complete,
    error: info.error ? { code: info.error.code, offset: info.error.offset, key: info.error.key, message: info.error.detail } : null,
  };
}

function infoText(info: RdbFileInfo, compression: string): string {
  const lines: string[] = [];
  const add = (k: string, v: string | number) => lines.push(`${k.padEnd(14)} ${terminalSafe(String(v))}`);
  add('format', `${info.magic ?? '?'} RDB version ${info.version ?? '?'}${compression === 'none' ? '' : ` (${compression} compressed)`}`);
  for (const a of info.aux) add(`aux ${a.key}`.length > 14 ? `aux ${a.key}` : `aux ${a.key}`, a.value.length > 80 ? a.value.slice(0, 77) + '...' : a.value);
  add('keys', info.keys);
  for (const [db, n] of [...info.keysPerDb].sort((a, b) => a[0] - b[0])) {
    const hint = info.resizeDb.find((r) => r.db === db);
    add(`  db ${db}`, `${n}${hint ? ` (RESIZEDB hint ${hint.keys} keys, ${hint.expires} with TTL)` : ''}`);
  }
  for (const [type, n] of [...info.keysPerType].sort((a, b) => b[1] - a[1])) add(`  ${type}`, n);
  for (const f of info.functions) add('function', `${f.engine} ${f.kind}${f.name ? ` ${f.name}` : ''} (${f.bytes} bytes)`);
  for (const m of info.moduleAux) add('module aux', `${m.module} v${m.encver} when=${m.when} (${m.bytes} bytes)`);
  if (info.slotInfo > 0) add('slot info', `${info.slotInfo} records (cluster)`);
  if (info.slotImports > 0) add('slot imports', info.slotImports);
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
  return lines.join('\n') + '\n';
}
