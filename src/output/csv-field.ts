/**
 * One CSV cell quoted as csv-stringify quotes it with the options our writers give it (delimiter `,`,
 * quote `"`, record delimiter `\n`, `quoted_match: /[\r\n]/`): a cell holding a comma, a quote or a
 * line break is put in quotes with its quotes doubled (RFC 4180 §2.6–2.7); any other cell, the empty
 * one included, is written as it is. For the writers that stream many rows (`keys`, the paged report
 * writer); tests hold them to csv-stringify's own output.
 */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
