/**
 * Charts drawn from report tables by the spec: each mark is where its value says (bar lengths and
 * column heights proportional, log positions ordered), labels escaped, and a chart whose columns the
 * table lacks is left out instead of drawn empty.
 */
import { describe, expect, it } from 'vitest';
import type { BarsSpec, ColumnsSpec, LinesSpec, PercentilesSpec } from '../../../src/output/html/chart-specs.js';
import { CHARTS } from '../../../src/output/html/chart-specs.js';
import { drawChart, drawnChart, type TableData } from '../../../src/output/html/draw-chart.js';
import { fitLabel, labelEm } from '../../../src/output/html/label-fit.js';
import { linearTicks, logTicks, timeTicks } from '../../../src/output/html/scale.js';
import type { Column } from '../../../src/output/result.js';

const col = (name: string, kind: Column['kind']): Column => ({ name, kind });
const attr = (tag: string, name: string) => Number(new RegExp(`\\s${name}="([^"]*)"`).exec(tag)![1]);
const tags = (svg: string, re: RegExp) => [...svg.matchAll(re)].map((m) => m[0]);

const one = (t: TableData) => () => t;

const bars: BarsSpec = { id: 'b', kind: 'bars', title: 'B', report: 'r', table: 't', label: [['pattern'], ['type']], value: ['memory', 'file_bytes'], fraction: { column: ['untimed_key_share'], label: 'no TTL' }, limit: 3 };

describe('bars', () => {
  const table: TableData = {
    columns: [col('pattern', 'text'), col('type', 'text'), col('file_bytes', 'bytes'), col('untimed_key_share', 'percent')],
    rows: [
      { pattern: 'a:*', type: 'hash', file_bytes: 4000, untimed_key_share: 1 },
      { pattern: '<b>', type: 'set', file_bytes: 1000, untimed_key_share: 0.25 },
      { pattern: 'c', type: 'zset', file_bytes: 3000, untimed_key_share: null },
      { pattern: 'd', type: 'list', file_bytes: 10, untimed_key_share: 0 },
    ],
  };
  const svg = drawChart(bars, one(table))!;

  it('draws one bar per row up to the limit, lengths proportional to the value (the alternative column)', () => {
    const widths = tags(svg, /<rect[^>]*class="bar"[^>]*>/g).map((t) => attr(t, 'width'));
    expect(widths).toHaveLength(3);
    expect(widths[1]! / widths[0]!).toBeCloseTo(0.25, 2);
    expect(widths[2]! / widths[0]!).toBeCloseTo(0.75, 2);
    expect(svg).toContain('3.91 KB');
  });

  it('draws the gauge as the share, and none where the share is unknown', () => {
    const gauges = tags(svg, /<rect[^>]*class="gauge"[^>]*>/g).map((t) => attr(t, 'width'));
    expect(gauges).toHaveLength(2);
    expect(gauges[1]! / gauges[0]!).toBeCloseTo(0.25, 2);
    expect(svg).toContain('>25.0%<');
  });

  it('labels a gauge as the tables write a share: a small share is not rounded to 0%', () => {
    const small = drawChart(bars, one({ columns: table.columns, rows: [{ pattern: 'a', type: 'hash', file_bytes: 10, untimed_key_share: 0.002 }, { pattern: 'b', type: 'set', file_bytes: 5, untimed_key_share: 1 }] }))!;
    expect(small).toContain('>0.2%<');
    expect(small).toContain('>100%<');
  });

  it('escapes labels', () => {
    expect(svg).toContain('&lt;b&gt; · set');
    expect(svg).not.toContain('<b>');
  });

  it('is left out when the table lacks the value column, or has no rows', () => {
    expect(drawChart(bars, one({ columns: [col('pattern', 'text')], rows: [{ pattern: 'a' }] }))).toBeNull();
    expect(drawChart(bars, one({ columns: table.columns, rows: [] }))).toBeNull();
    expect(drawChart(bars, () => undefined)).toBeNull();
  });
});

