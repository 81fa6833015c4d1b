import { keyPattern } from '../patterns/key-pattern.js';
import { PatternInterner } from '../patterns/pattern-interner.js';
import type { PatternOptions } from '../patterns/options.js';
import { isEmptyCollection } from '../core/record.js';
import { printable } from '../rdb/printable.js';
import type { KindDef } from './kind-ids.js';
import { LoadAggregates, type AggregateRows } from './load-aggregates.js';
import { N_ELEMENTS, N_EXPIRE, N_KIND, N_MEMORY, N_OTHER_BUILD, N_PATTERN, N_VALUE_BYTES, NUMS, UNRESOLVED_PATTERN, type RowBatch } from './row-batch.js';
import { ttlBucketIndex } from './ttl-buckets.js';

/**
 * The part of a load's per-key work that the writer thread takes over while it would otherwise
 * wait for the worker: key pattern, printable text and aggregates of the rows in batches the worker
 * left to it (RowBatch.deferredAt; the worker defers while the writer keeps up, see
 * produce-rows.ts). Everything it needs is in the batch: the key bytes, the kind, the numbers.
 * At the end its aggregates are merged with the worker's (mergeAggregateRows). Rows that carry
 * the other allocator build's estimate (RowBatch.otherBuild) are added to that build's aggregates too.
 */
export class WriterAggregation {
  private readonly defs: KindDef[] = [];
  private readonly interner: PatternInterner;
  private readonly aggregates: LoadAggregates;
  /** Made by the first deferred batch that carries the other build (RowBatch.otherBuild). */
  private otherBuild: LoadAggregates | null = null;
  private used = false;

  constructor(private readonly options: PatternOptions, private readonly maxPatterns?: number) {
    this.interner = new PatternInterner(options);
    this.aggregates = new LoadAggregates({ defs: this.defs }, maxPatterns);
  }

  /**
   * Follows the batch's kind dictionary; for a deferred batch, returns each row's pattern (the
   * caller turns them into ids) after filling the batch's printable texts and adding its rows to
   * the aggregates. Null for a batch the worker completed.
   */
  take(b: RowBatch): string[] | null {
    for (const k of b.newKinds) this.defs.push(k);
    if (b.deferredAt === null) return null;
    this.used = true;
    const other = b.otherBuild ? (this.otherBuild ??= new LoadAggregates({ defs: this.defs }, this.maxPatterns)) : null;
    const t0 = b.deferredAt;
    const nums = b.nums;
    const bytes = b.keyBytes;
    const patterns: string[] = new Array<string>(b.n);
    let start = 0;
    for (let i = 0; i < b.n; i++) {
      const o = i * NUMS;
      const end = b.keyEnds[i]!;
      if (nums[o + N_PATTERN] !== UNRESOLVED_PATTERN) throw new Error('deferred batch with a resolved pattern');
      let pattern = this.interner.plainPattern(bytes, start, end);
      if (pattern === null) {
        const text = printable(bytes.subarray(start, end));
        pattern = keyPattern(text, this.options);
        if (text.length !== end - start) b.printable.push([i, text]);
      }
      patterns[i] = pattern;
      start = end;
      const kind = nums[o + N_KIND]!;
      const type = this.defs[kind]!.type;
      // Like produceRows: an empty collection (a server drops it on load) is in no aggregate.
      if (nums[o + N_ELEMENTS] === 0 && isEmptyCollection({ type, elements: 0 })) continue;
      const expire = nums[o + N_EXPIRE]!;
      const memory = nums[o + N_MEMORY]!;
      const valueBytes = nums[o + N_VALUE_BYTES]!;
      const untimed = expire !== expire;
      const bucket = ttlBucketIndex(untimed ? null : expire, t0);
      this.aggregates.add(kind, type, pattern, bucket, untimed, valueBytes, memory, memory === memory ? memory : valueBytes);
      if (other !== null) {
        const m = memory + nums[o + N_OTHER_BUILD]!;
        other.add(kind, type, pattern, bucket, untimed, valueBytes, m, m === m ? m : valueBytes);
      }
    }
    return patterns;
  }

  /** The aggregates of the deferred rows, or null when no batch was deferred. */
  rows(): AggregateRows | null {
    return this.used ? this.aggregates.rows() : null;
  }

  /** The other build's aggregates of the deferred rows that carry it, or null when none did. */
  otherBuildRows(): AggregateRows | null {
    return this.otherBuild?.rows() ?? null;
  }
}
