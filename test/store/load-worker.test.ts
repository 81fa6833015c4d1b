import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PATTERN_OPTIONS } from '../../src/patterns/options.js';
import { DEFAULT_MEMORY_SPEC } from '../../src/store/memory-spec.js';
import type { LoadMessage } from '../../src/store/produce-rows.js';
import { LoadWorker, prestartLoadWorker, workerEntry, type WorkerJob } from '../../src/store/worker-rows.js';
import { FIXTURES_DIR } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

const entry = workerEntry();

function job(path: string): WorkerJob {
  return { path, mtimeMs: statSync(path).mtimeMs, memory: DEFAULT_MEMORY_SPEC, patterns: DEFAULT_PATTERN_OPTIONS };
}

async function drain(rows: AsyncGenerator<LoadMessage>): Promise<{ keys: number; rows: number }> {
  let n = 0;
  let keys = 0;
  for await (const m of rows) {
    if (m.t === 'batch') n += m.rows.n;
    if (m.t === 'end') keys = m.end.keys;
  }
  return { keys, rows: n };
}

describe.skipIf(entry === null)('LoadWorker', () => {
  it('loads files one after another on one thread; a failure ends that thread, the next file gets a new one', async () => {
    const w = new LoadWorker(entry!);
    try {
      const a = await drain(w.rows(job(join(FIXTURES_DIR, 'growth-a.rdb'))));
      const first = w.threadId;
      expect(first).not.toBeNull();
      const b = await drain(w.rows(job(join(FIXTURES_DIR, 'growth-b.rdb'))));
      expect(w.threadId).toBe(first);
      expect(a.keys).toBeGreaterThan(0);
      expect(a.rows).toBe(a.keys);
      expect(b.rows).toBe(b.keys);

      const bad = join(tempDir(), 'missing.rdb');
      await expect(drain(w.rows({ ...job(join(FIXTURES_DIR, 'growth-a.rdb')), path: bad }))).rejects.toThrow(/no such file/);
      expect(w.threadId).toBeNull();
      const again = await drain(w.rows(job(join(FIXTURES_DIR, 'growth-a.rdb'))));
      expect(again).toEqual(a);
      expect(w.threadId).not.toBe(first);
    } finally {
      await w.close();
    }
  });

  it('the first file runs on the thread started ahead of the command; later LoadWorkers start their own', async () => {
    const early = prestartLoadWorker();
    expect(early).not.toBeNull();
    const w = new LoadWorker(entry!);
    const other = new LoadWorker(entry!);
    try {
      const rows = w.rows(job(join(FIXTURES_DIR, 'growth-a.rdb')));
      await rows.next();
      expect(w.threadId).toBe(early);
      expect((await drain(rows)).rows).toBeGreaterThanOrEqual(0);
      expect((await drain(other.rows(job(join(FIXTURES_DIR, 'growth-b.rdb'))))).keys).toBeGreaterThan(0);
      expect(other.threadId).not.toBe(early);
    } finally {
      await w.close();
      await other.close();
    }
  });

  it('stopping a file early ends the thread', async () => {
    const w = new LoadWorker(entry!);
    try {
      const rows = w.rows(job(join(FIXTURES_DIR, 'mixed-7.0.rdb')));
      for await (const m of rows) if (m.t === 'batch') break;
      expect(w.threadId).toBeNull();
      expect((await drain(w.rows(job(join(FIXTURES_DIR, 'growth-b.rdb'))))).keys).toBeGreaterThan(0);
    } finally {
      await w.close();
    }
  });
});
