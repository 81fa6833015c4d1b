// Micro benchmark of the CRC64 engines (not a test). Needs a build: `npx tsc -p . && node bench/crc64.mjs`.
// Target (brief): >= 1 GB/s for the default engine on 64 KiB chunks, the size the parser feeds it.
import { Crc64 } from '../dist/rdb/crc64.js';

const SIZE = 64 << 20;
const data = new Uint8Array(SIZE);
let x = 12345;
for (let i = 0; i < SIZE; i++) {
  x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
  data[i] = x >>> 24;
}

function run(label, chunk, update) {
  let best = Infinity;
  let hex = '';
  for (let round = 0; round < 5; round++) {
    const c = new Crc64();
    const t0 = process.hrtime.bigint();
    for (let p = 0; p < SIZE; p += chunk) update(c, p, Math.min(SIZE, p + chunk));
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    hex = c.hex();
  }
  console.log(`${label.padEnd(28)} ${(SIZE / best / 1e9).toFixed(2)} GB/s  ${hex}`);
}

for (const chunk of [64 << 10, 1 << 20]) {
  run(`default, ${chunk >> 10} KiB chunks`, chunk, (c, s, e) => c.update(data, s, e));
  run(`js, ${chunk >> 10} KiB chunks`, chunk, (c, s, e) => c.updateUsing('js', data, s, e));
  run(`wasm, ${chunk >> 10} KiB chunks`, chunk, (c, s, e) => c.updateUsing('wasm', data, s, e));
}
