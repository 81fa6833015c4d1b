import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirs } from '../../src/export/make-dirs.js';
import { tempDir } from '../support/temp.js';

describe('makeDirs (mkdir -p)', () => {
  it('makes a directory and its missing parents; an existing one is fine', () => {
    const root = tempDir();
    const deep = join(root, 'a', 'b', 'c');
    makeDirs(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    makeDirs(deep);
    mkdirSync(join(root, 'x'));
    makeDirs(join(root, 'x', 'y'));
    expect(statSync(join(root, 'x', 'y')).isDirectory()).toBe(true);
  });

  it('throws what mkdir throws: a file in the way, a parent that cannot hold children', () => {
    const root = tempDir();
    writeFileSync(join(root, 'file'), '');
    expect(() => makeDirs(join(root, 'file', 'sub'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    if (statSync('/proc', { throwIfNoEntry: false })?.isDirectory()) {
      expect(() => makeDirs('/proc/rdbscope-no-such/out')).toThrow(expect.objectContaining({ code: 'ENOENT', path: '/proc/rdbscope-no-such' }));
    }
  });
});
