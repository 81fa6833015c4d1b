import type { Reporter, RunnerTestFile, RunnerTask } from 'vitest';

/**
 * Prints one closing line `N passed, N failed, N skipped` after vitest's own report, the plain form
 * CI reads whatever the runner.
 */
export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = []): void {
    const n = { passed: 0, failed: 0, skipped: 0 };
    const walk = (t: RunnerTask): void => {
      if (t.type === 'suite' || t.type === 'file' as string) {
        for (const c of (t as { tasks?: RunnerTask[] }).tasks ?? []) walk(c);
        return;
      }
      const state = t.result?.state;
      if (state === 'pass') n.passed++;
      else if (state === 'fail') n.failed++;
      else n.skipped++;
    };
    for (const f of files) {
      if (f.result?.state === 'fail' && (f.tasks ?? []).length === 0) n.failed++; // a file that failed to load
      for (const t of f.tasks ?? []) walk(t);
    }
    process.stdout.write(`\n${n.passed} passed, ${n.failed} failed, ${n.skipped} skipped\n`);
  }
}