describe('columns', () => {
  const spec: ColumnsSpec = { id: 'c', kind: 'columns', title: 'C', report: 'r', table: 't', category: ['bucket'], series: [{ column: ['key_share'], label: 'keys' }, { column: ['memory_share'], label: 'memory' }] };
  it('draws a column per category and series, heights proportional, in the table order', () => {
    const svg = drawChart(spec, one({
      columns: [col('bucket', 'text'), col('key_share', 'percent'), col('memory_share', 'percent')],
      rows: [{ bucket: '<1m', key_share: 0.2, memory_share: 0.1 }, { bucket: 'none', key_share: 0.8, memory_share: null }],
    }))!;
    const rects = tags(svg, /<rect[^>]*class="bar"[^>]*>/g);
    expect(rects).toHaveLength(3);
    const h = rects.map((t) => attr(t, 'height'));
    expect(h[1]! / h[0]!).toBeCloseTo(0.5, 2);
    expect(h[2]! / h[0]!).toBeCloseTo(4, 2);
    expect(svg.indexOf('&lt;1m')).toBeLessThan(svg.indexOf('>none<'));
  });
});

describe('percentiles', () => {
  const spec: PercentilesSpec = { id: 'p', kind: 'percentiles', title: 'P', report: 'r', table: 't', label: [['type']], marks: [{ column: ['p50'], label: 'p50' }, { column: ['p99'], label: 'p99' }, { column: ['max'], label: 'max' }] };
  it('puts a dot per known mark, ordered left to right as the values', () => {
    const svg = drawChart(spec, one({
      columns: [col('type', 'text'), col('p50', 'bytes'), col('p99', 'bytes'), col('max', 'bytes')],
      rows: [{ type: 'hash', p50: 64, p99: 4096, max: 1 << 20 }, { type: 'set', p50: 100, p99: null, max: 200 }],
    }))!;
    const xs = tags(svg, /<circle[^>]*class="mark"[^>]*>/g).map((t) => attr(t, 'cx'));
    expect(xs).toHaveLength(5);
    expect(xs[0]!).toBeLessThan(xs[1]!);
    expect(xs[1]!).toBeLessThan(xs[2]!);
    // Log scale: 64 → 4096 and 4096 → 1 MiB are 6 and 8 doublings.
    expect((xs[2]! - xs[1]!) / (xs[1]! - xs[0]!)).toBeCloseTo(8 / 6, 1);
  });

  it('keeps marks of one value in sight: a dot, then a ring around it per later mark (p99 = max)', () => {
    const svg = drawChart(spec, one({
      columns: [col('type', 'text'), col('p50', 'bytes'), col('p99', 'bytes'), col('max', 'bytes')],
      rows: [{ type: 'hash', p50: 64, p99: 4096, max: 4096 }, { type: 'set', p50: 8, p99: 8, max: 8 }],
    }))!;
    const marks = tags(svg, /<circle[^>]*class="mark"[^>]*>/g);
    expect(marks).toHaveLength(6);
    const [, p99, max, one50, one99, oneMax] = marks as [string, string, string, string, string, string];
    expect(attr(max, 'cx')).toBe(attr(p99, 'cx'));
    expect(p99).not.toContain('fill="none"');
    expect(max).toContain('fill="none"');
    expect(attr(max, 'r')).toBeGreaterThan(attr(p99, 'r'));
    // Three marks at one point: a dot and two rings, each wider than the one before.
    expect(one50).not.toContain('fill="none"');
    expect(attr(one99, 'r')).toBeGreaterThan(attr(one50, 'r'));
    expect(attr(oneMax, 'r')).toBeGreaterThan(attr(one99, 'r'));
  });

  it('is left out when no row has a value (percentiles not available)', () => {
    expect(drawChart(spec, one({
      columns: [col('type', 'text'), col('p50', 'bytes'), col('p99', 'bytes'), col('max', 'bytes')],
      rows: [{ type: 'hash', p50: null, p99: null, max: null }],
    }))).toBeNull();
  });
});

