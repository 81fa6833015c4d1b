import { bigkeys } from './bigkeys.js';
import { growth } from './growth.js';
import { patterns } from './patterns.js';
import type { Report } from './report.js';
import { summary } from './summary.js';
import { ttl } from './ttl.js';
import { untimed } from './untimed.js';

/** Every canned report, in the order `analyze` prints them. Adding a report = one file + one line. */
export const REPORTS: readonly Report[] = [summary, bigkeys, untimed, patterns, growth, ttl];

export function findReport(name: string): Report | undefined {
  return REPORTS.find((r) => r.name === name);
}
