/**
 * The HTML writer without a browser: what the page may contain (only its own tags, its own script and
 * style, allowed by their hashes, nothing that loads from elsewhere), how it escapes every text it is
 * given, and how it bounds what it reads.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatHtml, type HtmlPageInput } from '../../../src/output/html/index.js';
import type { ReportResult, Row, RowSource } from '../../../src/output/result.js';

/** Tags the writer itself emits; a page holding any other was made from data. */
const OWN_TAGS = new Set([
  '!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'h3', 'p', 'nav', 'a', 'main', 'section', 'ul', 'li',
  'div', 'dl', 'dt', 'dd', 'input', 'span', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'button', 'figure', 'figcaption', 'footer', 'script',
  'svg', 'rect', 'line', 'text', 'circle', 'polyline',
]);

const HOSTILE = [
  '<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', "'><svg onload=alert(3)>", '</script><script>alert(4)</script>',
  '</style><style>*{}</style>', '<!-- comment', ']]><![CDATA[', '&amp;&lt;', 'nul\x00byte', 'esc\x1b[31m', 'ls\u2028ps\u2029', 'bidi\u202e', '\ud800lone',
];

function input(results: ReportResult[], over: Partial<HtmlPageInput> = {}): HtmlPageInput {
  return { title: 'title', subtitle: [], results, maxRows: 1000, footer: 'footer', ...over };
}

const patternsResult = (rows: Row[] | RowSource): ReportResult => ({
  report: 'patterns',
  notes: ['a note'],
  tables: [{ name: 'patterns', columns: [{ name: 'pattern', kind: 'text' }, { name: 'memory', kind: 'bytes' }, { name: 'untimed_key_share', kind: 'percent' }], rows }],
});

