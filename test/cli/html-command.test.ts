/**
 * `rdbscope html` and `analyze --html` as a user runs them, on committed real dumps: the page is
 * written whole under its name (nothing half-written left beside it), holds the reports the text
 * output prints, and the options are checked like `report`'s.
 */
import { copyFileSync, existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { CORPUS_DIR, corpusPresent, FIXTURES_DIR } from '../support/corpus.js';
import { nightlyFiles } from '../support/nightly.js';
import { requireRedis } from '../support/redis.js';
import { startRedis } from '../../scripts/lib/redis-server.mjs';
import { Crc64 } from '../../src/rdb/crc64.js';
import { auxInt, withCtime } from '../../scripts/lib/rdb-patch.mjs';
import { tempDir } from '../support/temp.js';

const fixture = (name: string) => join(FIXTURES_DIR, name);

describe.skipIf(!cliBuilt || !existsSync(fixture('growth-a.rdb')))('html command (real dumps)', () => {
  it('writes one page with every report of the snapshot, growth when there is an earlier one', () => {
    const dir = tempDir();
    const db = join(dir, 'g.rdbscope.sqlite');
    expect(runCli(['load', '--quiet', '--db', db, fixture('growth-a.rdb'), fixture('growth-b.rdb')], dir).code).toBe(0);
    const r = runCli(['html', '--out', 'page.html'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir).filter((f) => f.includes('page'))).toEqual(['page.html']);
    const page = readFileSync(join(dir, 'page.html'), 'utf8');
    for (const id of ['summary', 'patterns', 'bigkeys', 'untimed', 'ttl', 'growth']) expect(page, id).toContain(`<section class="report" id="${id}">`);
    expect(page).toContain('<title>rdbscope report: fixtures, growth-b.rdb</title>');

    // The first snapshot has nothing before it: no growth section.
    expect(runCli(['html', '--snapshot', '1', '--out', 'first.html'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'first.html'), 'utf8')).not.toContain('id="growth"');
  });

  it('a PARTIAL latest snapshot gets no growth section (every pattern would seem to shrink), the forecast still', () => {
    const dir = tempDir();
    const db = join(dir, 'p.rdbscope.sqlite');
    const nights = nightlyFiles();
    const cut = join(dir, 'night-3-cut.rdb');
    writeFileSync(cut, readFileSync(nights[3]!).subarray(0, 9000));
    expect(runCli(['load', '--quiet', '--db', db, '--instance', 'n', nights[0]!, nights[1]!, nights[2]!], dir).code).toBe(0);
    expect(runCli(['load', '--quiet', '--db', db, '--instance', 'n', cut], dir).code).toBe(1);
    const r = runCli(['html', '--db', db, '--out', 'cut.html'], dir);
    expect(r.code, r.stderr).toBe(0);
    const page = readFileSync(join(dir, 'cut.html'), 'utf8');
    expect(page).toContain('<section class="report" id="forecast">');
    expect(page).not.toContain('id="growth"');
    // The last complete one still has its growth.
    expect(runCli(['html', '--db', db, '--snapshot', '3', '--out', 'whole.html'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'whole.html'), 'utf8')).toContain('<section class="report" id="growth">');
  });

  it('--instance: the latest snapshot of that server, growth among its snapshots only', () => {
    const dir = tempDir();
    const db = join(dir, 'i.rdbscope.sqlite');
    expect(runCli(['load', '--quiet', '--db', db, '--instance', 'cache-a', fixture('growth-a.rdb'), fixture('growth-b.rdb')], dir).code).toBe(0);
    expect(runCli(['load', '--quiet', '--db', db, '--instance', 'queue-b', fixture('mixed-7.0.rdb')], dir).code).toBe(0);
    // One snapshot of queue-b: nothing to compare it with, though the database holds others.
    expect(runCli(['html', '--instance', 'queue-b', '--out', 'b.html'], dir).code).toBe(0);
    const b = readFileSync(join(dir, 'b.html'), 'utf8');
    expect(b).toContain('<title>rdbscope report: queue-b, mixed-7.0.rdb</title>');
    expect(b).not.toContain('id="growth"');
    expect(runCli(['html', '--instance', 'cache-a', '--out', 'a.html'], dir).code).toBe(0);
    const a = readFileSync(join(dir, 'a.html'), 'utf8');
    expect(a).toContain('<title>rdbscope report: cache-a, growth-b.rdb</title>');
    expect(a).toContain('id="growth"');
    const none = runCli(['html', '--instance', 'nope', '--out', 'n.html'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no snapshot of instance "nope"');
  });

  it('nightly dumps: the forecast charts and tables, showing the forecast report\'s own dates', () => {
    const dir = tempDir();
    const db = join(dir, 'n.rdbscope.sqlite');
    expect(runCli(['load', '--quiet', '--db', db, '--instance', 'nightly', ...nightlyFiles()], dir).code).toBe(0);
    const r = runCli(['html', '--maxmemory', '64mb', '--out', 'n.html'], dir);
    expect(r.code, r.stderr).toBe(0);
    const page = readFileSync(join(dir, 'n.html'), 'utf8');
    for (const id of ['total-forecast', 'pattern-forecast', 'sizes', 'eviction']) expect(page, id).toContain(`id="chart-${id}"`);
    // The forecast replaces growth's series chart; growth's tables stay.
    expect(page).not.toContain('id="chart-growth"');
    expect(page).toContain('id="growth-growth"');
    const json = JSON.parse(runCli(['report', 'forecast', '--db', db, '--maxmemory', '64mb', '--format', 'json'], dir).stdout) as { tables: Record<string, Record<string, unknown>[]> };
    const wall = page.slice(page.indexOf('id="forecast-wall"'));
    // The page shows the report's date to the second, the exact ISO time in its tooltip.
    for (const row of json.tables['wall']!) {
      const iso = String(row['reached_at']);
      expect(wall.slice(0, wall.indexOf('</table>'))).toContain(`<td title="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC</td>`);
    }
  });

  it('--maxmemory 0 (no limit, as in redis.conf) draws no wall: no maxmemory line at 0 B', () => {
    const dir = tempDir();
    expect(runCli(['load', '--quiet', '--db', 'n.rdbscope.sqlite', '--instance', 'nightly', ...nightlyFiles()], dir).code).toBe(0);
    expect(runCli(['html', '--maxmemory', '0', '--out', 'n.html'], dir).code).toBe(0);
    const page = readFileSync(join(dir, 'n.html'), 'utf8');
    const from = page.indexOf('id="chart-total-forecast"');
    expect(from).toBeGreaterThan(0);
    const chart = page.slice(from, page.indexOf('</figure>', from));
    expect(chart).not.toContain('class="ref"');
    expect(chart).not.toContain('maxmemory 0 B');
    // The capacity table still says it.
    expect(page).toContain('maxmemory 0: Redis has no memory limit');
  });

  it('walls already passed get no dashed line: none runs from the last point down to them', () => {
    const dir = tempDir();
    expect(runCli(['load', '--quiet', '--db', 'n.rdbscope.sqlite', '--instance', 'nightly', ...nightlyFiles()], dir).code).toBe(0);
    // The last nightly dump's used-mem is about 2 MB: past both the alarm and maxmemory at 1 MB.
    const forecast = JSON.parse(runCli(['report', 'forecast', '--maxmemory', '1mb', '--format', 'json'], dir).stdout) as { notes: string[] };
    expect(forecast.notes).toContain('used_mem is already past maxmemory (1.00 MB)');
    expect(runCli(['html', '--maxmemory', '1mb', '--out', 'n.html'], dir).code).toBe(0);
    const page = readFileSync(join(dir, 'n.html'), 'utf8');
    const from = page.indexOf('id="chart-total-forecast"');
    const chart = page.slice(from, page.indexOf('</figure>', from));
    expect(chart.match(/class="ref"/g)).toHaveLength(2);
    expect(chart).not.toContain('stroke-dasharray="6 4"');
  });

  it('--snapshot of an older nightly dump: its forecast uses that snapshot and the earlier ones, never later ones', () => {
    const dir = tempDir();
    const db = join(dir, 'n.rdbscope.sqlite');
    const files = nightlyFiles();
    expect(files.length).toBeGreaterThan(3);
    expect(runCli(['load', '--quiet', '--db', db, '--instance', 'nightly', ...files], dir).code).toBe(0);
    const r = runCli(['html', '--snapshot', '3', '--out', 's3.html'], dir);
    expect(r.code, r.stderr).toBe(0);
    const page = readFileSync(join(dir, 's3.html'), 'utf8');
    const forecast = page.slice(page.indexOf('<section class="report" id="forecast">'));
    expect(forecast).toContain(`instance nightly: 3 snapshot(s) up to snapshot 3 (${files[2]!.split('/').pop()}); ${files.length - 3} later one(s) left out`);
  });

  it('bounds rankings by --top (default 100)', () => {
    const dir = tempDir();
    expect(runCli(['load', '--quiet', '--db', 'm.rdbscope.sqlite', fixture('mixed-7.0.rdb')], dir).code).toBe(0);
    const rows = (file: string) => {
      const page = readFileSync(join(dir, file), 'utf8');
      const block = page.slice(page.indexOf('id="patterns-patterns"'));
      return block.slice(0, block.indexOf('</table>')).match(/<tr>/g)!.length - 1;
    };
    expect(runCli(['html', '--top', '3', '--out', 'top3.html'], dir).code).toBe(0);
    expect(rows('top3.html')).toBe(3);
    // The bound is said on the page: the patterns table has no title that says it.
    const header = (file: string) => { const page = readFileSync(join(dir, file), 'utf8'); return page.slice(page.indexOf('<header'), page.indexOf('</header>')); };
    expect(header('top3.html')).toContain('<p>rankings: at most the top 3 of each (--top 3; the diagnosis lists 10); every row: rdbscope report &lt;name&gt; --format csv</p>');
    expect(runCli(['html', '--out', 'default.html'], dir).code).toBe(0);
    expect(rows('default.html')).toBeGreaterThan(3);
    expect(rows('default.html')).toBeLessThanOrEqual(100);
    expect(header('default.html')).toContain('rankings: at most the top 100 of each (--top 100;');
    // No table of the page holds more than 1000 rows: a larger --top is that bound, whatever its size.
    for (const top of ['5000', '99999999999999999999']) {
      const r = runCli(['html', '--top', top, '--out', 'huge.html'], dir);
      expect(r.code, r.stderr).toBe(0);
      expect(header('huge.html')).toContain(`rankings: at most the top 1000 of each (--top ${top}: a page table shows at most 1000 rows;`);
    }
  });

  it('refuses a missing --out, a bad --top, an unknown snapshot; keeps the old page on failure', () => {
    const dir = tempDir();
    expect(runCli(['load', '--quiet', '--db', 'm.rdbscope.sqlite', fixture('mixed-7.0.rdb')], dir).code).toBe(0);
    const noOut = runCli(['html'], dir);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out');
    expect(runCli(['html', '--top', '0', '--out', 'x.html'], dir).code).toBe(2);
    writeFileSync(join(dir, 'x.html'), 'old');
    const unknown = runCli(['html', '--snapshot', '99', '--out', 'x.html'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no snapshot "99"');
    expect(readFileSync(join(dir, 'x.html'), 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((f) => f.includes('x.html'))).toEqual(['x.html']);
    // A missing directory is refused before the reports run (html-out.test.ts).
    const nowhere = runCli(['html', '--out', join(dir, 'no-such-dir', 'y.html')], dir);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toBe(`rdbscope: --out ${join(dir, 'no-such-dir', 'y.html')}: no directory ${join(dir, 'no-such-dir')}\n`);
    // A page it cannot write in a directory that exists (/proc takes no new file) is named as asked,
    // not by its temporary name.
    if (existsSync('/proc/self')) {
      const refused = runCli(['html', '--out', '/proc/rdbscope-page.html'], dir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(`rdbscope: ENOENT: no such file or directory, cannot write '/proc/rdbscope-page.html'\n`);
    }
  });

  it('writes a page whose name takes all 255 bytes a file name may have', () => {
    const dir = tempDir();
    expect(runCli(['load', '--quiet', '--db', 'm.rdbscope.sqlite', fixture('mixed-7.0.rdb')], dir).code).toBe(0);
    const name = `${'r'.repeat(250)}.html`;
    const r = runCli(['html', '--out', name], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.html') || f.endsWith('.tmp'))).toEqual([name]);
  });

  it('refuses to write the page over the database it is made from, or over its WAL', () => {
    const dir = tempDir();
    expect(runCli(['load', '--quiet', '--db', 'm.rdbscope.sqlite', fixture('mixed-7.0.rdb')], dir).code).toBe(0);
    for (const out of ['m.rdbscope.sqlite', join(dir, 'm.rdbscope.sqlite'), './m.rdbscope.sqlite-wal']) {
      const r = runCli(['html', '--db', 'm.rdbscope.sqlite', '--out', out], dir);
      expect(r.code, out).toBe(2);
      expect(r.stderr, out).toContain('the page is made from: give the page another name');
    }
    expect(runCli(['report', 'summary', '--db', 'm.rdbscope.sqlite'], dir).code).toBe(0);
    // analyze finds it before the load: nothing is loaded, and no database is left behind.
    const a = runCli(['analyze', '--quiet', '--db', 'a.rdbscope.sqlite', '--html', 'a.rdbscope.sqlite', fixture('mixed-7.0.rdb')], dir);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--html a.rdbscope.sqlite is the database the page is made from');
    expect(existsSync(join(dir, 'a.rdbscope.sqlite'))).toBe(false);
  });

  it('refuses to write the page over the dump it is made from', () => {
    const dir = tempDir();
    copyFileSync(fixture('mixed-7.0.rdb'), join(dir, 'dump.rdb'));
    const before = readFileSync(join(dir, 'dump.rdb'));
    const a = runCli(['analyze', '--quiet', '--db', 'd.rdbscope.sqlite', '--html', 'dump.rdb', 'dump.rdb'], dir);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--html dump.rdb is the dump the page is made from');
    const h = runCli(['html', '--db', 'd.rdbscope.sqlite', '--out', join(dir, 'dump.rdb')], dir);
    expect(h.code).toBe(2);
    expect(readFileSync(join(dir, 'dump.rdb')).equals(before)).toBe(true);
  });

  it('analyze --html writes the page of the dump it loaded, and still prints the text', () => {
    const dir = tempDir();
    const r = runCli(['analyze', '--quiet', '--html', 'a.html', fixture('mixed-7.0.rdb')], dir);
    expect(r.code, r.stderr).toBe(0);
    // --quiet: errors and warnings only (docs/commands.md), so not the line naming the page.
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('mixed-7.0.rdb — instance fixtures');
    const page = readFileSync(join(dir, 'a.html'), 'utf8');
    expect(page).toContain('<title>rdbscope report: fixtures, mixed-7.0.rdb</title>');
    expect(page).toContain('id="chart-patterns"');
    const told = runCli(['analyze', '--html', 'b.html', '--db', 'b.sqlite', fixture('mixed-7.0.rdb')], dir);
    expect(told.code, told.stderr).toBe(0);
    expect(told.stderr).toMatch(/(^|\n)wrote b\.html\n$/);
  });
});

const describeRedis = requireRedis();

describeRedis('html command (a server with no keys)', () => {
  it('draws no chart of nothing: the TTL and eviction tables stay, their empty charts are left out', async () => {
    const dir = tempDir();
    const redis = await startRedis();
    try {
      copyFileSync(await redis.save(), join(dir, 'dump.rdb'));
    } finally {
      await redis.stop();
    }
    expect(runCli(['load', '--quiet', '--db', 'z.rdbscope.sqlite', 'dump.rdb'], dir).code).toBe(0);
    const r = runCli(['html', '--out', 'z.html'], dir);
    expect(r.code, r.stderr).toBe(0);
    const page = readFileSync(join(dir, 'z.html'), 'utf8');
    expect(page).toContain('id="ttl-ttl"');
    expect(page).toContain('id="eviction-by_policy"');
    // Shares of no keys are null and every policy frees 0 B: an axis without a mark says nothing.
    expect(page).not.toContain('<figure');
    expect(page).not.toContain('id="charts"');
  });
});

describe.skipIf(!cliBuilt || !corpusPresent('hdt3213-rdb'))('html command (one dump without used-mem among the nightly ones)', () => {
  it('draws the forecast from the estimate the forecast fitted, not from the used-mem line', () => {
    const dir = tempDir();
    // A Redis 2.x dump (RDB v2: no AUX field, so no used-mem; its time is its mtime), dated between the
    // second and third nightly dumps: the forecast can no longer fit used-mem and fits the estimate.
    const other = join(dir, 'other-tool.rdb');
    copyFileSync(join(CORPUS_DIR, 'hdt3213-rdb', 'parser_filters.rdb'), other);
    const files = nightlyFiles();
    const second = JSON.parse(runCli(['info', '--format', 'json', files[1]!], dir).stdout) as { aux: Record<string, string> };
    const at = Number(second.aux['ctime']) + 43_200;
    utimesSync(other, at, at);
    expect(runCli(['load', '--quiet', '--db', 'u.rdbscope.sqlite', '--instance', 'mixed-sources', ...files, other], dir).code).toBe(0);
    const forecast = JSON.parse(runCli(['report', 'forecast', '--maxmemory', '64mb', '--format', 'json'], dir).stdout) as { tables: Record<string, Record<string, unknown>[]> };
    // Fitted on what a server loading each dump would hold by the memory model (the keys, their
    // dicts, an empty server): the figure capacity compares with maxmemory when used-mem is missing.
    expect(forecast.tables['wall']!.map((r) => r['measure'])).toEqual(['estimated_used', 'estimated_used']);
    expect(runCli(['html', '--maxmemory', '64mb', '--out', 'u.html'], dir).code).toBe(0);
    const page = readFileSync(join(dir, 'u.html'), 'utf8');
    const from = page.indexOf('id="chart-total-forecast"');
    const chart = page.slice(from, page.indexOf('</figure>', from));
    const dashed = [...chart.matchAll(/<polyline points="([^"]*)"[^>]*stroke="([^"]*)"[^>]*stroke-dasharray/g)];
    expect(dashed).toHaveLength(1);
    const [, points, stroke] = dashed[0]!;
    const estimated = [...chart.matchAll(/<circle cx="([^"]*)" cy="([^"]*)" r="3" fill="([^"]*)"><title>estimated used at/g)];
    expect(estimated).toHaveLength(files.length + 1);
    // The dashed line leaves the estimate's last point, in the estimate's colour.
    const last = estimated.at(-1)!;
    expect(stroke).toBe(last[3]);
    expect(points!.split(' ')[0]!.split(',').map(Number)).toEqual([Number(last[1]), Number(last[2])]);
  });
});

/**
 * A real dump whose used-mem AUX field is replaced by `digits` (a string, as Redis writes integers
 * that do not fit 32 bits) and its CRC64 trailer recomputed: no server writes 400 digits there, a
 * crafted or damaged file can.
 */
function withUsedMemDigits(dump: Buffer, digits: string): Buffer {
  const marker = Buffer.from([0xfa, 8, ...Buffer.from('used-mem', 'latin1')]);
  const at = dump.indexOf(marker);
  const value = at + marker.length;
  // Redis writes used-mem int-encoded (0xC2 + int32, rdb-format.md §2.2) while it fits 32 bits.
  if (at < 0 || dump[value] !== 0xc2) throw new Error('no int32 used-mem AUX field in this dump');
  // A 14-bit string length (0x40 | high bits, low byte): 64..16383 digits.
  const length = Buffer.from([0x40 | (digits.length >> 8), digits.length & 0xff]);
  const out = Buffer.concat([dump.subarray(0, value), length, Buffer.from(digits, 'latin1'), dump.subarray(value + 5)]);
  const crc = new Crc64();
  crc.update(out, 0, out.length - 8);
  const hex = crc.hex();
  for (let i = 0; i < 8; i++) out[out.length - 1 - i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

describe.skipIf(!cliBuilt)('html command (a used-mem too large for a number)', () => {
  it('draws the memory chart from the finite values: no NaN coordinate', () => {
    const dir = tempDir();
    const files = nightlyFiles();
    const patched = join(dir, 'night-huge.rdb');
    writeFileSync(patched, withUsedMemDigits(readFileSync(files[2]!), '9'.repeat(400)));
    expect(runCli(['info', patched], dir).code).toBe(0);
    expect(runCli(['load', '--quiet', '--db', 'h.rdbscope.sqlite', '--instance', 'nightly', files[0]!, files[1]!, patched, ...files.slice(3)], dir).code).toBe(0);
    expect(runCli(['html', '--out', 'h.html'], dir).code).toBe(0);
    const page = readFileSync(join(dir, 'h.html'), 'utf8');
    const from = page.indexOf('id="chart-total-forecast"');
    const chart = page.slice(from, page.indexOf('</figure>', from));
    expect(chart).not.toContain('NaN');
    // Every snapshot's estimate, and used-mem of all but the patched one.
    expect(chart.match(/<title>estimated at/g)).toHaveLength(files.length);
    expect(chart.match(/<title>used-mem at/g)).toHaveLength(files.length - 1);
  });
});

describeRedis('html command (long pattern names)', () => {
  it('draws two patterns that share their first 200 characters as two lines, not one zigzag', async () => {
    const dir = tempDir();
    // Two patterns of 217-218 characters, the same but for their end; both grow, a day apart.
    const stem = 'P'.repeat(210);
    const redis = await startRedis();
    const files: string[] = [];
    try {
      let first = 0;
      for (let n = 0; n < 4; n++) {
        const cmds: string[][] = [];
        for (let i = 1; i <= 5 + 5 * n; i++) {
          cmds.push(['RPUSH', `${stem}:alpha:${i}`, ...Array.from({ length: 20 + 30 * n }, (_, e) => String(e))]);
          cmds.push(['RPUSH', `${stem}:beta:${i}`, ...Array.from({ length: 5 + 3 * n }, (_, e) => String(e))]);
        }
        await redis.client.pipeline(cmds);
        const bytes = readFileSync(await redis.save());
        if (n === 0) first = auxInt(bytes, 'ctime')!;
        const file = join(dir, `night-${n}.rdb`);
        writeFileSync(file, withCtime(bytes, first + n * 86_400));
        files.push(file);
      }
    } finally {
      await redis.stop();
    }
    expect(runCli(['load', '--quiet', '--db', 'p.rdbscope.sqlite', '--instance', 'long', ...files], dir).code).toBe(0);
    expect(runCli(['html', '--out', 'p.html'], dir).code).toBe(0);
    const page = readFileSync(join(dir, 'p.html'), 'utf8');
    const from = page.indexOf('id="chart-pattern-forecast"');
    expect(from).toBeGreaterThan(0);
    const chart = page.slice(from, page.indexOf('</figure>', from));
    const solid = [...chart.matchAll(/<polyline points="([^"]*)"(?![^>]*stroke-dasharray)[^>]*>/g)].map((m) => m[1]!.split(' ').length);
    expect(solid).toEqual([files.length, files.length]);
  });
});
