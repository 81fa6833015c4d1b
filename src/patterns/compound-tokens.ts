/**
 * Variable tokens that themselves contain separator characters (`-`, `:`, `.`), so they must be
 * recognised on the whole key before it is split: UUIDs, ISO dates and timestamps, IPv4 addresses,
 * e-mail addresses. Each match becomes a single `*`.
 */

// Boundaries: not glued to other alphanumerics, so `x2024-01-15` or a longer hex run is left alone.
const B_START = '(?<![A-Za-z0-9])';
const B_END = '(?![A-Za-z0-9])';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const ISO_DATETIME = '\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?';
const IPV4 = '(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d{1,5})?';
const EMAIL = '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+';

const COMPOUND = new RegExp(`${B_START}(?:${UUID}|${ISO_DATETIME}|${IPV4}|${EMAIL})${B_END}`, 'g');

export function replaceCompoundTokens(key: string): string {
  return key.replace(COMPOUND, '*');
}