describe('lines', () => {
  const day = 86_400_000;
  const spec: LinesSpec = {
    id: 'l', kind: 'lines', title: 'L', report: 'r', table: 's', x: ['at'], seriesBy: ['pattern'], limit: 2,
    ys: [{ column: ['memory'], label: '' }, { column: ['fitted'], label: 'fitted', dashed: true }],
  };
  const s: TableData = {
    columns: [col('pattern', 'text'), col('at', 'time'), col('memory', 'bytes'), col('fitted', 'bytes')],
    rows: [
      { pattern: 'a', at: 0, memory: 100, fitted: 110 }, { pattern: 'a', at: day, memory: 200, fitted: 190 },
      { pattern: 'b', at: 0, memory: 50, fitted: null }, { pattern: 'b', at: day, memory: 60, fitted: null },
      { pattern: 'c', at: 0, memory: 10, fitted: 10 },
    ],
  };

  it('draws a line per y column and series up to the limit, fitted values dashed', () => {
    const svg = drawChart(spec, one(s))!;
    const lines = tags(svg, /<polyline[^>]*>/g);
    expect(lines).toHaveLength(3);
    expect(lines.filter((l) => l.includes('stroke-dasharray'))).toHaveLength(1);
    expect(svg).not.toContain('>c<');
    expect(svg).toContain('>fitted<');
  });

  const total: LinesSpec = {
    id: 't', kind: 'lines', title: 'T', report: 'f', table: 'series', x: ['at'], ys: [{ column: ['used_mem'], label: 'used-mem' }], limit: 1,
    refs: [{ report: 'cap', table: 'capacity', column: ['maxmemory'], label: 'maxmemory' }, { report: 'cap', table: 'capacity', column: ['alarm_at'], label: 'alarm' }],
    project: { report: 'f', table: 'wall', x: ['reached_at'], y: ['bytes'], label: ['threshold'] },
  };
  const tables: Record<string, TableData> = {
    series: { columns: [col('at', 'time'), col('used_mem', 'bytes')], rows: [{ at: 0, used_mem: 400 }, { at: day, used_mem: 500 }] },
    capacity: { columns: [col('maxmemory', 'bytes'), col('alarm_at', 'bytes')], rows: [{ maxmemory: 1000, alarm_at: 850 }] },
    wall: { columns: [col('threshold', 'text'), col('bytes', 'bytes'), col('reached_at', 'time')], rows: [
      { threshold: 'maxmemory', bytes: 1000, reached_at: 6 * day }, { threshold: 'alarm', bytes: 850, reached_at: 4.5 * day },
    ] },
  };
  const find = (_r: string, t: string) => tables[t];

  it('draws reference lines from other tables, above the data', () => {
    const svg = drawChart(total, find)!;
    const refs = tags(svg, /<line[^>]*class="ref"[^>]*>/g);
    expect(refs).toHaveLength(2);
    const top = Math.min(...tags(svg, /<circle[^>]*>/g).map((t) => attr(t, 'cy')));
    for (const r of refs) expect(attr(r, 'y1')).toBeLessThan(top);
    expect(svg).toContain('maxmemory 1000 B');
    expect(svg).toContain('alarm 850 B');
  });

  it('projects the line, dashed, from its last point to the dates the other table gives, in time order', () => {
    const svg = drawChart(total, find)!;
    const dashed = tags(svg, /<polyline[^>]*stroke-dasharray[^>]*>/g);
    expect(dashed).toHaveLength(1);
    const pts = /points="([^"]*)"/.exec(dashed[0]!)![1]!.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
    expect(pts).toHaveLength(3);
    const solid = /points="([^"]*)"/.exec(tags(svg, /<polyline(?![^>]*stroke-dasharray)[^>]*>/g)[0]!)![1]!.split(' ').map((p) => p.split(',').map(Number));
    expect(pts[0]).toEqual(solid.at(-1));
    // x grows with the date; the alarm (850) is drawn below maxmemory (1000).
    expect(pts[1]![0]).toBeLessThan(pts[2]![0]);
    expect(pts[1]![1]).toBeGreaterThan(pts[2]![1]);
    // Without the wall table: no projection, the rest stays.
    const without = drawChart(total, (r, t) => (t === 'wall' ? undefined : find(r, t)))!;
    expect(tags(without, /<polyline[^>]*stroke-dasharray[^>]*>/g)).toHaveLength(0);
  });
});

