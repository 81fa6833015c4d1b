// @ts-nocheck
/**
 * The Parquet writer comparison of docs/fleet.md on real key rows: the rows of a dump as the export
 * builds them (the load pipeline's batches -> KeyColumns groups of 8 192 rows), parsed on this thread,
 * written by one writer per run:
 *
 *   npm run build && npm i --no-save parquet-wasm@0.8 apache-arrow@21
 *   for w in none hyp wasm-snappy wasm-zstd; do /usr/bin/time -f "$w %e s %U+%S cpu %M KB" \
 *     node --max-semi-space-size=4 bench/parquet-writers.mjs "$(node bench/datasets.mjs mixed | cut -f2)" $w; done
 *
 * none = parsing and building the rows only; hyp = hyparquet-writer as the export uses it.
 */
import os from 'node:os';
import path from 'node:path';
import { openInput } from '../dist/input/open-input.js';
import { parseRdb } from '../dist/rdb/index.js';
import { produceRows } from '../dist/store/produce-rows.js';
import { modelFromSpec, DEFAULT_MEMORY_SPEC } from '../dist/store/memory-spec.js';
import { DEFAULT_PATTERN_OPTIONS } from '../dist/patterns/options.js';
import { BatchRows } from '../dist/export/batch-rows.js';
import { KeyColumns } from '../dist/export/key-columns.js';
import { KEY_COLUMNS } from '../dist/export/columns.js';
import { ParquetFile } from '../dist/export/parquet-file.js';
import { WriterAggregation } from '../dist/store/writer-aggregation.js';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { createWriteStream, statSync } from 'node:fs';
import { Writable } from 'node:stream';

const [dumpPath, which] = process.argv.slice(2);
const out = path.join(os.tmpdir(), `rdbscope-writer-${which}.parquet`);
const t0 = performance.now();
let groupsQueue = [];
let wake = null;
const sink = which === 'hyp' ? new ParquetFile(out + '.tmp', KEY_COLUMNS, { statistics: false })
  : { writeGroup(values) { groupsQueue.push(values.map((v) => Array.from(v))); wake?.(); }, rows: 0 };
const cols = new KeyColumns(sink, 'sha256-edges:x');
const rows = new BatchRows(cols);
const deferred = new WriterAggregation(DEFAULT_PATTERN_OPTIONS);
async function parse() {
  const src = produceRows(async () => { const input = await openInput(dumpPath); return { input, parse: parseRdb(input.chunks, { fileName: dumpPath }) }; },
    { mtimeMs: 0, patterns: DEFAULT_PATTERN_OPTIONS, memoryModel: modelFromSpec(DEFAULT_MEMORY_SPEC) });
  for await (const m of src) {
    if (m.t === 'batch') rows.add(m.rows, deferred.take(m.rows));
    if (which === 'none') groupsQueue.length = 0;
    else if (which !== 'hyp') while (groupsQueue.length > 4) await new Promise((r) => setImmediate(r));
  }
  cols.flush();
}
if (which === 'hyp' || which === 'none') {
  await parse();
  if (which === 'hyp') sink.commit(out);
} else {
  const codec = which === 'wasm-zstd' ? pw.Compression.ZSTD : pw.Compression.SNAPPY;
  const props = new pw.WriterPropertiesBuilder().setCompression(codec).setMaxRowGroupSize(8192).build();
  const types = KEY_COLUMNS.map((c) => c.kind === 'int64' ? new arrow.Int64() : c.kind === 'int32' ? new arrow.Int32() : c.kind === 'binary' ? new arrow.Binary() : new arrow.Utf8());
  const done = { v: false };
  const parsing = parse().then(() => { done.v = true; wake?.(); });
  async function* batches() {
    for (;;) {
      while (groupsQueue.length === 0 && !done.v) await new Promise((r) => (wake = r));
      const g = groupsQueue.shift();
      if (!g) return;
      const vectors = {};
      KEY_COLUMNS.forEach((c, i) => {
        const t = types[i];
        const data = c.kind === 'int64' ? g[i].map((v) => (v === null ? null : BigInt(v))) : c.kind === 'string' ? g[i].map((v) => (v === null ? null : Buffer.from(v).toString())) : g[i];
        vectors[c.name] = arrow.vectorFromArray(data, t);
      });
      const wt = pw.Table.fromIPCStream(arrow.tableToIPC(new arrow.Table(vectors), 'stream'));
      for (const b of wt.recordBatches()) yield b;
    }
  }
  const stream = await pw.transformParquetStream(ReadableStream.from(batches()), props);
  await stream.pipeTo(Writable.toWeb(createWriteStream(out)));
  await parsing;
}
console.log(which, ((performance.now() - t0) / 1000).toFixed(2), 's', which === 'none' ? '' : (statSync(out).size / 1e6).toFixed(1) + ' MB');
