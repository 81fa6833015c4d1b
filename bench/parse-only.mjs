// @ts-check
/**
 * rdbscope parse-only, as the benchmark times it: every key decoded into a record, CRC64 checked,
 * nothing stored. The records are the ones a default load decodes: would-be listpacks are sized up
 * to the default server thresholds (CompactLimits), as `rdbscope load` asks of the parser. The input
 * is opened as `rdbscope info` opens it (CRC64 on a second thread for large plain files). Uses the compiled parser in dist/ (run `npm run build` first);
 * bench/run.mjs bundles this file as scripts/bundle.mjs bundles the CLI, so both start alike.
 *
 *   node bench/parse-only.mjs <dump> [more dumps...] [--stats]
 *
 * Prints one JSON line per file: { file, keys, rdbBytes, checksum }. With --stats also the record
 * count and value bytes per db and RDB encoding (to see what a dump is made of). Exit code 1 when a
 * parse fails or a checksum does not match.
 */
import { openInput } from '../dist/input/open-input.js';
import { parseRdb } from '../dist/rdb/index.js';
import { compactLimitsOf, DEFAULT_ENCODING_CONFIG } from '../dist/memory/config.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Parses each file, writing one JSON line per file (and the --stats table). Returns false when a
 * checksum did not match.
 * @param {string[]} files
 * @param {boolean} stats
 */
export async function parseFiles(files, stats) {
  let failed = false;
  for (const file of files) {
    const input = await openInput(file, undefined, { crcThread: true });
    const parse = parseRdb(input.chunks, { fileName: file, verifyChecksum: true, compactLimits: compactLimitsOf(DEFAULT_ENCODING_CONFIG), checksumSource: input.checksumSource });
    let keys = 0;
    /** @type {Map<string, { keys: number, valueBytes: number }>} */
    const byType = new Map();
    // As `rdbscope info` reads a dump: each key's record handed over as it is decoded (RdbParse.visit).
    await parse.visit((rec) => {
      keys++;
      if (stats) {
        const k = `db${rec.db} ${rec.rdbType}`;
        const e = byType.get(k) ?? { keys: 0, valueBytes: 0 };
        e.keys++;
        e.valueBytes += rec.valueBytes;
        byType.set(k, e);
      }
    });
    const checksum = parse.info.checksum;
    if (checksum.status === 'mismatch') failed = true;
    const out = { file, keys, rdbBytes: parse.info.bytesRead, checksum: checksum.status };
    process.stdout.write(JSON.stringify(out) + '\n');
    if (stats) {
      for (const [k, e] of [...byType].sort()) process.stdout.write(`  ${k.padEnd(28)} ${String(e.keys).padStart(9)} keys ${(e.valueBytes / 1e6).toFixed(1).padStart(9)} MB\n`);
    }
  }
  return !failed;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const files = args.filter((a) => a !== '--stats');
  if (files.length === 0) {
    process.stderr.write('usage: node bench/parse-only.mjs <dump>... [--stats]\n');
    process.exit(2);
  }
  process.exit((await parseFiles(files, args.includes('--stats'))) ? 0 : 1);
}