describe('formatHtml', () => {
  it('allows by hash exactly its own script and style, and nothing from anywhere else', () => {
    const page = formatHtml(input([patternsResult([{ pattern: 'a:*', memory: 100, untimed_key_share: 0.5 }, { pattern: 'b:*', memory: 50, untimed_key_share: 1 }])]));
    const script = /<script>([\s\S]*)<\/script>/.exec(page)![1]!;
    const style = /<style>([\s\S]*)<\/style>/.exec(page)![1]!;
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(page)![1]!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(csp).toContain(`style-src ${hash(style)}`);
    // No attribute that makes a browser fetch: src, href other than in-page anchors, url(), @import.
    expect(page).not.toMatch(/\ssrc=/i);
    for (const [, href] of page.matchAll(/\shref="([^"]*)"/g)) expect(href).toMatch(/^#/);
    expect(page).not.toMatch(/url\(|@import|<link/i);
    // The only absolute URL is the SVG namespace name, which is never fetched.
    for (const [url] of page.matchAll(/https?:\/\/[^"\s]*/g)) expect(url).toBe('http://www.w3.org/2000/svg');
  });

  it('escapes every text it is given: no tag, script or control character comes from data', () => {
    const hostileTable = (h: string, i: number) => ({
      name: `t${i}${h}`, title: h,
      columns: [{ name: h, kind: 'text' as const }, { name: 'pattern', kind: 'text' as const }, { name: 'memory', kind: 'bytes' as const }],
      rows: [{ [h]: h, pattern: h, memory: i }, { [h]: h + '2', pattern: h + '2', memory: i + 1 }],
    });
    const results: ReportResult[] = [
      { report: 'patterns', notes: HOSTILE, tables: HOSTILE.map(hostileTable).concat([{ ...hostileTable('x', 99), name: 'patterns' }]) },
      { report: HOSTILE[1]!, notes: [], tables: [{ name: 'one', columns: [{ name: HOSTILE[0]!, kind: 'text' }], rows: [{ [HOSTILE[0]!]: HOSTILE[3]! }] }] },
    ];
    const page = formatHtml(input(results, { title: HOSTILE[0]!, subtitle: HOSTILE, footer: HOSTILE[3]! }));
    const tags = new Set([...page.matchAll(/<([!a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].filter((t) => !OWN_TAGS.has(t))).toEqual([]);
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page.match(/<\/script/g)).toHaveLength(1);
    expect(page.match(/<style/g)).toHaveLength(1);
    // No event-handler attribute in any tag (data's `onerror=` is text, between tags or inside a quoted value).
    for (const [tag] of page.matchAll(/<[a-zA-Z][^>]*>/g)) expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/\son\w+=/i);
    expect(page).not.toContain('<!--');
    // eslint-disable-next-line no-control-regex
    expect(page.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]/);
    // What the data held is there as text.
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(page).toContain('&amp;amp;&amp;lt;');
    expect(page).toContain('nul\\x00byte');
    expect(page).toContain('ls\\u2028ps\\u2029');
  });

  it('reads at most maxRows rows of a table, says so, and closes the rest of its query', () => {
    let produced = 0;
    let closed = false;
    const source: RowSource = {
      *[Symbol.iterator]() {
        try {
          for (let i = 0; i < 10_000; i++) {
            produced++;
            yield { pattern: `p${i}`, memory: 10_000 - i, untimed_key_share: 0 };
          }
        } finally {
          closed = true;
        }
      },
    };
    const page = formatHtml(input([patternsResult(source)], { maxRows: 50 }));
    expect(produced).toBeLessThanOrEqual(51);
    expect(closed).toBe(true);
    expect(page.match(/<tr>/g)!.length).toBe(1 + 50);
    expect(page).toContain('The first 50 rows');
    expect(page).toContain('>50 rows<');
  });

  it('stays small however long the keys: cells are clipped', () => {
    const huge = Buffer.alloc(100_000, 'k').toString('latin1');
    // Made one at a time as read: a thousand 100 kB keys (100 MB unclipped) are not held at once.
    const rows: RowSource = { *[Symbol.iterator]() { for (let i = 0; i < 1000; i++) yield { pattern: `${huge}${i}`, memory: i, untimed_key_share: 0 }; } };
    const page = formatHtml(input([patternsResult(rows)]));
    expect(page.length).toBeLessThan(1_000_000);
    expect(page).toContain('k'.repeat(199) + '…');
  });

  it('shows one-row tables as cards, empty tables as such, and each note once', () => {
    const summary: ReportResult = { report: 'summary', notes: ['snapshot 1', 'only here'], tables: [
      { name: 'totals', columns: [{ name: 'keys', kind: 'int' }, { name: 'memory', kind: 'bytes' }], rows: [{ keys: 1234567, memory: 2048 }] },
      { name: 'nothing', title: 'Nothing', columns: [{ name: 'x', kind: 'int' }], rows: [] },
    ] };
    const other: ReportResult = { report: 'ttl', notes: ['snapshot 1', 'ttl note'], tables: [] };
    const page = formatHtml(input([summary, other]));
    expect(page).toContain('<dt>keys</dt><dd>1,234,567</dd>');
    expect(page).toContain('<div title="2,048 bytes"><dt>memory</dt><dd>2.00 KB</dd></div>');
    expect(page).toContain('<h3>Nothing</h3><p class="empty">(no rows)</p>');
    expect(page.match(/<li>snapshot 1<\/li>/g)).toHaveLength(1);
    expect(page).toContain('<li>ttl note</li>');
  });

  it('keeps exact values for sorting, bigints included', () => {
    const page = formatHtml(input([{ report: 'r', notes: [], tables: [{ name: 't', columns: [{ name: 'n', kind: 'int' }, { name: 'b', kind: 'bytes' }], rows: [
      { n: 2n ** 63n - 1n, b: 1536 }, { n: null, b: 0 },
    ] }] }]));
    expect(page).toContain('<td class="num" data-v="9223372036854775807">9,223,372,036,854,775,807</td>');
    expect(page).toContain('<td class="num" data-v="1536" title="1,536 bytes">1.50 KB</td>');
    expect(page).toContain('<td class="num" data-empty="">-</td>');
  });

  it('shows an empty text as "" (the empty key), and one byte as one', () => {
    const page = formatHtml(input([{ report: 'r', notes: [], tables: [{ name: 't', columns: [{ name: 'key', kind: 'text' }, { name: 'b', kind: 'bytes' }], rows: [
      { key: '', b: 1 }, { key: 'k', b: 2 },
    ] }] }]));
    expect(page).toContain('<td title="empty string">&quot;&quot;</td><td class="num" data-v="1" title="1 byte">1 B</td>');
    expect(page).toContain('<td>k</td><td class="num" data-v="2" title="2 bytes">2 B</td>');
  });

  it('shows a time to the second in UTC, a space between date and time (a card wraps there), ISO 8601 in its tooltip', () => {
    const at = Date.UTC(2026, 11, 4, 16, 24, 39, 931);
    const page = formatHtml(input([
      { report: 'one', notes: [], tables: [{ name: 'card', columns: [{ name: 'snapshot_time', kind: 'time' }, { name: 'keys', kind: 'int' }], rows: [{ snapshot_time: at, keys: 1 }] }] },
      { report: 'many', notes: [], tables: [{ name: 't', columns: [{ name: 'reached_at', kind: 'time' }], rows: [{ reached_at: at }, { reached_at: 9e15 }] }] },
    ]));
    expect(page).toContain('<div title="2026-12-04T16:24:39.931Z"><dt>snapshot time</dt><dd>2026-12-04 16:24:39 UTC</dd></div>');
    expect(page).toMatch(/<td[^>]* title="2026-12-04T16:24:39\.931Z">2026-12-04 16:24:39 UTC<\/td>/);
    // A time no date holds (a corrupt TTL) stays its digits.
    expect(page).toContain('<td>9000000000000000</td>');
  });

  it('shows a figure in its row\'s unit where the table mixes bytes and keys (Column.unitFrom)', () => {
    const page = formatHtml(input([{ report: 'r', notes: [], tables: [{ name: 't', columns: [{ name: 'measure', kind: 'text' }, { name: 'unit', kind: 'text' }, { name: 'per_day', kind: 'float', unitFrom: 'unit' }], rows: [
      { measure: 'used_mem', unit: 'bytes', per_day: 123668.8 }, { measure: 'keys', unit: 'keys', per_day: 143 },
    ] }] }]));
    expect(page).toContain('<td class="num" data-v="123668.8" title="123668.8 bytes">121 KB</td>');
    expect(page).toContain('<td class="num" data-v="143" title="143">143.00</td>');
  });

  it('puts the diagnosis first, then the charts, then the other reports', () => {
    const diagnosis: ReportResult = { report: 'diagnosis', notes: ['headline'], tables: [] };
    const page = formatHtml(input([patternsResult([{ pattern: 'a', memory: 1, untimed_key_share: 0 }, { pattern: 'b', memory: 2, untimed_key_share: 0 }]), diagnosis]));
    const at = (s: string) => page.indexOf(s);
    expect(at('id="diagnosis"')).toBeGreaterThan(0);
    expect(at('id="diagnosis"')).toBeLessThan(at('id="charts"'));
    expect(at('id="charts"')).toBeLessThan(at('id="patterns"'));
  });
});
