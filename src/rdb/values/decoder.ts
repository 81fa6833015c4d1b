import type { KeyRecord } from '../../core/record.js';
import type { ByteReader } from '../byte-reader.js';

/** What a decoder may need to know about the file beyond the bytes of the value. */
export interface DecodeContext {
  magic: 'REDIS' | 'VALKEY';
  version: number;
  /** The loading server's compact-encoding limits, or null: gather everything (see CompactLimits). */
  limits: CompactLimits | null;
}

/**
 * The loading server's element limits for compact encodings (`hash-`, `zset-`, `set-max-listpack-
 * entries`, `set-max-intset-entries`; rdb-format.md §9.5). They bound the per-element work a parse
 * does for the memory model, which asks only what the server will build:
 * - a hash-table hash or set, or a skiplist zset, of at most `hash` / `set` / `zset` elements may
 *   become a listpack on load: only then is the size of that listpack added up
 *   (ValueShape.listpackBytes; null above);
 * - a listpack hash of at most `hash` elements, an intset of at most `intset`, is kept as loaded:
 *   only above are its element lengths gathered (ValueShape.members / values) for the table it
 *   becomes.
 * Without limits (null) both are done: sizing up to LISTPACK_SIZING_LIMIT elements, lengths always.
 */
export interface CompactLimits {
  hash: number;
  zset: number;
  set: number;
  intset: number;
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
