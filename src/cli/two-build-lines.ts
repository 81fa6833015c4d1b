import type { KeyRecord } from '../core/record.js';
import { ByteLines } from '../output/byte-lines.js';
import type { KeyLineWriter } from '../output/key-lines.js';
import { PrefixEvidence, PREFIX_KEYS, type PrefixScale } from '../store/build-guess.js';
import type { MemoryModel } from '../store/produce-rows.js';

/**
 * Line bytes held at most (both builds): keys with long names (a line holds a key twice, as text
 * and hex) decide on fewer keys rather than hold 16 384 of them, so memory stays bounded.
 */
const MAX_HELD_BYTES = 32 << 20;

/**
 * The first lines of `keys` written under both allocator builds of the dump's release (the official
 * one and a distro build's, memory/build-choice.ts), held until the keys seen say which build wrote
 * the dump, as `load` first decides (store/build-guess.ts: both builds' sums over PREFIX_KEYS keys,
 * or fewer when their lines pass MAX_HELD_BYTES, scaled to the file by bytes against `used-mem`).
 * Then the decided build's lines are printed, the other's dropped, and every later key is estimated
 * with that build alone: a dump written by Debian's redis-server gets the estimates its MEMORY USAGE
 * gives. `load` also checks the decision on the whole file at its end and switches its rows to the
 * other build (or reads the dump again) when it was wrong; a stream is read once, so here the
 * decision of the first keys is final, and DumpBuildCheck (dump-build-check.ts) says at the end when
 * the whole dump points to the other build.
 */
export class TwoBuildLines {
  private readonly evidence: PrefixEvidence;
  private readonly mineChunks: Buffer[] = [];
  private readonly twinChunks: Buffer[] = [];
  private readonly mineLines: ByteLines;
  private readonly twinLines: ByteLines;
  private seen = 0;
  /** Bytes of the full buffers held so far, both builds. */
  private heldBytes = 0;

  /** `model` must decide by its first keys (build-guess.ts prefixDecides). */
  constructor(
    model: MemoryModel,
    private readonly writer: KeyLineWriter,
    lineBufferBytes: number,
  ) {
    this.evidence = new PrefixEvidence(model);
    // Held, not written: each full buffer is kept and a new one filled.
    this.mineLines = new ByteLines((chunk) => this.hold(this.mineChunks, chunk), lineBufferBytes);
    this.twinLines = new ByteLines((chunk) => this.hold(this.twinChunks, chunk), lineBufferBytes);
  }

  /**
   * Adds a key: every key is evidence (used-mem counts them all); a `printed` one gets its line under
   * each build that `wanted` accepts with that build's estimate (--min-bytes). True once the
   * decision is due (take it with decide() before the next key).
   */
  add(rec: KeyRecord, printed: boolean, wanted: (rec: KeyRecord) => boolean): boolean {
    const both = this.evidence.add(rec);
    this.seen++;
    if (printed) {
      rec.memory = both === null ? undefined : both.mine;
      if (wanted(rec)) this.writer.line(this.mineLines, rec);
      rec.memory = both === null ? undefined : both.twin;
      if (wanted(rec)) this.writer.line(this.twinLines, rec);
    }
    return this.seen >= PREFIX_KEYS || this.heldBytes >= MAX_HELD_BYTES;
  }

  private hold(chunks: Buffer[], chunk: Buffer): void {
    chunks.push(chunk);
    this.heldBytes += chunk.buffer.byteLength;
  }

  /**
   * The model to go on with, the held lines written with it (in order), the evidence it was decided
   * on and the number of keys that evidence holds.
   */
  decide(scale: PrefixScale): { model: MemoryModel; lines: Buffer[]; evidence: PrefixEvidence; keys: number } {
    const model = this.evidence.decide(scale);
    this.mineLines.flush();
    this.twinLines.flush();
    return { model, lines: model.twinIsDefault === true ? this.twinChunks : this.mineChunks, evidence: this.evidence, keys: this.seen };
  }
}
