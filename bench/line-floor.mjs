// Micro benchmark (not a test): the least a CSV line of `keys` can cost in JS on this machine, with
// no parse, no memory estimate and no output stream. `node bench/line-floor.mjs [lines]`.
//
// Each line has the shape of a line of the *small* bench dump (`0,key:2130330,6b65…30,string,string,
// embstr,8,9,72,8,,,,,,,false`): db, an 11-byte key, its hex, the kind and sizes, the empty columns.
// It is written into one reused 256 KB buffer the fastest ways measured: the key and its hex two
// bytes a step (one 32-bit store of four hex digits), the middle by a byte loop or copied from the
// previous line, the tail by Buffer.set or a byte loop. `keys` does more per line (it also varies the
// numbers, an expiry, quoting), so this is a floor, to set against the budget docs/performance.md
// derives for `keys` ≤ 1.5× parse-only.
const LINES = Number(process.argv[2] ?? 5_000_000);
const KEY_BYTES = 11;
const keys = Buffer.from(Array.from({ length: 3000 }, (_, i) => `key:${2_130_000 + i}`).join(''));
const out = Buffer.allocUnsafe(256 * 1024);
const view = new DataView(out.buffer, out.byteOffset, out.length);
const HEX = '0123456789abcdef';
// Two hex digits of a byte as one little-endian 16-bit value.
const HEX_PAIR = Uint16Array.from({ length: 256 }, (_, b) => HEX.charCodeAt(b >> 4) | (HEX.charCodeAt(b & 15) << 8));
const middle = Buffer.from(',string,string,embstr,8,9,72,8');
const tail = Buffer.from(',,,,,,false\n');

/** Writes `LINES` lines; returns ns per line and the bytes written. */
function writeLines(variant) {
  let pos = 0;
  let written = 0;
  let middleStart = -1;
  let middleEnd = -1;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < LINES; i++) {
    if (pos + 200 > out.length) {
      written += pos;
      pos = 0;
      middleStart = -1;
    }
    let p = pos;
    out[p++] = 0x30; // db 0
    out[p++] = 0x2c;
    const k = (i % 3000) * KEY_BYTES;
    let j = 0;
    for (; j + 1 < KEY_BYTES; j += 2) {
      const a = keys[k + j];
      const b = keys[k + j + 1];
      out[p + j] = a;
      out[p + j + 1] = b;
      view.setUint32(p + KEY_BYTES + 1 + 2 * j, HEX_PAIR[a] | (HEX_PAIR[b] << 16), true);
    }
    if (j < KEY_BYTES) {
      const b = keys[k + j];
      out[p + j] = b;
      view.setUint16(p + KEY_BYTES + 1 + 2 * j, HEX_PAIR[b], true);
    }
    out[p + KEY_BYTES] = 0x2c;
    p += 3 * KEY_BYTES + 1;
    if (variant === 'copied middle' && middleStart >= 0) {
      out.copyWithin(p, middleStart, middleEnd);
      p += middleEnd - middleStart;
    } else {
      middleStart = p;
      for (let m = 0; m < middle.length; m++) out[p + m] = middle[m];
      p += middle.length;
      middleEnd = p;
    }
    if (variant === 'byte-loop tail') {
      for (let m = 0; m < tail.length; m++) out[p + m] = tail[m];
    } else out.set(tail, p);
    p += tail.length;
    pos = p;
  }
  written += pos;
  return { ns: Number(process.hrtime.bigint() - t0) / LINES, written };
}

const VARIANTS = ['byte-loop middle', 'copied middle', 'byte-loop tail'];
const best = new Map(VARIANTS.map((v) => [v, Infinity]));
let bytes = 0;
for (let round = 0; round < 5; round++) {
  for (const v of VARIANTS) {
    const r = writeLines(v);
    best.set(v, Math.min(best.get(v), r.ns));
    bytes = r.written;
  }
}
console.log(`${LINES} lines of ${(bytes / LINES).toFixed(0)} bytes, best of 5 rounds`);
for (const [v, ns] of best) console.log(`${v.padEnd(18)} ${ns.toFixed(1)} ns/line`);
