import { RdbError } from '../../core/errors.js';
import type { StreamGroupInfo, StreamInfo } from '../../core/record.js';
import { SizeHistogram } from '../../core/size-histogram.js';
import type { ByteReader } from '../byte-reader.js';
import type { StreamingDecoder } from './decoder.js';
import { Count, once, readCountUnit, repeat } from './loop.js';
import { blob, measureString, measured, readBlob, readStringBytes } from '../rdb-string.js';
import { readLength, readLengthBig } from '../length.js';
import { listpackSummary } from '../listpack.js';

/** Raw IDs kept for the memory model's radix-tree sizes (ValueShape.streamIds); beyond, omitted. */
const MAX_IDS_KEPT = 65_536;
/** Groups, consumers and producers kept in detail per stream; counters stay exact beyond these. */
const MAX_GROUPS_KEPT = 64;
const MAX_CONSUMERS_KEPT = 256;
const MAX_PRODUCERS_KEPT = 1024;
/**
 * IDMP iid lengths kept per stream (the memory model's Σ A(32 + len), §9.7.6). A producer whose iids
 * would pass it is not kept, and the model falls back to its estimate: the loader caps each producer
 * at idmp_max_entries ≤ 10 000 (§6.1), but a damaged count must not make one key's memory unbounded.
 */
const MAX_IIDS_KEPT = 65_536;
/** Names (groups, consumers, producer ids) longer than this are counted but not kept. */
const MAX_NAME_KEPT = 256;
/** 2^64 - 1: a -1 written through the unsigned length encoder (SCG_INVALID_ENTRIES_READ, §2.1). */
const U64_MAX = (1n << 64n) - 1n;

/** Decoding state of one stream value (types 15, 19, 21, 26, 27; rdb-format.md §6.1). */
class StreamState {
  readonly nodes = new SizeHistogram();
  largest = 0;
  readonly info: StreamInfo = {
    length: 0, nodes: 0, lastId: '0-0', firstId: null, maxDeletedId: null, entriesAdded: null,
    groups: 0, pending: 0, consumers: 0, nacked: 0, groupInfo: [], idmp: null,
  };
  group: StreamGroupInfo | null = null;
  pelSize = 0;
  consumerPending = 0;
  producerIids = 0;
  /** iid lengths kept so far over the producers (MAX_IIDS_KEPT). */
  iidsKept = 0;
  producer: { id: Uint8Array | null; iidLengths: number[] } | null = null;
  /** Raw 16-byte IDs in file order: node keys, then per group its PEL and each consumer's PEL. */
  readonly ids = new IdCollector();
  constructor(readonly typeId: number) {}
}

/** Raw 16-byte IDs appended to one growing array (no object per ID). */
class IdList {
  private bytes = new Uint8Array(16 * 16);
  private length = 0;

