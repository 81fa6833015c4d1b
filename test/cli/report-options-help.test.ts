/**
 * The help of a report option that only some reports take names those reports (`growth: …`), and
 * names them all: each report's `accepts` list (src/reports) is the truth the help must agree with.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addReportOptions } from '../../src/cli/report-options.js';
import { REPORTS } from '../../src/reports/registry.js';

describe('report option help', () => {
  it('names exactly the reports that accept the option', () => {
    const cmd = addReportOptions(new Command('report'));
    // The two flags whose value a report reads under another option name.
    const optionName: Record<string, string> = { '--sep': 'separators', '--redis-conf': 'maxmemory' };
    let checked = 0;
    for (const option of cmd.options) {
      const listed = /^([a-z]+(?:\/[a-z]+)*): /.exec(option.description);
      if (listed === null) continue;
      const name = optionName[option.long!] ?? option.attributeName();
      const accepting = REPORTS.filter((r) => (r.accepts as readonly string[]).includes(name)).map((r) => r.name);
      expect(listed[1]!.split('/').sort(), option.long).toEqual(accepting.sort());
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });
});
