import { humanBytes, humanPercent } from '../human-units.js';
import type { Column, ColumnKind, Row } from '../result.js';
import { groupDigits, MAX_CELL_TEXT } from './cells.js';
import { clip } from './escape.js';
import type { ChartSpec, ColumnRef, ValueRef } from './chart-specs.js';
import { barChart } from './charts/bar-chart.js';
import { columnChart } from './charts/column-chart.js';
import { lineChart, type LineSeries } from './charts/line-chart.js';
import { percentileChart } from './charts/percentile-chart.js';

/** A report table as the page holds it: its columns and the rows read (at most the page's bound). */
export interface TableData {
  columns: Column[];
  rows: Row[];
}

export type FindTable = (report: string, table: string) => TableData | undefined;

/** The chart `spec` describes as SVG markup, or null when the page's results lack its table or columns. */
export function drawChart(spec: ChartSpec, find: FindTable): string | null {
  return drawnChart(spec, find)?.svg ?? null;
}

/**
 * The chart as SVG markup and the caption that goes with what was drawn (a line chart's caption
 * without its projection when none was drawn: it must not promise a dashed line), or null.
 */
export function drawnChart(spec: ChartSpec, find: FindTable): { svg: string; caption: string | undefined } | null {
  let projected = false;
  const svg = draw(spec, find, () => (projected = true));
  if (svg === null) return null;
  const caption = spec.kind === 'lines' && spec.project && !projected ? (spec.captionUnprojected ?? spec.caption) : spec.caption;
  return { svg, caption };
}

function draw(spec: ChartSpec, find: FindTable, onProjected: () => void): string | null {
  const t = find(spec.report, spec.table);
  if (!t || t.rows.length === 0) return null;
  const pick = (ref: ColumnRef) => t.columns.find((c) => ref.includes(c.name)) ?? null;
  switch (spec.kind) {
    case 'bars': {
      const value = pick(spec.value);
      const labels = spec.label.map(pick);
      const fraction = spec.fraction ? pick(spec.fraction.column) : null;
      if (!value || labels[0] === null) return null;
      const bars = t.rows.slice(0, spec.limit).map((r) => ({
        label: labels.filter((c): c is Column => c !== null).map((c) => text(r[c.name])).join(' · '),
        value: num(r[value.name]) ?? 0,
        fraction: fraction ? num(r[fraction.name]) : null,
      }));
      // No bar has a length (a snapshot with no keys: every policy frees 0 B): nothing to draw.
      if (bars.every((b) => b.value === 0)) return null;
      return barChart(
        bars,
        { label: spec.title, valueLabel: value.name.replace(/_/g, ' '), format: formatter(value.kind), fractionLabel: fraction && spec.fraction ? spec.fraction.label : undefined },
      );
    }
    case 'columns': {
      const category = pick(spec.category);
      const series = spec.series.map((s) => ({ label: s.label, column: pick(s.column) })).filter((s): s is { label: string; column: Column } => s.column !== null);
      if (!category || series.length === 0) return null;
      const kind = series[0]!.column.kind;
      const groups = t.rows.map((r) => ({ category: text(r[category.name]), values: series.map((s) => num(r[s.column.name])) }));
      // Every value empty or zero (the shares of a snapshot with no keys are null): an axis with no column.
      if (groups.every((g) => g.values.every((v) => v === null || v === 0))) return null;
      return columnChart(
        groups,
        { label: spec.title, series: series.map((s) => s.label), format: formatter(kind), tick: kind === 'percent' ? percentTick : undefined, base: kind === 'bytes' ? 1024 : 10 },
      );
    }
    case 'percentiles': {
      const labels = spec.label.map(pick).filter((c): c is Column => c !== null);
      const marks = spec.marks.map((m) => ({ label: m.label, column: pick(m.column) })).filter((m): m is { label: string; column: Column } => m.column !== null);
      if (labels.length === 0 || marks.length === 0) return null;
      const rows = t.rows.map((r) => ({ label: labels.map((c) => text(r[c.name])).join(' · '), values: marks.map((m) => num(r[m.column.name])) }));
      // Percentiles are null when the snapshot was loaded with row limits: nothing to draw.
      if (rows.every((r) => r.values.every((v) => v === null))) return null;
      return percentileChart(
        rows,
        { label: spec.title, marks: marks.map((m) => m.label), format: formatter(marks[0]!.column.kind) },
      );
    }
    case 'lines': {
      const x = pick(spec.x);
      const ys = spec.ys.map((y) => ({ ...y, col: pick(y.column) })).filter((y): y is typeof y & { col: Column } => y.col !== null);
      const by = spec.seriesBy ? pick(spec.seriesBy) : null;
      if (!x || ys.length === 0 || (spec.seriesBy && !by)) return null;
      const groups: string[] = [];
      const series = new Map<string, LineSeries>();
      /** The column each line draws: a projection continues the line of the measure it was fitted on. */
      const columnOf = new Map<LineSeries, string>();
      for (const r of t.rows) {
        const px = num(r[x.name]);
        if (px === null) continue;
        // Grouped by the whole value: two long patterns that share the shown (clipped) start are two lines.
        const group = by ? String(r[by.name] ?? '-') : '';
        if (!groups.includes(group)) {
          if (groups.length >= spec.limit) continue;
          groups.push(group);
        }
        ys.forEach((y, yi) => {
          const py = num(r[y.col.name]);
          if (py === null) return;
          const id = `${yi}\0${group}`;
          let s = series.get(id);
          if (!s) {
            const label = by ? [text(group), y.label].filter((p) => p !== '').join(' ') : y.label;
            series.set(id, (s = { label, points: [], dashed: y.dashed === true, colorOf: by ? groups.indexOf(group) : yi }));
            columnOf.set(s, y.col.name);
          }
          s.points.push({ x: px, y: py });
        });
      }
      if (series.size === 0) return null;
      const all = [...series.values()];
      let dashedLabel = spec.ys.find((y) => y.dashed)?.label ?? 'forecast';
      if (spec.project) {
        const p = spec.project;
        const pt = find(p.report, p.table);
        const [px, py] = pt ? [pt.columns.find((c) => p.x.includes(c.name)), pt.columns.find((c) => p.y.includes(c.name))] : [undefined, undefined];
        const pm = pt && p.measure ? pt.columns.find((c) => p.measure!.includes(c.name)) : undefined;
        const measure = pt && pm ? pt.rows.map((r) => r[pm.name]).find((v) => typeof v === 'string') : undefined;
        // The line the targets were fitted on; none drawn (its column not in this table): no projection.
        const base = measure === undefined ? all[0] : all.find((s) => !s.dashed && columnOf.get(s) === measure);
        const from = base?.points.at(-1);
        // Only walls ahead of the last point: one already past is dated at the last snapshot (forecast.ts),
        // and a dashed line down to it would read as a forecast that memory falls.
        const targets = base && from && pt && px && py
          ? pt.rows.map((r) => ({ x: num(r[px.name]), y: num(r[py.name]) })).filter((q): q is { x: number; y: number } => q.x !== null && q.y !== null && q.x > from.x).sort((a, b) => a.x - b.x)
          : [];
        if (base && from && targets.length) {
          all.push({ label: `${base.label} forecast`, points: [from, ...targets], dashed: true, colorOf: base.colorOf });
          dashedLabel = 'forecast';
          onProjected();
        }
      }
      const refs = (spec.refs ?? []).flatMap((ref) => {
        const v = valueOf(ref, find);
        return v === null ? [] : [{ label: ref.label, y: v }];
      });
      const kind = ys[0]!.col.kind;
      return lineChart(all, refs, { label: spec.title, format: formatter(kind), base: kind === 'bytes' ? 1024 : 10, dashedLabel });
    }
  }
}