  add(buf: Uint8Array, at: number): void {
    if (this.length + 16 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    // Copied: buf is the read window, reused once this unit is committed.
    const out = this.bytes;
    const o = this.length;
    for (let i = 0; i < 16; i++) out[o + i] = buf[at + i]!;
    this.length = o + 16;
  }

  /** The IDs, concatenated in the order added. */
  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** Collects raw stream IDs up to MAX_IDS_KEPT in total, then gives up (memory stays bounded). */
class IdCollector {
  overflow = false;
  private total = 0;
  readonly nodes = new IdList();
  readonly groups: { pel: IdList; consumers: IdList[] }[] = [];
  private target: IdList = this.nodes;

  add(buf: Uint8Array, at: number): void {
    if (this.overflow) return;
    if (++this.total > MAX_IDS_KEPT) {
      this.overflow = true;
      return;
    }
    this.target.add(buf, at);
  }

  startGroup(): void {
    const g = { pel: new IdList(), consumers: [] as IdList[] };
    this.groups.push(g);
    this.target = g.pel;
  }

  startConsumer(): void {
    const list = new IdList();
    this.groups[this.groups.length - 1]!.consumers.push(list);
    this.target = list;
  }

  result(): { nodes: Uint8Array; groups: { pel: Uint8Array; consumers: Uint8Array[] }[] } | undefined {
    if (this.overflow) return undefined;
    return {
      nodes: this.nodes.result(),
      groups: this.groups.map((g) => ({ pel: g.pel.result(), consumers: g.consumers.map((c) => c.result()) })),
    };
  }
}

function streamId(r: ByteReader): string {
  const ms = readLengthBig(r);
  const seq = readLengthBig(r);
  return `${ms}-${seq}`;
}

/** One radix-tree node: 16-byte master ID key, then the node listpack (§6.2). */
function streamNode(r: ByteReader, s: StreamState): void {
  const at = r.offset;
  readBlob(r);
  if (blob.end - blob.start !== 16) throw new RdbError('BAD_STREAM', `stream node key of ${blob.end - blob.start} bytes (expected 16)`, at);
  const keyBuf = blob.buf;
  const keyAt = blob.start;
  readBlob(r);
  const lp = listpackSummary(blob.buf, blob.start, blob.end, blob.offset);
  if (lp.count === 0) throw new RdbError('BAD_STREAM', 'empty listpack inside stream', blob.offset);
  if (lp.largest > s.largest) s.largest = lp.largest;
  s.nodes.add(blob.end - blob.start);
  s.ids.add(keyBuf, keyAt);
}

function streamTrailer(r: ByteReader, s: StreamState): void {
  const length = readLength(r);
  const lastId = streamId(r);
  let firstId: string | null = null;
  let maxDeletedId: string | null = null;
  let entriesAdded: number | null = null;
  if (s.typeId >= 19) {
    firstId = streamId(r);
    maxDeletedId = streamId(r);
    entriesAdded = readLength(r);
  }
  const groups = readLength(r);
  Object.assign(s.info, { length, lastId, firstId, maxDeletedId, entriesAdded, groups });
}

/** A name: its bytes when short enough to keep (memory model: radix trees of names), and its length. */
const nameSlot: { bytes: Uint8Array | null; len: number } = { bytes: null, len: 0 };
function readName(r: ByteReader): void {
  const at = r.pos;
  measureString(r);
  nameSlot.len = measured.len;
  nameSlot.bytes = null;
  if (measured.len <= MAX_NAME_KEPT) {
    const end = r.pos;
    r.pos = at;
    nameSlot.bytes = readStringBytes(r);
    r.pos = end;
  }
}

function groupHeader(r: ByteReader, s: StreamState): void {
  readName(r);
  const nameBytes = nameSlot.len;
  const name = nameSlot.bytes;
  const lastDeliveredId = streamId(r);
  let entriesRead: number | null = null;
  if (s.typeId >= 19) {
    const v = readLengthBig(r);
    entriesRead = v === U64_MAX ? null : Number(v);
  }
  const pel = readLength(r);
  s.group = { nameBytes, name, pending: pel, consumers: 0, nacked: 0, entriesRead, lastDeliveredId, consumerShapes: [] };
  s.pelSize = pel;
}

/** Group PEL entry: 16-byte raw ID, 8-byte delivery time, len delivery count. */
function pelEntry(r: ByteReader, s: StreamState): void {
  const at = r.take(24);
  readLength(r);
  s.ids.add(r.buf, at);
}

/** A 16-byte raw ID of a consumer PEL. */
function consumerPelId(r: ByteReader, s: StreamState): void {
  s.ids.add(r.buf, r.take(16));
}

/** A 16-byte raw ID of the NACK zone (already counted in the group PEL). */
function rawId(r: ByteReader): void {
  r.take(16);
}

function consumerHeader(r: ByteReader, s: StreamState): void {
  readName(r);
  const nameBytes = nameSlot.len;
  const name = nameSlot.bytes;
  r.take(s.typeId >= 21 ? 16 : 8); // seen_time, then active_time from type 21 on
  const pending = readLength(r);
  s.consumerPending = pending;
  const g = s.group!;
  g.consumers++;
  if (g.consumerShapes.length < MAX_CONSUMERS_KEPT) g.consumerShapes.push({ nameBytes, pending, name });
}

function idmpHeader(r: ByteReader, s: StreamState): void {
  const durationSeconds = readLength(r);
  const maxEntries = readLength(r);
  const producers = readLength(r);
  s.info.idmp = { durationSeconds, maxEntries, producers, iidsTracked: 0, iidsAdded: 0, iidsDuplicates: 0, producerShapes: [] };
}

function producerHeader(r: ByteReader, s: StreamState): void {
  readName(r);
  const id = nameSlot.bytes;
  s.producerIids = readLength(r);
  const keep = s.info.idmp!.producerShapes.length < MAX_PRODUCERS_KEPT && s.producerIids > 0 && s.iidsKept + s.producerIids <= MAX_IIDS_KEPT;
  s.producer = keep ? { id, iidLengths: [] } : null;
  if (s.producer) {
    s.iidsKept += s.producerIids;
    s.info.idmp!.producerShapes.push(s.producer);
  }
}

function iidEntry(r: ByteReader, s: StreamState): void {
  measureString(r);
  const len = measured.len;
  readLengthBig(r);
  readLengthBig(r);
  s.producer?.iidLengths.push(len);
}

function idmpCounters(r: ByteReader, s: StreamState): void {
  const added = readLength(r);
  const dups = readLength(r);
  s.info.idmp!.iidsAdded = added;
  s.info.idmp!.iidsDuplicates = dups;
}

export const decodeStream: StreamingDecoder = function* (r, rec) {
  const s = new StreamState(rec.rdbTypeId);
  const count = new Count();
  yield* once(r, readCountUnit, count);
  s.info.nodes = count.n;
  yield* repeat(r, count.n, streamNode, s);
  yield* once(r, streamTrailer, s);
  for (let g = 0; g < s.info.groups; g++) {
    yield* once(r, groupHeader, s);
    s.ids.startGroup();
    yield* repeat(r, s.pelSize, pelEntry, s);
    const consumers = new Count();
    yield* once(r, readCountUnit, consumers);
    for (let c = 0; c < consumers.n; c++) {
      yield* once(r, consumerHeader, s);
      s.ids.startConsumer();
      yield* repeat(r, s.consumerPending, consumerPelId, s);
    }
    if (s.typeId >= 27) {
      const nacked = new Count();
      yield* once(r, readCountUnit, nacked);
      yield* repeat(r, nacked.n, rawId, s);
      s.group!.nacked = nacked.n;
    }
    const grp = s.group!;
    s.info.pending += grp.pending;
    s.info.consumers += grp.consumers;
    s.info.nacked += grp.nacked;
    if (s.info.groupInfo.length < MAX_GROUPS_KEPT) s.info.groupInfo.push(grp);
  }
  if (s.typeId >= 26) {
    yield* once(r, idmpHeader, s);
    const idmp = s.info.idmp!;
    let tracked = 0;
    for (let p = 0, n = idmp.producers; p < n; p++) {
      yield* once(r, producerHeader, s);
      yield* repeat(r, s.producerIids, iidEntry, s);
      if (s.producerIids > 0) tracked++;
      idmp.iidsTracked += s.producerIids;
    }
    // XINFO pids-tracked counts producers that still hold iids (8.8 may write producers with 0).
    idmp.producers = tracked;
    yield* once(r, idmpCounters, s);
  }
  rec.elements = s.info.length;
  rec.largestElementBytes = s.largest;
  rec.stream = s.info;
  rec.shape.nodes = s.nodes;
  const ids = s.ids.result();
  if (ids !== undefined) rec.shape.streamIds = ids;
};
