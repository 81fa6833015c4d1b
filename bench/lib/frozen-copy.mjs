// @ts-check
/**
 * A frozen copy of the built CLI (bin/ + dist/ + package.json, node_modules linked) in a fresh
 * temporary directory: others may rebuild dist/ while a bench runs, and every run of one bench must
 * time the same code.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * @param {string} root the project root
 * @param {string} prefix name prefix of the temporary directory
 * @returns {{ tmp: string, root: string, bin: string }} the temporary directory (the caller removes
 *   it), the copy's root inside it and its bin/rdbscope
 */
export function frozenCopy(root, prefix) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), prefix));
  const snap = path.join(tmp, 'rdbscope');
  mkdirSync(snap);
  cpSync(path.join(root, 'dist'), path.join(snap, 'dist'), { recursive: true });
  cpSync(path.join(root, 'bin'), path.join(snap, 'bin'), { recursive: true });
  copyFileSync(path.join(root, 'package.json'), path.join(snap, 'package.json'));
  symlinkSync(path.join(root, 'node_modules'), path.join(snap, 'node_modules'));
  return { tmp, root: snap, bin: path.join(snap, 'bin', 'rdbscope') };
}
