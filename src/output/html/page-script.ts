/**
 * The page's only script: sorting by a click on a column header and filtering rows by a typed text,
 * in every `table.data`. It runs in the browser, so it is written against the few DOM members it uses
 * (this project compiles without the DOM library) and shipped as its own source text. It moves and
 * hides the rows the writer made; it never parses markup (no innerHTML), so no data becomes markup.
 */
interface PageElement {
  textContent: string | null;
  hidden: boolean;
  value: string;
  readonly children: ArrayLike<PageElement>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  addEventListener(type: string, listener: () => void): void;
  appendChild(child: PageElement): void;
}

export interface PageDocument {
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}

/** Wires every data table of `doc`. Self-contained: its source text is what the page runs. */
export function wireTables(doc: PageDocument): void {
  const tables = Array.from(doc.querySelectorAll('table.data'));
  for (const table of tables) {
    const body = table.querySelector('tbody');
    if (!body) continue;
    const rows = Array.from(body.children);
    const heads = Array.from(table.querySelectorAll('thead th'));
    heads.forEach((th, i) => {
      const button = th.querySelector('button');
      if (!button) return;
      button.addEventListener('click', () => {
        const numeric = th.getAttribute('data-kind') !== 'text';
        const current = th.getAttribute('aria-sort');
        // Numbers first biggest-first, text A to Z; a second click reverses.
        const descending = current === null || current === 'none' ? numeric : current === 'ascending';
        for (const h of heads) h.setAttribute('aria-sort', 'none');
        th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        const keyed = Array.from(body.children).map((row, at) => {
          const cell = row.children[i];
          // An empty cell (data-empty) shows `-`: its text must not sort as text.
          const raw = !cell || cell.getAttribute('data-empty') !== null ? null : numeric ? cell.getAttribute('data-v') : cell.textContent;
          return { row, at, key: raw === null ? null : numeric ? Number(raw) : raw.toLowerCase() };
        });
        keyed.sort((a, b) => {
          // Empty cells last either way; ties keep their order.
          if (a.key === null || b.key === null) return a.key === b.key ? a.at - b.at : a.key === null ? 1 : -1;
          const c = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
          return (descending ? -c : c) || a.at - b.at;
        });
        for (const k of keyed) body.appendChild(k.row);
      });
    });
    const box = table.getAttribute('data-filter');
    const input = box === null ? null : doc.querySelectorAll(`#${box} input`)[0];
    const count = box === null ? null : doc.querySelectorAll(`#${box} .count`)[0];
    if (!input) continue;
    input.addEventListener('input', () => {
      const q = input.value.trim().toLowerCase();
      let shown = 0;
      for (const row of rows) {
        row.hidden = q !== '' && !(row.textContent ?? '').toLowerCase().includes(q);
        if (!row.hidden) shown++;
      }
      if (count) count.textContent = q === '' ? `${rows.length} rows` : `${shown} of ${rows.length} rows`;
    });
  }
}

/** The script element's text: the function's own source, called on the page's document. */
export const PAGE_SCRIPT = `(${wireTables.toString()})(document);`;