describe('lines: the projection continues the measure the forecast fitted', () => {
  const day = 86_400_000;
  const spec: LinesSpec = {
    id: 't', kind: 'lines', title: 'T', report: 'f', table: 'series', x: ['at'], ys: [{ column: ['used_mem'], label: 'used-mem' }, { column: ['memory'], label: 'estimated' }], limit: 2,
    project: { report: 'f', table: 'wall', x: ['reached_at'], y: ['bytes'], label: ['threshold'], measure: ['measure'] },
  };
  // used-mem recorded by all dumps but the last (a dump from a server that does not write it): the
  // forecast falls back to the estimate, and its walls are where the estimate's line reaches them.
  const series: TableData = { columns: [col('at', 'time'), col('used_mem', 'bytes'), col('memory', 'bytes')], rows: [
    { at: 0, used_mem: 900, memory: 100 }, { at: day, used_mem: 950, memory: 200 }, { at: 2 * day, used_mem: null, memory: 300 },
  ] };
  const wall = (measure: string): TableData => ({ columns: [col('threshold', 'text'), col('bytes', 'bytes'), col('measure', 'text'), col('reached_at', 'time')], rows: [
    { threshold: 'alarm', bytes: 850, measure, reached_at: 7.5 * day }, { threshold: 'maxmemory', bytes: 1000, measure, reached_at: 9 * day },
  ] });
  const points = (tag: string) => /points="([^"]*)"/.exec(tag)![1]!.split(' ').map((p) => p.split(',').map(Number));
  const lines = (measure: string) => {
    const svg = drawChart(spec, (_r, t) => (t === 'series' ? series : wall(measure)))!;
    return { solid: tags(svg, /<polyline(?![^>]*stroke-dasharray)[^>]*>/g), dashed: tags(svg, /<polyline[^>]*stroke-dasharray[^>]*>/g) };
  };
  const stroke = (tag: string) => /stroke="([^"]*)"/.exec(tag)![1];

  it('starts at the estimate\'s last point, in its colour, when the walls were fitted on the estimate', () => {
    const { solid, dashed } = lines('memory');
    expect(solid).toHaveLength(2);
    expect(dashed).toHaveLength(1);
    expect(points(dashed[0]!)[0]).toEqual(points(solid[1]!).at(-1));
    expect(stroke(dashed[0]!)).toBe(stroke(solid[1]!));
  });

  it('starts at used-mem\'s last point when the walls were fitted on used-mem', () => {
    const { solid, dashed } = lines('used_mem');
    expect(points(dashed[0]!)[0]).toEqual(points(solid[0]!).at(-1));
    expect(stroke(dashed[0]!)).toBe(stroke(solid[0]!));
  });

  it('draws no projection from a line the chart does not hold', () => {
    expect(lines('file_bytes').dashed).toHaveLength(0);
  });

  it('captions the chart by what it drew: no dashed line promised when no projection was drawn', () => {
    const captioned: LinesSpec = { ...spec, caption: 'with projection', captionUnprojected: 'without projection' };
    const tablesOf = (measure: string | null) => (_r: string, t: string) => (t === 'series' ? series : measure === null ? undefined : wall(measure));
    expect(drawnChart(captioned, tablesOf('memory'))!.caption).toBe('with projection');
    expect(drawnChart(captioned, tablesOf(null))!.caption).toBe('without projection');
    expect(drawnChart(captioned, tablesOf('file_bytes'))!.caption).toBe('without projection');
  });
});

describe('values that are not finite', () => {
  it('are left out as missing: every coordinate stays a number, the finite points are drawn', () => {
    const day = 86_400_000;
    const spec: LinesSpec = { id: 't', kind: 'lines', title: 'T', report: 'f', table: 'series', x: ['at'], ys: [{ column: ['used_mem'], label: 'used-mem' }, { column: ['memory'], label: 'estimated' }], limit: 2 };
    const series: TableData = { columns: [col('at', 'time'), col('used_mem', 'bytes'), col('memory', 'bytes')], rows: [
      { at: 0, used_mem: 1000, memory: 100 }, { at: day, used_mem: Infinity, memory: 200 }, { at: 2 * day, used_mem: 2000, memory: NaN },
    ] };
    const svg = drawChart(spec, one(series))!;
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(tags(svg, /<circle[^>]*>/g)).toHaveLength(4);
    const barsSvg = drawChart(bars, one({ columns: [col('pattern', 'text'), col('memory', 'bytes')], rows: [{ pattern: 'a', memory: Infinity }, { pattern: 'b', memory: 10 }] }))!;
    expect(barsSvg).not.toMatch(/NaN|Infinity/);
  });
});

