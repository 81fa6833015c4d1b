/** The page's style sheet: system fonts only (nothing is fetched), readable printed too. */
export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #1d2329; --muted: #5b6670; --line: #d9dee3; --band: #f4f6f8; --accent: #0072b2; --warn: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
header.page { padding: 18px 28px 10px; border-bottom: 1px solid var(--line); background: var(--band); }
header.page h1 { margin: 0 0 4px; font-size: 21px; }
header.page p { margin: 2px 0; color: var(--muted); }
/* The title and lines under it hold the instance (the dump's folder name) and the file name, up to 255 bytes without a space. */
header.page h1, header.page p, footer.page { overflow-wrap: anywhere; }
nav.toc { padding: 8px 28px; border-bottom: 1px solid var(--line); font-size: 13px; }
nav.toc a { display: inline-block; margin-right: 14px; color: var(--accent); text-decoration: none; white-space: nowrap; }
main { padding: 8px 28px 40px; max-width: 1280px; }
section.report { margin-top: 26px; }
section.report > h2 { font-size: 18px; margin: 0 0 6px; padding-bottom: 4px; border-bottom: 2px solid var(--accent); }
ul.notes { margin: 6px 0 12px; padding-left: 18px; color: var(--muted); }
ul.notes li { margin: 1px 0; overflow-wrap: anywhere; }
.lead ul.notes { color: var(--ink); font-size: 15px; }
.block { margin: 14px 0 22px; }
.block h3 { font-size: 15px; margin: 0 0 6px; }
.tools { display: flex; gap: 10px; align-items: center; margin-bottom: 4px; }
.tools input { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 4px; width: 240px; }
.tools .count { color: var(--muted); font-size: 12px; }
.scroll { overflow-x: auto; max-height: 560px; overflow-y: auto; border: 1px solid var(--line); border-radius: 4px; }
table.data { border-collapse: collapse; width: 100%; font-size: 13px; }
table.data th { position: sticky; top: 0; background: var(--band); text-align: left; border-bottom: 1px solid var(--line); padding: 0; white-space: nowrap; }
/* A button is as wide as its text unless told: the full cell, so a number column's name ends where its numbers end. */
table.data th button { all: unset; box-sizing: border-box; width: 100%; cursor: pointer; display: block; padding: 5px 8px; font-weight: 600; }
table.data th button:focus-visible { outline: 2px solid var(--accent); }
table.data th[aria-sort="ascending"] button::after { content: " \\25B2"; color: var(--accent); }
table.data th[aria-sort="descending"] button::after { content: " \\25BC"; color: var(--accent); }
table.data th.num button { text-align: right; }
table.data td { padding: 3px 8px; border-bottom: 1px solid #eef0f2; vertical-align: top; overflow-wrap: break-word; }
table.data td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.data td.long { overflow-wrap: anywhere; min-width: 20em; }
table.data tbody tr:hover { background: #f8fafb; }
.more { color: var(--muted); font-size: 12px; margin: 4px 0 0; }
td.code, dd.code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
dl.card + dl.card { margin-top: 8px; }
dl.card { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 8px; margin: 0; }
dl.card div { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; background: #fff; }
dl.card dt { color: var(--muted); font-size: 12px; }
dl.card dd { margin: 0; font-size: 16px; font-weight: 600; overflow-wrap: anywhere; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(540px, 100%), 1fr)); gap: 18px; align-items: start; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow-x: auto; }
figure.chart figcaption { font-weight: 600; margin-bottom: 2px; }
figure.chart p { margin: 0 0 6px; color: var(--muted); font-size: 12px; }
/* Drawn 640 units wide: on a phone it scrolls sideways in its frame rather than shrink its 12 px text to 6 px. */
svg.chart-svg { width: 100%; min-width: 560px; max-width: 820px; height: auto; display: block; font: 12px system-ui, sans-serif; }
svg .label, svg .value { fill: var(--ink); }
svg .tick, svg .legend { fill: var(--muted); }
svg .grid { stroke: #e3e7ea; stroke-width: 1; }
svg .axis { stroke: #8a949c; stroke-width: 1; }
svg .range { stroke: #8a949c; stroke-width: 2; }
svg .ref { stroke: var(--warn); stroke-width: 1.5; stroke-dasharray: 3 3; }
svg .ref-label { fill: var(--warn); }
.empty { color: var(--muted); font-style: italic; }
footer.page { padding: 12px 28px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); }
@media (max-width: 640px) { header.page, nav.toc, main { padding-left: 12px; padding-right: 12px; } table.data td.long { min-width: 12em; } dl.card { grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); } dl.card dd { font-size: 14px; } }
@media print { .tools { display: none; } .scroll { max-height: none; overflow: visible; } .charts { display: block; } figure.chart { break-inside: avoid; margin-bottom: 12px; overflow: visible; } svg.chart-svg { min-width: 0; } }
`;
