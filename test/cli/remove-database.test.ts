import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { removeDatabase } from '../../src/cli/load-files.js';
import { tempDir } from '../support/temp.js';

// A load that loaded nothing removes the new database it created; two loads started together on a
// new --db both "created" it, and the one that fails must not unlink the file the other loads into.

describe.skipIf(!existsSync('/proc/self/fd'))('removeDatabase', () => {
  it('keeps a database another process has open, and removes it once that process is gone', async () => {
    const dir = tempDir();
    const db = join(dir, 'new.sqlite');
    writeFileSync(db, '');
    writeFileSync(db + '-journal', '');
    const holder = spawn(process.execPath, ['-e', `require('node:fs').openSync(process.argv[1], 'r'); console.log('open'); setTimeout(() => {}, 30000)`, db], { stdio: ['ignore', 'pipe', 'inherit'] });
    onTestFinished(() => void holder.kill('SIGKILL'));
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));

    expect(removeDatabase(db)).toBe(false);
    expect(existsSync(db) && existsSync(db + '-journal')).toBe(true);

    const exited = new Promise((resolve) => holder.once('exit', resolve));
    holder.kill('SIGKILL');
    await exited;
    expect(removeDatabase(db)).toBe(true);
    expect(existsSync(db) || existsSync(db + '-journal')).toBe(false);
  });
});