describe('labels', () => {
  it('cut in the middle: a long label keeps its start and its end, within its room', () => {
    const long = `cache:page:${'x'.repeat(60)}:mobile · hash`;
    const shown = fitLabel(long, 16);
    expect(labelEm(shown)).toBeLessThanOrEqual(16);
    expect(shown.startsWith('cache:page:')).toBe(true);
    expect(shown.endsWith('· hash')).toBe(true);
    expect(shown).toContain('…');
    // Two labels that differ only at their end are drawn differently.
    expect(fitLabel(`m:str:*:${'k'.repeat(80)}`, 16)).not.toBe(fitLabel(`m:str:*:${'k'.repeat(80)}*`, 16));
    expect(fitLabel('user:*', 16)).toBe('user:*');
  });
});

describe('the spec', () => {
  it('names each chart once; a fallback names charts that exist', () => {
    expect(new Set(CHARTS.map((c) => c.id)).size).toBe(CHARTS.length);
    for (const c of CHARTS) for (const id of c.unless ?? []) expect(CHARTS.map((x) => x.id)).toContain(id);
  });
});

describe('scales', () => {
  it('linear ticks reach the maximum in round steps, 1024-based for bytes', () => {
    const t = linearTicks(3_000_000, 4, 1024);
    expect(t.max).toBeGreaterThanOrEqual(3_000_000);
    const step = t.values[1]!;
    expect(step % 1024).toBe(0);
    expect(t.values.length).toBeLessThanOrEqual(6);
    expect(linearTicks(0.93, 4, 10).values).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
  it('log ticks cover the range in powers of two', () => {
    const t = logTicks(3, 5000, 8);
    expect(t.values[0]).toBeLessThanOrEqual(3);
    expect(t.values.at(-1)).toBeGreaterThanOrEqual(4096);
    for (const v of t.values) expect(Math.log2(v) % 1).toBe(0);
  });
  it('time ticks fall inside the range at round times', () => {
    const day = 86_400_000;
    const ticks = timeTicks(day * 10 + 5, day * 20, 6);
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks.length).toBeLessThanOrEqual(6);
    for (const t of ticks) expect(t).toBeGreaterThanOrEqual(day * 10 + 5);
  });
  it('time ticks stay about `count` over any span, up to the whole range of dates', () => {
    const year = 525_600 * 60_000;
    for (const [min, max] of [[0, 3 * year], [0, 40 * year], [-8.64e15, 8.64e15], [1.7e12, 1.7e12 + 1e11 * 86_400_000]]) {
      const ticks = timeTicks(min!, max!, 5);
      expect(ticks.length, `${min}..${max}`).toBeGreaterThan(1);
      expect(ticks.length, `${min}..${max}`).toBeLessThanOrEqual(6);
      for (const t of ticks) expect(t >= min! && t <= max!).toBe(true);
      // whole years apart
      expect((ticks[1]! - ticks[0]!) % year).toBe(0);
    }
  });
});

describe('line chart time axis', () => {
  it('keeps every date label inside the chart: a tick at the right end is anchored at its end', async () => {
    const { lineChart } = await import('../../../src/output/html/charts/line-chart.js');
    const { labelEm } = await import('../../../src/output/html/label-fit.js');
    const day = 86_400_000;
    const start = Date.UTC(2026, 11, 1);
    for (const days of [4, 8, 9, 13, 30]) {
      const svg = lineChart([{ label: 'used', dashed: false, colorOf: 0, points: [{ x: start, y: 1 }, { x: start + days * day, y: 2 }] }], [], { label: 'm', format: String, base: 10, dashedLabel: 'forecast' });
      const ticks = [...svg.matchAll(/<text([^>]*)class="tick"[^>]*>(\d{4}-\d{2}-\d{2}[^<]*)<\/text>/g)].map((m) => ({ tag: m[1]!, text: m[2]! }));
      expect(ticks.length, `${days} days`).toBeGreaterThan(1);
      for (const t of ticks) {
        const x = attr(t.tag, 'x');
        const anchor = /text-anchor="(\w+)"/.exec(t.tag)![1];
        const w = labelEm(t.text) * 12;
        const [left, right] = anchor === 'end' ? [x - w, x] : anchor === 'start' ? [x, x + w] : [x - w / 2, x + w / 2];
        expect(left, `${t.text} of ${days} days`).toBeGreaterThanOrEqual(0);
        expect(right, `${t.text} of ${days} days`).toBeLessThanOrEqual(640);
      }
    }
  });
});
