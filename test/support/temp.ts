import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/** A fresh temp directory per call, removed when the test finishes (call inside a test). */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rdbscope-test-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A file with the given content (its fingerprint is what loadSnapshot dedupes on). */
export function dummyFile(dir: string, name: string, content: string | Uint8Array = name): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}
