// @ts-check
/**
 * Where parse-only allocates: runs bench/parse-only.mjs's parse under V8's sampling heap profiler with
 * objects collected by GC included (so short-lived garbage counts, unlike `node --heap-prof`, which
 * keeps only what is still alive at exit), and writes a .heapprofile that profile-summary.mjs reads.
 *
 *   node bench/alloc-profile.mjs <dump> [out.heapprofile]
 *   node bench/profile-summary.mjs <out.heapprofile>
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { parseFiles } from './parse-only.mjs';

const [file, out = 'bench/.cache/parse-only.heapprofile'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/alloc-profile.mjs <dump> [out.heapprofile]\n');
  process.exit(2);
}
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 32768,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
await parseFiles([file], false);
const { profile } = await session.post('HeapProfiler.stopSampling');
writeFileSync(out, JSON.stringify(profile));
process.stderr.write(`wrote ${out}\n`);
session.disconnect();
