// @ts-check
/**
 * Bundles the compiled CLI (dist/, from `tsc`) into a few files under dist/bundle/, which is what
 * bin/rdbscope runs:
 *
 *   node scripts/bundle.mjs            (part of `npm run build`)
 *
 * Why: node resolves, reads and compiles each ES module on its own, and a command loads 50–150 of
 * them (its layers plus commander, csv-stringify, hyparquet-writer). Bundled, `rdbscope info` of a
 * small dump spends ~35 ms less CPU, `rdbscope --help` (every command loaded) ~270 ms less; the
 * parse itself runs the same code at the same speed. Measured with `node bench/startup.mjs`.
 *
 * Rules the output keeps:
 * - One file per command stays lazily loaded: commands/index.ts imports each command dynamically,
 *   and esbuild's code splitting keeps those imports as chunks.
 * - Thread entries: every `*-worker.js` module is an entry of its own, written beside main.js under
 *   the same name, because the module that starts a thread finds it at `new URL('./x-worker.js',
 *   import.meta.url)` and in a bundle import.meta.url is the chunk's, in the same flat directory.
 * - better-sqlite3 stays a package import: it loads a native addon from its own directory.
 * - Bundled CommonJS packages (commander) call `require` for node's built-in modules, which an ES
 *   module does not have: a banner gives each output file one made by createRequire.
 */
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every thread entry (`*-worker.js`) under a compiled dist/ directory, the bundle's own excluded.
 * @param {string} distDir
 */
export function workerEntries(distDir) {
  return readdirSync(distDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('-worker.js') && !f.startsWith(`bundle${path.sep}`))
    .map((f) => path.join(distDir, f))
    .sort();
}

/**
 * Bundles `entries` plus the thread entries of `distDir` into `outdir` (emptied first), one output
 * file per entry named as its source file.
 * @param {{ entries: string[], distDir: string, outdir: string }} options
 */
export async function bundle({ entries, distDir, outdir }) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [...entries, ...workerEntries(distDir)],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as __rdbscopeRequire } from 'node:module'; const require = __rdbscopeRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = fileURLToPath(new URL('../dist/', import.meta.url));
  await bundle({ entries: [path.join(dist, 'cli', 'main.js')], distDir: dist, outdir: path.join(dist, 'bundle') });
}
