import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRedis } from '../../scripts/lib/redis-server.mjs';
import { loadFiles } from '../../src/cli/load-files.js';
import { memorySpecFrom } from '../../src/cli/memory-options.js';
import { formatDiagnosisScreen } from '../../src/output/diagnosis-screen.js';
import { humanBytes, humanPercent } from '../../src/output/human-units.js';
import { formatTable } from '../../src/output/table-writer.js';
import { DIAGNOSIS_MAX_TOP } from '../../src/reports/diagnosis.js';
import { cliArgument, niceCeil, remedyCommand } from '../../src/reports/remedy-command.js';
import { openStore } from '../../src/store/index.js';
import { storeWithDumps } from '../support/fixture-store.js';
import { NIGHTLY_DIR, nightlyExpected, nightlyFiles, slope } from '../support/nightly.js';
import { loadTruth } from '../support/oracle.js';
import { requireRedis } from '../support/redis.js';
import { reportRunner } from '../support/reports.js';
import { tempDir } from '../support/temp.js';
import { rec } from '../support/records.js';
import { freshStore, loadRecords } from '../support/store.js';

const diagnosis = reportRunner('diagnosis');
const growth = reportRunner('growth');
const describeRedis = requireRedis();
const DAY_S = 86_400;

describe('diagnosis on five nightly dumps of a real server', () => {
  it('headline, flagged patterns, big keys with their commands, eviction and growth', async () => {
    const expected = nightlyExpected();
    const last = expected.nights.at(-1)!;
    const truth = JSON.parse(readFileSync(join(NIGHTLY_DIR, 'night-4.truth.json'), 'utf8')) as ReturnType<typeof loadTruth>;
    const { db } = await storeWithDumps(nightlyFiles(), { server: 'redis-7.0-q16' });
    const r = diagnosis(db, { top: 5, maxmemory: 4 * 1024 * 1024 });
    expect(r.tables.map((t) => t.name)).toEqual(['headline', 'patterns', 'bigkeys', 'eviction', 'growth', 'remarks']);
    expect(r.tables[0]!.rows[0]).toMatchObject({ instance: 'nightly', file: 'night-4.rdb', keys: last.keys, used_mem: last.usedMem, server: 'Redis 7.0.15', snapshot_time: last.ctime * 1000 });
    // The share explained is that of the keys plus what is not per key (the summary's reconciliation),
    // shown beside it: the keys' estimate alone is a smaller share.
    const head = r.tables[0]!.rows[0]!;
    const recon = reportRunner('summary')(db, { top: 5 }).tables.find((t) => t.name === 'reconciliation')!.rows[0]!;
    expect(head.estimated_used_mem).toBe(recon.explained);
    expect(head.share_of_used_mem_explained).toBeCloseTo(Number(recon.explained) / last.usedMem, 12);
    expect(Number(head.estimated_memory)).toBeLessThan(Number(head.estimated_used_mem));
    expect(r.notes).toContain(`keys estimated at ${humanBytes(Number(head.estimated_memory))}; with the server's overhead ` +
      `${humanBytes(Number(recon.explained))} = ${humanPercent(Number(head.share_of_used_mem_explained))} of used-mem (profile redis-7.0-q16)`);

    const patterns = r.tables.find((t) => t.name === 'patterns')!.rows;
    const flag = (p: string) => patterns.find((x) => x.pattern === p)?.flag;
    expect(flag('events:firehose')).toBe(`unbounded: ${last.loaded['events:firehose']!.elements} el., no TTL`);
    expect(flag('cache:page:*')).toBe('cache keys without TTL');
    expect(flag('feed:*')).toBe('each key grows, no cap');
    expect(flag('user:*:profile')).toBeNull(); // a primary store: no TTL is right, and it grows by new keys
    for (const p of patterns) expect(p.memory, String(p.pattern)).toBe(last.loaded[String(p.pattern)]!.memoryUsage);

    const big = r.tables.find((t) => t.name === 'bigkeys')!.rows;
    expect(big[0]).toMatchObject({ key: 'events:firehose', type: 'list', command: 'LTRIM events:firehose -1000 -1', ttl_s: null });

    // Growth over the five nights: used-mem per day is the least squares line of the dumps' used-mem.
    const t0 = expected.nights[0]!.ctime;
    const usedLine = slope(expected.nights.map((n) => (n.ctime - t0) / 86_400), expected.nights.map((n) => n.usedMem));
    const growth = r.tables.find((t) => t.name === 'growth')!.rows;
    expect(growth[0]).toMatchObject({ scope: 'total used_mem', per_day: Math.round(usedLine.slope), snapshots: 5 });
    expect(growth[0]!.maxmemory_at).not.toBeNull();
    expect(r.tables.find((t) => t.name === 'remarks')!.rows.some((x) => x.section === 'growth' && /reaches maxmemory/.test(String(x.text)))).toBe(true);
    // maxmemory 0 is Redis's "no limit": no wall dates, and the growth remarks say why.
    const unlimited = diagnosis(db, { top: 5, maxmemory: 0 });
    expect(unlimited.tables.find((t) => t.name === 'growth')!.rows.every((x) => x.alarm_at === null && x.maxmemory_at === null)).toBe(true);
    expect(unlimited.tables.find((t) => t.name === 'remarks')!.rows.some((x) => x.section === 'growth' && /^maxmemory 0: Redis has no memory limit/.test(String(x.text)))).toBe(true);

    // A cache key whose siblings have a TTL gets theirs: the median time left at snapshot time.
    const all = diagnosis(db, { top: 5000 }).tables.find((t) => t.name === 'bigkeys')!.rows;
    const now = last.ctime * 1000;
    const left = truth.keys
      .filter((k) => Buffer.from(k.keyHex, 'hex').toString().startsWith('cache:user:') && k.expireAtMs !== null && k.expireAtMs > now)
      .map((k) => k.expireAtMs! - now).sort((a, b) => a - b);
    const median = Math.round(left[Math.ceil(left.length / 2) - 1]! / 1000);
    const forgotten = all.filter((x) => String(x.key).startsWith('cache:user:') && x.ttl_s === null);
    expect(forgotten).toHaveLength(truth.keys.filter((k) => Buffer.from(k.keyHex, 'hex').toString().startsWith('cache:user:') && k.expireAtMs === null).length);
    for (const x of forgotten) expect(x.command).toBe(`EXPIRE ${x.key} ${median}`);
    expect(r.tables.find((t) => t.name === 'patterns')!.rows.length).toBe(5);
  });

  it('fits one screen: at most 45 lines, none wider than 100 columns on a terminal', async () => {
    const { db } = await storeWithDumps(nightlyFiles(), { server: 'redis-7.0-q16' });
    const screen = formatDiagnosisScreen(diagnosis(db, { top: 5, maxmemory: 4 * 1024 * 1024 }), { human: true, width: 100 });
    const lines = screen.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(45);
    for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(100);
    expect(screen).toContain('LTRIM events:firehose -1000 -1');
    expect(screen).toMatch(/volatile-\*\s+can evict \d+ keys, [\d.]+ KB/);
  });
});

