import { humanBytes } from '../output/human-units.js';
import type { LoadProgress } from '../store/load-snapshot.js';

/**
 * One self-overwriting status line on stderr during a load: bytes read of total, keys/s, ETA.
 * Silent unless stderr is a terminal (and not --quiet), so logs and pipes stay clean.
 */
export class ProgressLine {
  private readonly started = Date.now();
  private last = 0;
  private shown = false;

  constructor(
    private readonly label: string,
    private readonly enabled: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(p: LoadProgress): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const secs = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(p.keys / secs);
    let text = `${this.label}: ${humanBytes(p.bytesIn)}`;
    if (p.fileBytes) {
      const frac = Math.min(p.bytesIn / p.fileBytes, 1);
      text += ` of ${humanBytes(p.fileBytes)} (${(frac * 100).toFixed(0)}%)`;
      if (frac > 0.01) text += `, ETA ${Math.round((secs / frac) * (1 - frac))}s`;
    }
    text += `, ${p.keys} keys, ${rate} keys/s`;
    this.stream.write(`\r\x1b[K${text}`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}

export function progressEnabled(quiet: boolean | undefined): boolean {
  return !quiet && process.stderr.isTTY === true;
}