/** The number a ValueRef names, or null when its table, column or row is missing, the cell empty, or 0 meaning none. */
function valueOf(ref: ValueRef, find: FindTable): number | null {
  const t = find(ref.report, ref.table);
  const c = t?.columns.find((col) => ref.column.includes(col.name));
  if (!t || !c) return null;
  const match = ref.row;
  const by = match ? t.columns.find((col) => match.column.includes(col.name)) : undefined;
  if (match && !by) return null;
  const row = match ? t.rows.find((r) => String(r[by!.name]) === match.equals) : t.rows[0];
  const value = row ? num(row[c.name]) : null;
  return value === 0 && ref.zeroIsNone === true ? null : value;
}

/**
 * A cell as a coordinate, or null when it has none: empty, text, or not finite. A REAL column can
 * hold Infinity (a crafted used-mem of 400 digits is stored so), and one such value made every
 * coordinate of its chart NaN (the axis reaches it): the chart drew nothing and the browser logged
 * an error per mark.
 */
function num(v: Row[string] | undefined): number | null {
  if (v === null || v === undefined || typeof v === 'string') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** A label from a cell, clipped as table cells are (its tooltip shows it): a chart never holds a whole huge key. */
function text(v: Row[string] | undefined): string {
  return v === null || v === undefined ? '-' : clip(String(v), MAX_CELL_TEXT);
}

/** An axis' share: as humanPercent, without a `.0` (ticks are round: 25%, 12.5%, 100%). */
function percentTick(v: number): string {
  return humanPercent(v).replace('.0%', '%');
}

function formatter(kind: ColumnKind): (v: number) => string {
  switch (kind) {
    case 'bytes':
      return humanBytes;
    case 'percent':
      return humanPercent;
    case 'float':
      return (v) => v.toFixed(2);
    case 'days':
      return (v) => `${v.toFixed(1)} d`;
    default:
      return groupDigits;
  }
}
