/**
 * The times a date can hold: ECMA-262 time values run from -8.64e15 to 8.64e15 ms (§21.4.1.1, the
 * year -271821 to 275760). A time beyond them in a dump (a corrupt ctime or TTL) has no date.
 */
export const MAX_DATE_MS = 8.64e15;

export function holdsDate(ms: number): boolean {
  return Math.abs(ms) <= MAX_DATE_MS;
}
