// @ts-check
/**
 * One command under `/usr/bin/time -v`: wall time from our own clock, user+sys CPU and peak RSS from
 * time's report. Its stdout is discarded (as `> /dev/null`).
 */
import { spawn } from 'node:child_process';

/** @typedef {{ wall: number, cpu: number, rssMb: number, exit: number }} TimedRun */

/**
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 * @param {(line: string) => void} log where a failing command's last lines go
 * @returns {Promise<TimedRun>}
 */
export function timedRun(argv, env, log) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-v', ...argv], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d).slice(-(1 << 16))));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const num = (/** @type {RegExp} */ re) => Number(re.exec(err)?.[1] ?? NaN);
      if (code !== 0) log(`bench: ${argv.join(' ')} exited with ${code}:\n${err.split('\n').slice(-8).join('\n')}`);
      resolve({ wall, cpu: num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/), rssMb: num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024, exit: code ?? -1 });
    });
  });
}

/** @param {number[]} xs */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
