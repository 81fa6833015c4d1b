/**
 * Characters that make a spreadsheet treat a cell as a formula (CSV injection). Such cells get a
 * leading `'`, which spreadsheets display as text and strip.
 */
export function neutralizeFormula(text: string): string {
  // A char-code test, not a regex: `keys --format csv` calls this for 7 cells of every key.
  const c = text.charCodeAt(0);
  return c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d ? `'${text}` : text; // = + - @ \t \r
}
