import { bigkeys } from './bigkeys.js';
import { capacity } from './capacity.js';
import { diagnosis } from './diagnosis.js';
import { eviction } from './eviction.js';
import { forecast } from './forecast.js';
import { growth } from './growth.js';
import { patterns } from './patterns.js';
import type { Report } from './report.js';
import { summary } from './summary.js';
import { ttl } from './ttl.js';
import { untimed } from './untimed.js';

/** Every canned report, in the order `report --help` lists them. Adding a report = one file + one line. */
export const REPORTS: readonly Report[] = [diagnosis, summary, bigkeys, untimed, patterns, growth, ttl, eviction, capacity, forecast];

export function findReport(name: string): Report | undefined {
  return REPORTS.find((r) => r.name === name);
}
