import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { PROJECT_ROOT } from '../support/corpus.js';

it('docs/database.md states the schema version the code migrates to', () => {
  const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'database.md'), 'utf8');
  expect(/Schema\s+version (\d+) \(`PRAGMA user_version`\)/.exec(doc)?.[1]).toBe(String(SCHEMA_VERSION));
});
