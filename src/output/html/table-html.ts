import { cellColumn, type Column, type ResultTable } from '../result.js';
import { showCell } from './cells.js';
import type { TableData } from './draw-chart.js';
import { htmlText } from './escape.js';
import { terminalSafe } from '../terminal-safe.js';

/** A report table as read for the page: at most the page's bound of rows, `more` when it had others. */
export interface PageTable extends TableData {
  name: string;
  title: string | undefined;
  /** A table of figures about one thing (a headline): shown as a card. */
  vertical: boolean;
  more: boolean;
}

/** Reads at most `max` rows of a table; stopping early closes its query (RowSource contract). */
export function readTable(table: ResultTable, max: number): PageTable {
  const rows = [];
  let more = false;
  for (const row of table.rows) {
    if (rows.length === max) {
      more = true;
      break;
    }
    rows.push(row);
  }
  return { name: table.name, title: table.title, vertical: table.vertical === true, columns: table.columns, rows, more };
}

const isNumeric = (c: Column) => c.kind !== 'text' && c.kind !== 'time';

/** Columns holding a command to type: shown in a monospace font. */
const CODE_COLUMNS: readonly string[] = ['command'];

function codeClass(c: Column): string {
  return CODE_COLUMNS.includes(c.name) ? ' class="code"' : '';
}

/**
 * A cell whose text holds a run of more characters than this without a space is `long`: it may break
 * anywhere and keeps a readable width (page-style.ts). `overflow-wrap: break-word` alone does not do it
 * in a table: the breaks it makes do not count toward a cell's min-content width (CSS Text Level 3
 * §5.5, only `anywhere` does), so one 200-character key widened its table to several screens and
 * pushed every other column out of sight.
 */
const UNBROKEN_RUN = 40;

const LONG_RUN = new RegExp(`\\S{${UNBROKEN_RUN + 1}}`, 'u');

/** The classes of a body cell: numbers right-aligned, commands monospace, long unbroken text wrapped anywhere. */
function cellClasses(c: Column, text: string): string {
  if (isNumeric(c)) return ' class="num"';
  // Measured as shown: terminalSafe turns a control character into a four-character escape.
  const classes = [...(CODE_COLUMNS.includes(c.name) ? ['code'] : []), ...(LONG_RUN.test(terminalSafe(text)) ? ['long'] : [])];
  return classes.length ? ` class="${classes.join(' ')}"` : '';
}

export function columnTitle(name: string): string {
  return name.replace(/_/g, ' ');
}

/**
 * A table as HTML: a single row as a card of name/value pairs (a headline, totals), several rows as a
 * table sortable by its headers and filtered by the box above it. Every value is escaped text; the
 * exact number is kept in `data-v` for sorting and, for byte counts, in the tooltip; an empty cell is
 * marked `data-empty`.
 */
export function tableHtml(id: string, table: PageTable): string {
  const heading = table.title !== undefined ? `<h3>${htmlText(table.title)}</h3>` : '';
  if (table.rows.length === 0) return `<div class="block" id="${id}">${heading}<p class="empty">(no rows)</p></div>`;
  if ((table.rows.length === 1 || table.vertical) && !table.more && table.rows.length <= 3) {
    const cards = table.rows.map((row) => {
      const items = table.columns.map((c) => {
        const shown = showCell(row[c.name] ?? null, cellColumn(c, row));
        const tip = [c.help, shown.exact].filter((t) => t !== undefined && t !== null).join(': ');
        return `<div${tip ? ` title="${htmlText(tip)}"` : ''}><dt>${htmlText(columnTitle(c.name))}</dt><dd${codeClass(c)}>${htmlText(shown.text)}</dd></div>`;
      });
      return `<dl class="card">${items.join('')}</dl>`;
    });
    return `<div class="block" id="${id}">${heading}${cards.join('')}</div>`;
  }
  const head = table.columns
    .map((c) => `<th scope="col" data-kind="${isNumeric(c) ? 'number' : 'text'}"${isNumeric(c) ? ' class="num"' : ''}${c.help ? ` title="${htmlText(c.help)}"` : ''} aria-sort="none"><button type="button">${htmlText(columnTitle(c.name))}</button></th>`)
    .join('');
  let body = '';
  for (const row of table.rows) {
    body += '<tr>';
    for (const c of table.columns) {
      const value = row[c.name] ?? null;
      const shown = showCell(value, cellColumn(c, row));
      // An empty cell shows `-`, which would sort before every letter and digit: marked so that it sorts last (page-script.ts).
      const attrs = cellClasses(c, shown.text) + (value === null ? ' data-empty=""' : '') + (shown.sortValue !== null && isNumeric(c) ? ` data-v="${htmlText(shown.sortValue)}"` : '') + (shown.exact !== null ? ` title="${htmlText(shown.exact)}"` : '');
      body += `<td${attrs}>${htmlText(shown.text)}</td>`;
    }
    body += '</tr>';
  }
  const tools = `<div class="tools" id="${id}-tools"><input type="search" placeholder="Filter rows" aria-label="Filter rows of ${htmlText(table.title ?? columnTitle(table.name))}"><span class="count">${table.rows.length} rows</span></div>`;
  const more = table.more ? `<p class="more">The first ${table.rows.length} rows; the full table: rdbscope report with --format csv or json.</p>` : '';
  return `<div class="block" id="${id}">${heading}${tools}<div class="scroll"><table class="data" data-filter="${id}-tools"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>${more}</div>`;
}
