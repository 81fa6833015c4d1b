/**
 * The HTML report in a real browser (issue 17): a page made by the real CLI from real dumps opens from
 * file:// with no request but itself and no console error, draws every chart, sorts and filters its
 * tables, and shows hostile keys as inert text. A screenshot is left in test-output/ for a person.
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../support/cli.js';
import { launchBrowser, requireChromium, screenshotPath, type Browser, type OpenedPage, type PageGlobal } from '../support/chromium.js';
import { requireRedis } from '../support/redis.js';
import { HOSTILE_FILE_NAME, HOSTILE_KEYS, INSTANCE, LONG_KEY, makeReportDataset } from './report-dataset.js';

const describeBrowser = requireChromium();
const describeRedis = requireRedis();

/** The charts the page draws for this dataset (chart-specs.ts ids; `growth` gives way to `pattern-forecast`). */
const CHART_IDS = ['patterns', 'types', 'sizes', 'ttl', 'eviction', 'total-forecast', 'pattern-forecast'];

describeRedis('html report (real dumps)', () => {
  describeBrowser('in Chromium', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rdbscope-html-'));
    const page = join(dir, 'report.html');
    let browser: Browser;
    let opened: OpenedPage;

    beforeAll(async () => {
      if (!cliBuilt) throw new Error('the CLI is not built (npm test builds it; npx tsc -p . by hand)');
      const data = await makeReportDataset(dir);
      const r = runCli(['html', '--db', data.db, '--maxmemory', '8mb', '--out', page], dir);
      expect(r.code, r.stderr).toBe(0);
      browser = await launchBrowser();
      opened = await browser.open(page);
    });
    afterAll(async () => {
      await browser?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('loads nothing but itself and logs no error', async () => {
      expect(opened.requests).toEqual([`file://${page}`]);
      expect(opened.consoleErrors).toEqual([]);
      expect(opened.pageErrors).toEqual([]);
      // Nothing left over from writing it: one page in the folder.
      expect(statSync(page).size).toBeGreaterThan(0);
    });

    it('draws every chart with visible marks', async () => {
      for (const id of CHART_IDS) {
        const marks = await opened.page.evaluate((chart) => {
          const { document } = globalThis as unknown as PageGlobal;
          const svg = document.querySelector(`#chart-${chart} svg`);
          if (!svg) return null;
          const box = svg.getBoundingClientRect();
          const drawn = Array.from(svg.querySelectorAll('rect.bar, circle, polyline')).filter((m) => {
            const b = m.getBoundingClientRect();
            return b.width > 0 && b.height > 0;
          });
          return { width: box.width, height: box.height, drawn: drawn.length };
        }, id);
        expect(marks, `chart ${id}`).not.toBeNull();
        expect(marks!.width, `chart ${id}`).toBeGreaterThan(300);
        expect(marks!.height, `chart ${id}`).toBeGreaterThan(60);
        expect(marks!.drawn, `chart ${id}`).toBeGreaterThan(1);
      }
      // With --maxmemory: the maxmemory and 85% lines, and the forecast's dashed line to them.
      const walls = await opened.page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobal;
        const svg = document.querySelector('#chart-total-forecast svg')!;
        return {
          refs: Array.from(svg.querySelectorAll('.ref-label')).map((t) => t.textContent),
          dashed: svg.querySelectorAll('polyline[stroke-dasharray]').length,
        };
      });
      expect(walls.refs).toEqual([expect.stringMatching(/^maxmemory 8\.00 MB$/), expect.stringMatching(/^85% alarm 6\.80 MB$/)]);
      expect(walls.dashed).toBe(1);
    });

    it('sorts the big-keys table by a click on a header, both ways', async () => {
      const table = '#bigkeys-by_memory table';
      const memoryColumn = async () =>
        opened.page.evaluate((sel) => {
          const { document } = globalThis as unknown as PageGlobal;
          const t = document.querySelector(sel)!;
          const at = Array.from(t.querySelectorAll('thead th')).findIndex((th) => th.textContent?.startsWith('memory'));
          return Array.from(t.querySelectorAll('tbody tr')).map((tr) => Number(tr.children[at]!.getAttribute('data-v')));
        }, table);
      const before = await memoryColumn();
      const descending = [...before].sort((a, b) => b - a);
      // Ranked per type as the report gives it: not one order over all types yet.
      expect(before.length).toBeGreaterThan(20);
      expect(before).not.toEqual(descending);
      const header = opened.page.locator(`${table} thead th`, { hasText: /^memory/ }).locator('button');
      await header.click();
      expect(await memoryColumn()).toEqual(descending);
      expect(await opened.page.locator(`${table} thead th`, { hasText: /^memory/ }).getAttribute('aria-sort')).toBe('descending');
      await header.click();
      expect(await memoryColumn()).toEqual([...descending].reverse());

      // Text columns sort A to Z first.
      await opened.page.locator(`${table} thead th`, { hasText: /^key$/ }).locator('button').click();
      const keys = await opened.page.evaluate((sel) => {
        const { document } = globalThis as unknown as PageGlobal;
        const t = document.querySelector(sel)!;
        const at = Array.from(t.querySelectorAll('thead th')).findIndex((th) => th.textContent === 'key');
        return Array.from(t.querySelectorAll('tbody tr')).map((tr) => (tr.children[at]!.textContent ?? '').toLowerCase());
      }, table);
      expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });

    it('sorts empty cells last both ways, in text and time columns too', async () => {
      const table = '#diagnosis-growth table';
      const column = async () =>
        opened.page.evaluate((sel) => {
          const { document } = globalThis as unknown as PageGlobal;
          const t = document.querySelector(sel)!;
          const at = Array.from(t.querySelectorAll('thead th')).findIndex((th) => th.textContent === 'alarm at');
          return Array.from(t.querySelectorAll('tbody tr')).map((tr) => tr.children[at]!.textContent);
        }, table);
      const header = opened.page.locator(`${table} thead th`, { hasText: /^alarm at$/ }).locator('button');
      for (const order of ['ascending', 'descending']) {
        await header.click();
        expect(await opened.page.locator(`${table} thead th`, { hasText: /^alarm at$/ }).getAttribute('aria-sort')).toBe(order);
        const cells = await column();
        const dated = cells.filter((c) => c !== '-');
        // With --maxmemory the total has a date, the patterns none.
        expect(dated.length).toBeGreaterThan(0);
        expect(cells.length).toBeGreaterThan(dated.length);
        expect(cells.slice(0, dated.length), order).toEqual(dated);
      }
    });

    it('filters the patterns table by typed text', async () => {
      const block = opened.page.locator('#patterns-patterns');
      const all = await block.locator('tbody tr').count();
      await block.locator('input[type=search]').fill('session');
      const visible = await block.locator('tbody tr:visible').allTextContents();
      expect(visible.length).toBeGreaterThan(0);
      expect(visible.length).toBeLessThan(all);
      for (const row of visible) expect(row).toContain('session');
      expect(await block.locator('.count').textContent()).toBe(`${visible.length} of ${all} rows`);
      await block.locator('input[type=search]').fill('');
      expect(await block.locator('tbody tr:visible').count()).toBe(all);
    });

    it('shows hostile keys and file names as text, and runs none of them', async () => {
      const state = await opened.page.evaluate(() => {
        const g = globalThis as unknown as PageGlobal;
        const { document } = g;
        const onAttrs = Array.from(document.querySelectorAll('*')).flatMap((e) => e.getAttributeNames().filter((n) => n.toLowerCase().startsWith('on')));
        const flag = g.__pwned;
        return {
          pwned: flag === undefined ? null : String(flag),
          scripts: document.scripts.length,
          foreign: document.querySelectorAll('img, iframe, object, embed, b, i, u, title ~ title, body title:not(svg title)').length,
          strays: Array.from(document.querySelectorAll('svg')).filter((s) => !s.classList.contains('chart-svg') && !s.closest('svg.chart-svg')).length,
          onAttrs,
          title: document.title,
          keyCells: Array.from(document.querySelectorAll('#bigkeys-by_memory td')).map((td) => td.textContent),
        };
      });
      expect(opened.dialogs).toEqual([]);
      expect(state.pwned).toBeNull();
      expect(state.scripts).toBe(1);
      expect(state.foreign).toBe(0);
      expect(state.strays).toBe(0);
      expect(state.onAttrs).toEqual([]);
      expect(state.title).toBe(`rdbscope report: ${INSTANCE}, ${HOSTILE_FILE_NAME}`);
      for (const k of HOSTILE_KEYS) expect(state.keyCells, k.shown).toContain(k.shown);
    });

    it('wraps a long key inside its column: the big-keys tables keep every column in view', async () => {
      for (const block of ['#diagnosis-bigkeys', '#bigkeys-by_memory']) {
        const fit = await opened.page.evaluate(([sel, head]) => {
          const { document } = globalThis as unknown as PageGlobal;
          const box = document.querySelector(`${sel} .scroll`)!.getBoundingClientRect().width;
          const table = document.querySelector(`${sel} table`)!.getBoundingClientRect().width;
          const cell = Array.from(document.querySelectorAll(`${sel} td`)).find((td) => td.textContent?.startsWith(head!));
          return { box, table, cell: cell?.getBoundingClientRect().width ?? null };
        }, [block, LONG_KEY.slice(0, 20)]);
        expect(fit.cell, block).not.toBeNull();
        expect(fit.cell!, block).toBeLessThan(fit.box / 2);
        expect(fit.table, block).toBeLessThanOrEqual(fit.box);
      }
    });

    it('wraps a long dump file name in the header: the page is no wider than the window', async () => {
      const pageWidth = await opened.page.evaluate('document.documentElement.scrollWidth');
      expect(pageWidth).toBeLessThanOrEqual(1280);
    });

    it('fits every chart label in its chart: wide characters and escapes are clipped by their width', async () => {
      const outside = await opened.page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobal;
        return Array.from(document.querySelectorAll('svg.chart-svg')).flatMap((svg) => {
          const box = svg.getBoundingClientRect() as unknown as { left: number; right: number };
          return Array.from(svg.querySelectorAll('text')).filter((t) => {
            const b = t.getBoundingClientRect() as unknown as { left: number; right: number };
            return b.left < box.left - 0.5 || b.right > box.right + 0.5;
          }).map((t) => t.textContent);
        });
      });
      // Both wide patterns are drawn (clipped) in the patterns chart.
      expect(await opened.page.locator('#chart-patterns text.label', { hasText: /^LEGACY_PROFILE/ }).count()).toBe(1);
      expect(await opened.page.locator('#chart-patterns text.label', { hasText: /^利用者のプロフィール/ }).count()).toBe(1);
      expect(outside).toEqual([]);
    });

    it('fits a phone-sized window: no sideways scroll of the page; a chart keeps a readable size and scrolls in its frame', async () => {
      const narrow = await browser.open(page, { width: 400, height: 800 });
      try {
        expect(await narrow.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(400);
        const charts = await narrow.page.evaluate(() => {
          const { document } = globalThis as unknown as PageGlobal;
          return Array.from(document.querySelectorAll('figure.chart')).map((f) => {
            const svg = f.querySelector('svg.chart-svg')!;
            // Drawn 640 units wide: its 12-unit text is drawn at 12 × width / 640 px.
            return { svg: svg.getBoundingClientRect().width, frame: f.getBoundingClientRect().width };
          });
        });
        expect(charts.length).toBeGreaterThan(0);
        for (const c of charts) {
          expect(c.svg * 12 / 640).toBeGreaterThanOrEqual(10);
          expect(c.frame).toBeLessThanOrEqual(400);
        }
        expect(narrow.pageErrors).toEqual([]);
      } finally {
        await narrow.page.close();
      }
    });

    it('lines a number column\'s name up with its numbers: its header ends at the cell\'s right edge', async () => {
      const heads = await opened.page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobal;
        return Array.from(document.querySelectorAll('table.data th.num')).map((th) => {
          const cell = th.getBoundingClientRect() as unknown as { right: number; width: number };
          const button = th.querySelector('button')!.getBoundingClientRect() as unknown as { right: number; width: number };
          return { name: th.textContent, cell: cell.right, button: button.right };
        });
      });
      expect(heads.length).toBeGreaterThan(20);
      for (const h of heads) expect(Math.abs(h.cell - h.button), h.name ?? '').toBeLessThanOrEqual(1.5);
    });

    it('leaves a screenshot (and the page) for a person to look at', async () => {
      copyFileSync(page, screenshotPath('html-report.html'));
      const shot = await browser.open(page, { width: 1280, height: 900 });
      // The diagnosis and the charts: the whole page is 7000 px tall, and its PNG costs seconds to encode.
      const height = Math.min(3200, await shot.page.evaluate(() => (globalThis as unknown as PageGlobal).document.documentElement.scrollHeight));
      await shot.page.screenshot({ path: screenshotPath('html-report.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height } });
      expect(statSync(screenshotPath('html-report.png')).size).toBeGreaterThan(10_000);
    });
  });
});
