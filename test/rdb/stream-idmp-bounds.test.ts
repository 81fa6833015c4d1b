/**
 * IDMP producers of a type-26/27 stream (rdb-format.md §6.1): the iid lengths kept for the memory
 * model are bounded per stream. Before, every iid's length was pushed, so a stream whose producer
 * claims millions of iids (the loader caps a producer at idmp_max_entries ≤ 10 000) grew one array
 * with the key's size.
 */
import { describe, expect, it } from 'vitest';
import { RdbWriter, TYPE } from '../support/rdb-writer.js';
import { parseBytes } from '../hostile/helpers.js';

/** A stream of no entries and no groups, then the IDMP trailer with producers of `iids[p]` iids each. */
function idmpStream(iids: number[]): Uint8Array {
  const w = new RdbWriter({ version: 13 }).selectDb(0).key(TYPE.STREAM_LISTPACKS_4, 'x');
  // 0 nodes; length 0; last id 0-0; first id 0-0; max deleted 0-0; entries added 0; 0 groups.
  w.len(0).len(0).len(0).len(0).len(0).len(0).len(0).len(0).len(0).len(0);
  // idmp_duration 100, idmp_max_entries 100, producers.
  w.len(100).len(100).len(iids.length);
  iids.forEach((n, p) => {
    w.string(`producer-${p}`).len(n);
    for (let i = 0; i < n; i++) w.string(`m${i % 10}`).len(1700000000000 + i).len(0);
  });
  return w.len(7).len(0).finish();
}

describe('stream IDMP iids kept for the memory model', () => {
  it('a few producers: every iid length kept', async () => {
    const { records, error } = await parseBytes(idmpStream([3, 0, 2]));
    expect(error).toBeNull();
    const idmp = records[0]!.stream!.idmp!;
    expect(idmp.producers).toBe(2);
    expect(idmp.iidsTracked).toBe(5);
    expect(idmp.producerShapes.map((p) => p.iidLengths)).toEqual([[2, 2, 2], [2, 2]]);
  });

  it('iids beyond 65 536 in one stream: that producer is counted, not kept (the model then estimates)', async () => {
    const { records, error } = await parseBytes(idmpStream([10, 70_000, 5]));
    expect(error).toBeNull();
    const idmp = records[0]!.stream!.idmp!;
    expect(idmp.producers).toBe(3);
    expect(idmp.iidsTracked).toBe(70_015);
    expect(idmp.producerShapes.map((p) => p.iidLengths.length)).toEqual([10, 5]);
    expect(idmp.iidsAdded).toBe(7);
  });
});