describe('diagnosis of an older snapshot', () => {
  it('uses that snapshot and the earlier ones only: the same diagnosis as a database that holds no later one', async () => {
    const files = nightlyFiles();
    const { db } = await storeWithDumps(files, { server: 'redis-7.0-q16' });
    const options = { top: 5, maxmemory: 4 * 1024 * 1024 };
    for (const n of [1, 2, 3, 4]) {
      const { db: upTo } = await storeWithDumps(files.slice(0, n), { server: 'redis-7.0-q16' });
      const older = diagnosis(db, { ...options, snapshot: String(n) });
      expect(older, `snapshot ${n}`).toEqual(diagnosis(upTo, options));
      const g = older.tables.find((t) => t.name === 'growth');
      if (n >= 3) expect(g!.rows[0]).toMatchObject({ scope: 'total used_mem', snapshots: n });
    }
  });
});

describe('remedy commands', () => {
  it('caps from the siblings when they are clearly smaller, else the defaults; UNLINK for a month-idle giant', () => {
    const key = new TextEncoder().encode('q:1');
    expect(remedyCommand({ key, type: 'list', elements: 50_000, ttlSeconds: null, idleSeconds: null }, { keys: 10, withTtl: 0, medianTtlSeconds: null, medianElements: 180 }).command).toBe('LTRIM q:1 -200 -1');
    expect(remedyCommand({ key, type: 'list', elements: 50_000, ttlSeconds: null, idleSeconds: null }, null).command).toBe('LTRIM q:1 -1000 -1');
    // No command for a key name no one can type or paste (and whose printed form may be cut).
    const huge = new Uint8Array(70_000).fill(0x71);
    expect(remedyCommand({ key: huge, type: 'list', elements: 50_000, ttlSeconds: null, idleSeconds: null }, null)).toEqual({ command: null, why: 'a key name of 70000 bytes: too long to type; fix it where it is written' });
    // A leading byte order mark is part of the name: quoted as its bytes, not dropped.
    expect(cliArgument(new TextEncoder().encode('\uFEFFuser:1'))).toBe('"\\xef\\xbb\\xbfuser:1"');
    expect(remedyCommand({ key, type: 'stream', elements: 50_000, ttlSeconds: 60, idleSeconds: null }, null).command).toBe('XTRIM q:1 MAXLEN ~ 10000');
    expect(remedyCommand({ key, type: 'zset', elements: 5000, ttlSeconds: null, idleSeconds: null }, null).command).toBe('ZREMRANGEBYRANK q:1 0 -1001');
    expect(remedyCommand({ key, type: 'hash', elements: 2_000_000, ttlSeconds: null, idleSeconds: null }, null).command).toBe('split: HSET q:1:<n> field value, n = crc32(field) % 7813');
    expect(remedyCommand({ key, type: 'string', elements: 10, ttlSeconds: null, idleSeconds: 40 * 86_400 }, null).command).toBe('UNLINK q:1');
    expect(remedyCommand({ key, type: 'string', elements: 10, ttlSeconds: null, idleSeconds: null }, { keys: 5, withTtl: 3, medianTtlSeconds: 300, medianElements: 10 }).command).toBe('EXPIRE q:1 300');
    // A string with a TTL goes by itself: nothing to type, and not called large (a long --top lists small ones).
    expect(remedyCommand({ key, type: 'string', elements: 10, ttlSeconds: 20, idleSeconds: null }, { keys: 5, withTtl: 3, medianTtlSeconds: 300, medianElements: 10 }))
      .toEqual({ command: null, why: 'has a TTL, so it expires by itself; if the value is large, compress or split it' });
    expect([1, 7, 10, 11, 180, 999, 1001].map(niceCeil)).toEqual([1, 10, 10, 20, 200, 1000, 2000]);
    // Most siblings without a TTL: no TTL is the family's rule, so no paste-ready EXPIRE from the few.
    const few = { keys: 20, withTtl: 5, medianTtlSeconds: 13_004, medianElements: 30 };
    expect(remedyCommand({ key, type: 'hash', elements: 30, ttlSeconds: null, idleSeconds: null }, few))
      .toEqual({ command: 'EXPIRE q:1 <seconds>', why: '30 elements, no TTL (only 5 of 19 siblings have one): cap it where it is written, or give it a TTL' });
    expect(remedyCommand({ key, type: 'string', elements: 10, ttlSeconds: null, idleSeconds: null }, few))
      .toEqual({ command: 'EXPIRE q:1 <seconds>', why: 'no TTL, like most siblings (only 5 of 19 siblings have one): give it one if it is a cache entry' });
    expect(remedyCommand({ key, type: 'string', elements: 10, ttlSeconds: null, idleSeconds: null }, { ...few, withTtl: 10 }).command).toBe('EXPIRE q:1 13004');
    expect(remedyCommand({ key, type: 'string', elements: 10, ttlSeconds: null, idleSeconds: null }, { ...few, keys: 2, withTtl: 1 }).command).toBe('EXPIRE q:1 13004');
    // One of a kind in the words: a set of one member, a key with one sibling.
    expect(remedyCommand({ key, type: 'set', elements: 1, ttlSeconds: null, idleSeconds: null }, { ...few, keys: 4, withTtl: 1 }).why)
      .toBe('1 element, no TTL (only 1 of 3 siblings has one): cap it where it is written, or give it a TTL');
    expect(remedyCommand({ key, type: 'set', elements: 1, ttlSeconds: 60, idleSeconds: null }, null).why).toBe('1 element: cap its size where it is written');
    expect(remedyCommand({ key, type: 'string', elements: 10, ttlSeconds: null, idleSeconds: null }, { ...few, keys: 2, withTtl: 1 }).why).toBe('no TTL; 1 of 1 sibling has one (median 4 h)');
  });
});

