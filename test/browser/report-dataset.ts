/**
 * The database the browser tests open a report of: four dumps of one redis-server while its keyspace
 * grows, dated a day apart (their ctime rewritten: the server saves them seconds apart, a forecast
 * needs snapshots at least an hour apart), loaded by the real CLI as one instance. The keyspace has
 * every type, TTLs spread over the histogram's buckets, and keys built to break out of HTML (markup,
 * quotes, NUL and control bytes, a terminal escape, invalid UTF-8, bidi and line separators), a
 * key of 1205 characters without a space, and keys in upper case and in Japanese. The last dump's file name holds markup too: it is the
 * page's title.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRedis } from '../../scripts/lib/redis-server.mjs';
import { runCli } from '../support/cli.js';
import { auxInt, withCtime } from '../../scripts/lib/rdb-patch.mjs';

export interface HostileKey {
  bytes: Buffer;
  /** How the page must show it: the key as text, or redis-cli's escaping (sdscatrepr) of its bytes. */
  shown: string;
}

/** Keys that would run script, add elements or corrupt the page were they written as markup. */
export const HOSTILE_KEYS: HostileKey[] = [
  { bytes: Buffer.from('<script>alert(1)</script>'), shown: '<script>alert(1)</script>' },
  { bytes: Buffer.from('"><img src=x onerror="window.__pwned=1;alert(2)">'), shown: '"><img src=x onerror="window.__pwned=1;alert(2)">' },
  { bytes: Buffer.from("'><svg onload=alert(3)>"), shown: "'><svg onload=alert(3)>" },
  { bytes: Buffer.from('</script><script>window.__pwned=5</script>'), shown: '</script><script>window.__pwned=5</script>' },
  { bytes: Buffer.from('<iframe src="javascript:alert(4)"></iframe>'), shown: '<iframe src="javascript:alert(4)"></iframe>' },
  { bytes: Buffer.from('&lt;b&gt;entity&amp;'), shown: '&lt;b&gt;entity&amp;' },
  // sdscatrepr: NUL and other control bytes as \xHH, \n \a as named escapes.
  { bytes: Buffer.from('nul\x00inside<b>'), shown: 'nul\\x00inside<b>' },
  { bytes: Buffer.from('\x1b[31mred\x1b[0m\x1b]0;owned\x07'), shown: '\\x1b[31mred\\x1b[0m\\x1b]0;owned\\a' },
  // Invalid UTF-8: every byte outside printable ASCII as \xHH.
  { bytes: Buffer.from([0xff, 0xfe, 0x3c, 0x69, 0x3e, 0xc3, 0x28]), shown: '\\xff\\xfe<i>\\xc3(' },
  // Valid UTF-8 kept as text; the page shows the line separator and the bidi override as escapes.
  { bytes: Buffer.from('line\u2028sep</title>'), shown: 'line\\u2028sep</title>' },
  { bytes: Buffer.from('\u202eevil<u>'), shown: '\\u202eevil<u>' },
];

/**
 * A key far longer than a cell shows (cells.ts MAX_CELL_TEXT) with no space to wrap at, its value large
 * enough to rank among the diagnosis's big keys: the page must wrap it inside its column.
 */
export const LONG_KEY = `long:${'0123456789abcdef'.repeat(75)}`;

/**
 * Keys whose patterns are wider than as many lower-case letters, among the largest patterns (chart
 * labels): one in upper case, one in Japanese (full-width characters, where a Japanese font is installed).
 */
export const WIDE_KEYS = ['LEGACY_PROFILE_STORE:EUROPE_WEST:42', '利用者のプロフィール情報キャッシュ:セッション履歴データ:42'];

/** A dump file name that is markup, and long with no space (200 bytes of the 255 a name may have): shown in the page's title and header. */
export const HOSTILE_FILE_NAME = `dump-"><img src=x onerror=alert(9)>-${'0123456789'.repeat(16)}.rdb`;

/** The server the dumps are loaded as. */
export const INSTANCE = 'cache-01';

export interface ReportDataset {
  dir: string;
  db: string;
  /** The dumps, oldest first, a day apart; the last is named HOSTILE_FILE_NAME. */
  dumps: string[];
}

/** Dumps made, the last holding the hostile keys. */
const ROUNDS = 4;
const DAY_S = 86_400;
const x = (n: number, c = 'x') => c.repeat(n);

/** Builds the dumps with a private redis-server in `dir` and loads them into `dir`/report.rdbscope.sqlite. */
export async function makeReportDataset(dir: string): Promise<ReportDataset> {
  const redis = await startRedis();
  const dumps: string[] = [];
  try {
    const c = redis.client;
    const round = async (n: number) => {
      const cmds: (string | Buffer)[][] = [];
      for (let i = 0; i < 40 * n; i++) cmds.push(['SET', `session:${n}:${i}`, x(60 + i)], ['EXPIRE', `session:${n}:${i}`, String([30, 1800, 18000, 259200, 1728000, 5184000][i % 6])]);
      for (let i = 0; i < 30 * n; i++) cmds.push(['SET', `cache:page:${n}:${i}`, x(300 + 7 * i, 'p')]);
      for (let i = 0; i < 10 * n; i++) cmds.push(['HSET', `user:${n}:${i}`, ...Array.from({ length: 5 + i * 20 }, (_, f) => [`f${f}`, x(10 + (f % 50))]).flat()]);
      for (let i = 0; i < 6; i++) cmds.push(['RPUSH', `queue:jobs:${i}`, ...Array.from({ length: 50 * n + i * 40 }, (_, e) => `job-${e}-${x(20)}`)]);
      for (let i = 0; i < 5 * n; i++) cmds.push(['SADD', `tags:${n}:${i}`, ...Array.from({ length: 10 + i * 30 }, (_, e) => String(e * 7))]);
      for (let i = 0; i < 3 * n; i++) cmds.push(['ZADD', `board:${n}:${i}`, ...Array.from({ length: 20 + i * 60 }, (_, e) => [String(e), `player-${e}`]).flat()]);
      for (let i = 0; i < n; i++) for (let e = 0; e < 30; e++) cmds.push(['XADD', `events:${i}`, '*', 'kind', 'click', 'n', String(e)]);
      if (n === ROUNDS) for (const k of HOSTILE_KEYS) cmds.push(['SET', k.bytes, x(4000, 'h')]);
      if (n === ROUNDS) cmds.push(['SET', LONG_KEY, x(64_000, 'l')]);
      if (n === ROUNDS) for (const k of WIDE_KEYS) cmds.push(['SET', k, x(48_000, 'w')]);
      await c.pipeline(cmds);
    };
    let first = 0;
    for (let n = 1; n <= ROUNDS; n++) {
      await round(n);
      const file = join(dir, n === ROUNDS ? HOSTILE_FILE_NAME : `dump-${n}.rdb`);
      const bytes = readFileSync(await redis.save());
      // Nightly: the first dump keeps its time less (ROUNDS - 1) days, each next a day later.
      if (n === 1) first = auxInt(bytes, 'ctime')! - (ROUNDS - 1) * DAY_S;
      writeFileSync(file, withCtime(bytes, first + (n - 1) * DAY_S));
      dumps.push(file);
    }
  } finally {
    await redis.stop();
  }
  const db = join(dir, 'report.rdbscope.sqlite');
  const r = runCli(['load', '--quiet', '--db', db, '--instance', INSTANCE, ...dumps], dir);
  if (r.code !== 0) throw new Error(`load failed (${r.code}): ${r.stderr}`);
  return { dir, db, dumps };
}
