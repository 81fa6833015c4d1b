import type { KeyRecord } from '../../core/record.js';
import type { ByteReader } from '../byte-reader.js';

/** What a decoder may need to know about the file beyond the bytes of the value. */
export interface DecodeContext {
  magic: 'REDIS' | 'VALKEY';
  version: number;
  sizing: ListpackSizing;
}

/**
 * Largest element counts for which decoders add up the listpack that a hash-table hash, a
 * hash-table set or a skiplist zset would become on load (ValueShape.listpackBytes, null above).
 * A server keeps such a value compact only within its `*-max-listpack-entries` (rdb-format.md
 * §9.5), so a caller that knows the loading server's thresholds passes them, and the per-element
 * sizing of values that cannot stay compact is skipped (most of the zset and hash work of a parse).
 */
export interface ListpackSizing {
  hash: number;
  zset: number;
  set: number;
}

/**
 * Decodes a value whose encoded size is bounded by the server's encoding thresholds (strings,
 * which only skip their payload, and single blobs). Runs atomically: on INCOMPLETE the whole
 * record is retried once more input has arrived.
 */
export type AtomicDecoder = (r: ByteReader, rec: KeyRecord, ctx: DecodeContext) => void;

/**
 * Decodes a value that may be arbitrarily large (aggregates with one entry per element, streams,
 * modules). It commits after each element and yields when the next one has not fully arrived, so
 * only one element is ever held.
 */
export type StreamingDecoder = (r: ByteReader, rec: KeyRecord, ctx: DecodeContext) => Generator<void, void, void>;

export type ValueDecoder = { kind: 'atomic'; decode: AtomicDecoder } | { kind: 'streaming'; decode: StreamingDecoder };