describeRedis('remedy commands read back by redis-cli', () => {
  it('every awkward key, quoted by cliArgument, names that very key when redis-cli reads the line', async () => {
    const truth = loadTruth('mixed-7.0');
    const server = await startRedis();
    try {
      const keys = truth.keys.filter((k) => k.db === 0).map((k) => Buffer.from(k.keyHex, 'hex'));
      await server.client.pipeline(keys.map((k) => ['SET', k, 'x']));
      // redis-cli splits each stdin line with sdssplitargs, as it does for a typed command.
      const lines = keys.map((k) => `EXISTS ${cliArgument(k)}`).join('\n') + '\n';
      const cli = spawnSync('redis-cli', ['-p', String(server.port)], { input: lines, encoding: 'utf8' });
      expect(cli.status).toBe(0);
      expect(cli.stdout.trim().split('\n')).toEqual(keys.map(() => '1'));
      expect(keys.some((k) => cliArgument(k).startsWith('"'))).toBe(true);
    } finally {
      await server.stop();
    }
  });
});

describeRedis('remedy commands as the screen and the table print them', () => {
  it('a key holding zero-width, bidi, line-separator or BOM characters: the printed LTRIM trims that very key', async () => {
    // Text writers show these characters escaped (terminalSafe); the command must not depend on that.
    const keys = ['zw\u200bspace', 'rtl\u202eevil', 'ls\u2028x', 'bom\ufeff', 'ключ\u200d'].map((k) => Buffer.from(k, 'utf8'));
    const server = await startRedis();
    try {
      await server.client.pipeline(keys.map((k) => ['RPUSH', k, ...Array.from({ length: 1500 }, (_, i) => String(i))]));
      const { db } = await storeWithDumps([await server.save()]);
      const result = diagnosis(db, { top: 10 });
      db.close();
      const screen = formatDiagnosisScreen(result, { human: false, width: 1000 });
      const table = formatTable(result, { human: false });
      const fromScreen = screen.split('\n').filter((l) => l.startsWith('    LTRIM ')).map((l) => l.replace(/ {3}# .*$/, '').trim());
      const fromTable = table.split('\n').map((l) => /(LTRIM .* -1000 -1)/.exec(l)?.[1]).filter((c): c is string => c !== undefined);
      expect(fromScreen).toHaveLength(keys.length);
      expect(fromTable).toEqual(fromScreen);
      // redis-cli reads each line as a typed command (sdssplitargs); each LTRIM must leave 1000 of 1500.
      const cli = spawnSync('redis-cli', ['-p', String(server.port)], { input: fromScreen.join('\n') + '\n', encoding: 'utf8' });
      expect(cli.status).toBe(0);
      const lengths = await server.client.pipeline(keys.map((k) => ['LLEN', k]));
      expect(lengths).toEqual(keys.map(() => 1000));
    } finally {
      await server.stop();
    }
  });
});

describeRedis('remedy commands of long keys on a terminal', () => {
  it('a command longer than the terminal is printed whole (its comment goes): pasted into redis-cli it trims that key', async () => {
    // Key names of 120 and 97 characters: their LTRIM lines are wider than a 100-column terminal.
    const keys = [`timeline:${'a'.repeat(100)}:events:2026`, `feed:${'b'.repeat(92)}`];
    const server = await startRedis();
    try {
      await server.client.pipeline(keys.map((k) => ['RPUSH', k, ...Array.from({ length: 1500 }, (_, i) => String(i))]));
      const { db } = await storeWithDumps([await server.save()]);
      const result = diagnosis(db, { top: 10 });
      const screen = formatDiagnosisScreen(result, { human: true, width: 100 });
      db.close();
      const commands = screen.split('\n').filter((l) => l.startsWith('    LTRIM ')).map((l) => l.replace(/ {3}# .*$/, '').trim());
      expect(commands.sort()).toEqual(keys.map((k) => `LTRIM ${k} -1000 -1`).sort());
      const cli = spawnSync('redis-cli', ['-p', String(server.port)], { input: commands.join('\n') + '\n', encoding: 'utf8' });
      expect(cli.status).toBe(0);
      expect(await server.client.pipeline(keys.map((k) => ['LLEN', k]))).toEqual([1000, 1000]);
      // Other lines still fit the terminal.
      for (const l of screen.trimEnd().split('\n').filter((x) => !x.startsWith('    LTRIM '))) expect([...l].length, l).toBeLessThanOrEqual(100);
      // `report diagnosis` on a terminal: the command column is not cut either (other long text is).
      const table = formatTable(result, { human: true });
      for (const k of keys) expect(table).toContain(`LTRIM ${k} -1000 -1`);
    } finally {
      await server.stop();
    }
  });
});

describeRedis('remedy commands of lists fed by LPUSH', () => {
  it('the why names the LTRIM that keeps the newest of a list pushed at its head', async () => {
    const server = await startRedis();
    try {
      // A feed pushed at the head (LPUSH, the idiom of LTRIM's docs) and one pushed at the tail.
      await server.client.pipeline([...Array.from({ length: 1500 }, (_, i) => ['LPUSH', 'head', String(i)]), ...Array.from({ length: 1500 }, (_, i) => ['RPUSH', 'tail', String(i)])]);
      const { db } = await storeWithDumps([await server.save()]);
      const big = diagnosis(db, { top: 5 }).tables.find((t) => t.name === 'bigkeys')!.rows;
      db.close();
      expect(big.find((r) => r.key === 'head')).toMatchObject({ command: 'LTRIM head -1000 -1', why: 'the last 1000 of 1500: newest if RPUSHed; LPUSHed? LTRIM 0 999' });
      // What the why is about: on the LPUSHed list the command keeps the oldest, LTRIM 0 999 the newest.
      await server.client.call('COPY', 'head', 'head2');
      await server.client.call('LTRIM', 'head', '-1000', '-1');
      await server.client.call('LTRIM', 'head2', '0', '999');
      await server.client.call('LTRIM', 'tail', '-1000', '-1');
      const firsts = (await server.client.pipeline([['LINDEX', 'head', '0'], ['LINDEX', 'head2', '0'], ['LINDEX', 'tail', '-1']])) as Buffer[];
      expect(firsts.map(String)).toEqual(['999', '1499', '1499']);
    } finally {
      await server.stop();
    }
  });
});

describeRedis('remedy commands of streams with consumer groups', () => {
  it('an XTRIM that would drop entries still pending in a consumer group says so', async () => {
    const server = await startRedis();
    try {
      const entries = (key: string) => Array.from({ length: 12_000 }, (_, i) => ['XADD', key, `${i + 1}-1`, 'f', 'v']);
      await server.client.pipeline([...entries('jobs'), ...entries('log')]);
      // A consumer read the 300 oldest jobs and acknowledged none: a stalled worker.
      await server.client.call('XGROUP', 'CREATE', 'jobs', 'workers', '0');
      await server.client.call('XREADGROUP', 'GROUP', 'workers', 'w1', 'COUNT', '300', 'STREAMS', 'jobs', '>');
      const { db } = await storeWithDumps([await server.save()]);
      const big = diagnosis(db, { top: 5 }).tables.find((t) => t.name === 'bigkeys')!.rows;
      db.close();
      expect(big.find((r) => r.key === 'jobs')).toMatchObject({
        command: 'XTRIM jobs MAXLEN ~ 10000',
        why: 'keep ~10000 of 12000 entries, but 300 are pending in its consumer groups: trimming loses those not yet handled; XPENDING first',
      });
      expect(big.find((r) => r.key === 'log')).toMatchObject({ command: 'XTRIM log MAXLEN ~ 10000', why: 'keep ~10000 of 12000 entries; XADD … MAXLEN ~ 10000' });
      // What the warning is about: the trim takes the pending entries with it.
      await server.client.call('XTRIM', 'jobs', 'MAXLEN', '10000');
      const pending = (await server.client.call('XPENDING', 'jobs', 'workers')) as unknown[];
      expect(pending[0]).toBe(300);
      expect(await server.client.call('XRANGE', 'jobs', '1-1', '300-1')).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

describeRedis('remedy commands of keys outside db 0', () => {
  it('the screen\'s lines, pasted into redis-cli in order, trim the key of each db and no other', async () => {
    const server = await startRedis();
    try {
      const items = (n: number) => Array.from({ length: n }, (_, i) => String(i));
      // The same name in db 0 and db 3, both over the list cap.
      await server.client.pipeline([['RPUSH', 'jobs', ...items(1200)], ['SELECT', '3'], ['RPUSH', 'jobs', ...items(5000)], ['RPUSH', 'feed', ...items(3000)], ['SELECT', '0']]);
      const { db } = await storeWithDumps([await server.save()]);
      const result = diagnosis(db, { top: 5 });
      db.close();
      const bigkeys = result.tables.find((t) => t.name === 'bigkeys')!.rows;
      expect(bigkeys.filter((r) => r.db === 3).every((r) => String(r.why).startsWith('in db 3: SELECT 3 first; '))).toBe(true);
      const screen = formatDiagnosisScreen(result, { human: false, width: 1000 });
      const lines = screen.split('\n').filter((l) => /^ {4}(SELECT|LTRIM) /.test(l)).map((l) => l.replace(/ {3}# .*$/, '').trim());
      expect(lines.filter((l) => l.startsWith('LTRIM'))).toHaveLength(3);
      const cli = spawnSync('redis-cli', ['-p', String(server.port)], { input: lines.join('\n') + '\n', encoding: 'utf8' });
      expect(cli.status).toBe(0);
      const lengths = await server.client.pipeline([['LLEN', 'jobs'], ['SELECT', '3'], ['LLEN', 'jobs'], ['LLEN', 'feed']]);
      expect(lengths).toEqual([1000, 'OK', 1000, 1000]);
    } finally {
      await server.stop();
    }
  });
});

describeRedis('two dumps of one instance written in the same second', () => {
  it('are ordered by id: the first has no earlier snapshot, the second compares with the first', async () => {
    const dir = join(tempDir(), 'tie');
    mkdirSync(dir);
    const server = await startRedis();
    const files = [join(dir, 'a.rdb'), join(dir, 'b.rdb')];
    let db!: Awaited<ReturnType<typeof storeWithDumps>>['db'];
    try {
      // Both SAVEs just after a second starts, so that their ctime (whole seconds) is the same.
      for (let attempt = 0; attempt < 5; attempt++) {
        await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
        await server.client.call('FLUSHALL');
        await server.client.call('SET', 'a', 'x'.repeat(100));
        copyFileSync(await server.save(), files[0]!);
        await server.client.call('SET', 'b', 'y'.repeat(200));
        copyFileSync(await server.save(), files[1]!);
        ({ db } = await storeWithDumps(files));
        const times = db.prepare('SELECT DISTINCT snapshot_time_ms FROM snapshots').pluck().all();
        if (times.length === 1) break;
      }
    } finally {
      await server.stop();
    }
    const times = db.prepare('SELECT snapshot_time_ms FROM snapshots ORDER BY id').pluck().all();
    expect(times).toHaveLength(2);
    expect(times[1]).toBe(times[0]);

    const first = diagnosis(db, { top: 5, snapshot: '1' });
    const { db: alone } = await storeWithDumps([files[0]!]);
    expect(first).toEqual(diagnosis(alone, { top: 5 }));
    expect(first.tables.find((t) => t.name === 'remarks')!.rows.some((x) => /^no earlier snapshot of instance tie:/.test(String(x.text)))).toBe(true);

    const second = diagnosis(db, { top: 5, snapshot: '2' });
    const change = second.tables.find((t) => t.name === 'growth')!;
    expect(change.title).toBe('Change since the previous snapshot of instance tie');
    expect(change.rows).toEqual([{ scope: 'b', change: expect.any(Number), per_day: null, status: 'new' }]);
    // growth orders them the same way: 1 before 2, and never the other way round.
    expect(growth(db, { top: 5 }).notes[0]).toMatch(/^instance tie: from snapshot 1 \(a\.rdb, .*\) to 2 \(b\.rdb/);
    expect(() => growth(db, { top: 5, from: '2', to: '1' })).toThrow(/^--from \(snapshot 2, .*\) is later than --to \(snapshot 1, /);
  });
});

describe('diagnosis with a PARTIAL snapshot among too few for a forecast', () => {
  /** night-0 whole, night-1 cut at two thirds (a PARTIAL snapshot), night-2 whole: one instance. */
  async function nights(withThird: boolean) {
    const dir = join(tempDir(), 'cut');
    mkdirSync(dir);
    const [n0, n1, n2] = nightlyFiles();
    copyFileSync(n0!, join(dir, 'n0.rdb'));
    const whole = readFileSync(n1!);
    writeFileSync(join(dir, 'n1.rdb'), whole.subarray(0, Math.floor((whole.length * 2) / 3)));
    const files = [join(dir, 'n0.rdb'), join(dir, 'n1.rdb')];
    if (withThird) {
      copyFileSync(n2!, join(dir, 'n2.rdb'));
      files.push(join(dir, 'n2.rdb'));
    }
    const db = openStore(join(dir, 'db.sqlite'));
    const { failures } = await loadFiles(db, files, { memory: memorySpecFrom({ server: 'redis-7.0-q16' }), quiet: true, worker: false, instance: 'cut', keysMinBytes: null, topPerPattern: null, say: () => {} });
    expect(failures).toBe(1);
    expect(db.prepare('SELECT status FROM snapshots ORDER BY id').pluck().all()).toEqual(withThird ? ['complete', 'partial', 'complete'] : ['complete', 'partial']);
    return db;
  }
  const remarks = (r: ReturnType<typeof diagnosis>) => r.tables.find((t) => t.name === 'remarks')!.rows.filter((x) => x.section === 'growth').map((x) => String(x.text));

  it('of the PARTIAL snapshot itself: no change table, and the remark says why', async () => {
    const db = await nights(false);
    const r = diagnosis(db, { top: 5, snapshot: '2' });
    expect(r.tables.find((t) => t.name === 'growth')).toBeUndefined();
    expect(remarks(r)).toEqual([expect.stringMatching(/no change since the previous one is shown: this snapshot is PARTIAL/)]);
  });

  it('of a later complete snapshot: the change since the last complete one, the PARTIAL one left out', async () => {
    const db = await nights(true);
    const r = diagnosis(db, { top: 3, snapshot: '3' });
    const change = r.tables.find((t) => t.name === 'growth')!;
    expect(change.title).toBe('Change since the previous snapshot of instance cut that is complete (1)');
    const g = growth(db, { from: '1', to: '3', top: 3 });
    expect(change.rows.map((x) => x.scope)).toEqual(g.tables.find((t) => t.name === 'growth')!.rows.map((x) => x.pattern));
    expect(change.rows.length).toBeGreaterThan(0);
    expect(remarks(r)).toEqual([expect.stringMatching(/the change since the previous complete one, snapshot 1 \(PARTIAL snapshot\(s\) 2 left out/)]);
  });
});

describe('diagnosis growth when an earlier snapshot has no memory estimates', () => {
  it('gives the change and rates in bytes in the file, not empty cells', async () => {
    const { db, dir } = freshStore();
    const t0 = 1_700_000_000;
    const keys = (n: number) => Array.from({ length: n }, (_, i) => rec(`k:${i}`, { valueBytes: 100, memory: { encoding: 'raw', bytes: 160, exact: true } }));
    await loadRecords(db, dir, 'a.rdb', keys(10), { ctimeS: t0 });
    await loadRecords(db, dir, 'b.rdb', keys(20), { ctimeS: t0 + DAY_S, memoryProfile: 'redis-7.0' });
    const two = diagnosis(db, { top: 5 }).tables.find((t) => t.name === 'growth')!;
    // 10 keys of 100 bytes in the file added in a day (a.rdb has no estimates to compare memory with).
    expect(two.rows).toEqual([{ scope: 'k:*', change: 1000, per_day: 1000, status: 'grown' }]);
    expect(two.title).toMatch(/in bytes in the file/);
    await loadRecords(db, dir, 'c.rdb', keys(30), { ctimeS: t0 + 2 * DAY_S, memoryProfile: 'redis-7.0' });
    const r = diagnosis(db, { top: 5 });
    expect(r.tables.find((t) => t.name === 'growth')!.rows.find((x) => x.scope === 'k:*')).toMatchObject({ per_day: 1000 });
    // The patterns table is in memory: no file-bytes rate beside it.
    expect(r.tables.find((t) => t.name === 'patterns')!.columns.map((c) => c.name)).not.toContain('per_day');
  });
});

describe('diagnosis with --maxmemory', () => {
  it('says where the snapshot stands against it, as capacity does, with a single snapshot too (no forecast yet)', async () => {
    const { db, dir } = freshStore();
    await loadRecords(db, dir, 'after-oom.rdb', [rec('k:1', { valueBytes: 100 })], { usedMem: 3_800_000 });
    const mb4 = 4_000_000;
    const lines = (maxmemory: number | undefined) => diagnosis(db, { top: 5, maxmemory }).notes;
    expect(lines(mb4)).toContain('ALARM: used memory is 95.0% of maxmemory, past the 85% alarm threshold; 195 KB left');
    expect(lines(3_000_000)).toContain('at or past maxmemory (127%): writes fail with OOM under noeviction, or keys are evicted');
    expect(lines(10_000_000).some((n) => /^38\.0% of maxmemory used; /.test(n))).toBe(true);
    const without = lines(undefined);
    expect(lines(mb4).filter((n) => !without.includes(n))).toHaveLength(1);
    expect(lines(0)).toEqual(without);
  });
});

describe('diagnosis big keys: what is no big key, and how many', () => {
  it('an empty list, set, zset or hash is not listed; a key expired at snapshot time gets no command', async () => {
    const { db, dir } = freshStore();
    const now = 1_700_000_000_000;
    await loadRecords(db, dir, 'a.rdb', [
      rec('empty:list', { type: 'list', rdbType: 'quicklist2', rdbTypeId: 18, elements: 0, valueBytes: 900 }),
      rec('empty:hash', { type: 'hash', rdbType: 'hash-listpack', rdbTypeId: 16, elements: 0, valueBytes: 800 }),
      rec('gone', { type: 'list', rdbType: 'quicklist2', rdbTypeId: 18, elements: 5000, valueBytes: 700, expireAtMs: now - 60_000 }),
      rec('live', { type: 'list', rdbType: 'quicklist2', rdbTypeId: 18, elements: 5000, valueBytes: 600 }),
      rec('empty:string', { elements: 0, largestElementBytes: 0, valueBytes: 100 }),
    ], { ctimeS: now / 1000 });
    const big = diagnosis(db, { top: 10 }).tables.find((t) => t.name === 'bigkeys')!.rows;
    expect(big.map((r) => r.key)).toEqual(['gone', 'live', 'empty:string']);
    expect(big[0]).toMatchObject({ command: null, why: 'none: expired at snapshot time, a server drops it on load' });
    expect(big[1]!.command).toBe('LTRIM live -1000 -1');
  });

  it('a list is capped from the lists of its pattern, not from sibling strings whose element count is their length', async () => {
    const { db, dir } = freshStore();
    const list = (key: string, n: number, bytes: number) => rec(key, { type: 'list', rdbType: 'quicklist2', rdbTypeId: 18, elements: n, valueBytes: bytes });
    // feed:<id>: nine strings of 20 bytes and one list of 5000 entries. The pattern's median element
    // count is 20, a string's length: 'LTRIM feed:100 -20 -1' would drop 4980 of the list's entries.
    await loadRecords(db, dir, 'a.rdb', [
      ...Array.from({ length: 9 }, (_, i) => rec(`feed:${i + 1}`, { elements: 20, largestElementBytes: 20, valueBytes: 20 })),
      list('feed:100', 5000, 60_000),
      // q:<id>: lists of 180 to 220 entries beside a string; the long list is capped from the lists.
      ...Array.from({ length: 5 }, (_, i) => list(`q:${i + 1}`, 180 + 10 * i, 2000)),
      rec('q:9', { elements: 3, valueBytes: 3 }),
      list('q:100', 50_000, 500_000),
    ]);
    const big = diagnosis(db, { top: 20 }).tables.find((t) => t.name === 'bigkeys')!.rows;
    expect(big.find((r) => r.key === 'feed:100')!.command).toBe('LTRIM feed:100 -1000 -1');
    // The lists' median is 200 (nearest rank of 180, 190, 200, 210, 220, 50000).
    expect(big.find((r) => r.key === 'q:100')!.command).toBe('LTRIM q:100 -200 -1');
  });

  it('a key without TTL is given the TTL of the siblings of its type, not of another type\'s keys', async () => {
    const { db, dir } = freshStore();
    const now = 1_700_000_000_000;
    const hash = (key: string, ttlS: number | null) => rec(key, { type: 'hash', rdbType: 'hash-listpack', rdbTypeId: 16, elements: 20, valueBytes: 5000, expireAtMs: ttlS === null ? null : now + ttlS * 1000 });
    // user:<id> profile hashes, kept for good, beside the many user:<token> strings that expire in
    // an hour: one pattern, user:*. 'EXPIRE user:1 3600' would delete a profile within the hour.
    await loadRecords(db, dir, 'a.rdb', [
      ...[1, 2, 3].map((i) => hash(`user:${i}`, null)),
      ...Array.from({ length: 20 }, (_, i) => rec(`user:${(0xa000_0000 + i).toString(16)}`, { valueBytes: 40, expireAtMs: now + 3600_000 })),
      // sess:<id> hashes: most expire in 2 h, the big one has no TTL; strings of the pattern in 60 s.
      ...[1, 2, 3].map((i) => hash(`sess:${i}`, 7200)), hash('sess:4', null),
      ...Array.from({ length: 9 }, (_, i) => rec(`sess:${10 + i}`, { valueBytes: 20, expireAtMs: now + 60_000 })),
    ], { ctimeS: now / 1000 });
    const big = diagnosis(db, { top: 50 }).tables.find((t) => t.name === 'bigkeys')!.rows;
    const fix = (key: string) => big.find((r) => r.key === key)!;
    expect(new Set(big.filter((r) => String(r.key).startsWith('user:')).map((r) => r.pattern))).toEqual(new Set(['user:*']));
    expect(fix('user:1').command).toBe('EXPIRE user:1 <seconds>');
    expect(fix('sess:4')).toMatchObject({ command: 'EXPIRE sess:4 7200', why: 'no TTL; 3 of 3 siblings have one (median 2 h)' });
    // The flags say so too: no TTL missing in user:* (its hashes have none, its strings all have one).
    const flag = (p: string) => diagnosis(db, { top: 50 }).tables.find((t) => t.name === 'patterns')!.rows.find((r) => r.pattern === p)!.flag;
    expect(flag('user:*')).toBeNull();
    expect(flag('sess:*')).toBe('TTL missing on 1 of 4 keys');
  });

  it('--top past the bound lists at most DIAGNOSIS_MAX_TOP keys and says so', async () => {
    const { db, dir } = freshStore();
    const n = DIAGNOSIS_MAX_TOP + 5;
    await loadRecords(db, dir, 'a.rdb', Array.from({ length: n }, (_, i) => rec(`k:${i}`, { valueBytes: 100 + i })));
    const r = diagnosis(db, { top: 1e15 });
    expect(r.tables.find((t) => t.name === 'bigkeys')!.rows).toHaveLength(DIAGNOSIS_MAX_TOP);
    expect(r.notes).toContain(`the diagnosis lists at most ${DIAGNOSIS_MAX_TOP} patterns and big keys: 'report patterns' and 'report bigkeys' rank them all`);
    expect(diagnosis(db, { top: 5 }).notes.some((x) => /lists at most/.test(x))).toBe(false);
  });
});
