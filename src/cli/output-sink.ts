import { chmodSync, createWriteStream, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { replacedFile, type Replaced } from './replaced-file.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Where a command streams its output: stdout, or a file (--out), written piece by piece with
 * back-pressure so memory stays bounded however much is printed. A reader that leaves (`| head`)
 * ends the output quietly; `closed` tells the command to stop producing it.
 *
 * A regular file is written under a temporary name in its directory and renamed over --out only
 * when whole (end()): a program reading --out at any moment, as node_exporter's textfile collector
 * reads its *.prom files ("write to a temporary file and move it", node_exporter README, Textfile
 * Collector), sees the old file or the new one, never half of one, and a failed run (abort())
 * leaves the old one. rename(2) is atomic within one file system, hence the same directory.
 * Anything else (/dev/stdout, a FIFO, /dev/full) is written in place: it cannot be renamed over.
 */
export class OutputSink {
  private readonly stream: Writable;
  /** The temporary name beside --out, or null when --out is written in place (or stdout). */
  private readonly temp: string | null;
  /** Where the temporary file goes when whole: --out, or the file a symbolic link --out names; null: none. */
  private readonly target: Replaced | null | undefined;
  private gone = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  /** The stream said it holds more than it wants: settle() waits for its drain. */
  private backlog = false;

  constructor(private readonly file?: string) {
    // A short name of its own, not derived from `file`: --out may take all 255 bytes of a file name
    // (NAME_MAX), as html's page temporary name does.
    this.target = file === undefined ? undefined : replacedFile(file);
    this.temp = this.target !== undefined && this.target !== null ? join(dirname(this.target.path), `.rdbscope-out.${process.pid}.tmp`) : null;
    this.stream = file === undefined ? process.stdout : createWriteStream(this.temp ?? file);
    const end = (e?: NodeJS.ErrnoException) => {
      // stdout's EPIPE is the reader leaving; a file that cannot be written is an error.
      if (e && file !== undefined) this.failed(e);
      this.gone = true;
      this.wake?.();
    };
    this.stream.on('error', end);
    this.stream.on('close', () => end());
    // Ctrl-C, or a cron `timeout` (SIGTERM): the unfinished temporary file goes too, not left
    // beside --out run after run. Exit statuses 128 + signal number, as a shell reports them.
    if (this.temp !== null) for (const signal of SIGNALS) process.once(signal, this.interrupted);
  }

  private readonly interrupted = (signal: NodeJS.Signals): void => {
    this.removeTemp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };

  /** The first fault of writing the --out file, named by the file (node's text names the syscall). */
  private failed(e: Error): void {
    this.failure ??= new Error(`cannot write --out ${this.file}: ${e.message.replace(/, (write|open|rename) .*$|, write$/, '')}`);
  }

  get closed(): boolean {
    return this.gone;
  }

  /** Writes, then waits while the stream holds more than it wants (or until it is gone). */
  async write(s: string): Promise<void> {
    this.push(s);
    await this.settle();
  }

  /**
   * Writes without waiting: for a producer that cannot wait between two pieces (a synchronous
   * visitor), which must call settle() before it produces much more. True when the stream holds
   * nothing afterwards: the chunk went to the OS during the call (stdout on a file, and on a pipe
   * on Linux, is written synchronously; Node docs, "A note on process I/O"), and its memory may be
   * written again. False when the stream keeps it (an asynchronous write) or dropped it.
   */
  push(chunk: string | Uint8Array): boolean {
    if (this.failure) throw this.failure;
    if (this.gone || chunk.length === 0) return false;
    if (!this.stream.write(chunk)) this.backlog = true;
    return this.stream.writableLength === 0;
  }

  /** Waits while the stream holds more than it wants (or until it is gone). */
  async settle(): Promise<void> {
    if (this.backlog && !this.gone) {
      this.backlog = false;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done);
          this.wake = null;
          resolve();
        };
        this.wake = done;
        this.stream.once('drain', done);
      });
    }
    if (this.failure) throw this.failure;
  }

  /**
   * Writes each piece, pulling the next only once the last is taken, and stops pulling when the reader
   * has gone: leaving the loop closes the iterator (resultPieces: and the query it reads).
   */
  async writeEach(pieces: Iterable<string>): Promise<void> {
    for (const piece of pieces) {
      await this.write(piece);
      if (this.gone) break;
    }
  }

  /** Flushes and closes a file, and puts it at --out; stdout stays open. */
  async end(): Promise<void> {
    if (this.stream === process.stdout) {
      if (this.failure) throw this.failure;
      return;
    }
    if (!this.gone) {
      // end()'s callback gets the stream's error before its 'error' event is emitted: a write that
      // failed at the last flush (ENOSPC on a full disk) is known here or never.
      await new Promise<void>((resolve) => this.stream.end((e?: Error | null) => {
        if (e) this.failed(e);
        resolve();
      }));
    }
    if (this.failure === null && this.temp !== null) {
      for (const signal of SIGNALS) process.off(signal, this.interrupted);
      try {
        // The file replaced keeps its permission bits: under a umask of 077 the new one was
        // unreadable to node_exporter, which reads the textfile directory as another user.
        if (this.target!.mode !== null) chmodSync(this.temp, this.target!.mode);
        renameSync(this.temp, this.target!.path);
      } catch (e) {
        this.failed(e as Error);
      }
    }
    if (this.failure) {
      this.removeTemp();
      throw this.failure;
    }
  }

  /** The output stops unfinished (its producer failed): --out keeps what it held before. */
  abort(): void {
    if (this.stream === process.stdout) return;
    this.stream.destroy();
    this.removeTemp();
  }

  private removeTemp(): void {
    for (const signal of SIGNALS) process.off(signal, this.interrupted);
    if (this.temp !== null) rmSync(this.temp, { force: true });
  }
}

