/**
 * A one-line progress bar for long scans, drawn on stderr only when stderr is a terminal (so
 * pipes, logs and scripts never see it), redrawn at most ten times a second.
 */

const WIDTH = 30;
const REDRAW_INTERVAL_MS = 100;

export class ProgressBar {
  readonly #stream: NodeJS.WriteStream;
  readonly #label: string;
  readonly #enabled: boolean;
  #lastDraw = 0;
  #drawn = false;

  constructor(label: string, stream: NodeJS.WriteStream = process.stderr, enabled = stream.isTTY === true) {
    this.#stream = stream;
    this.#label = label;
    this.#enabled = enabled;
  }

  update(done: number, total: number): void {
    if (!this.#enabled || total <= 0) return;
    const now = Date.now();
    if (now - this.#lastDraw < REDRAW_INTERVAL_MS && done < total) return;
    this.#lastDraw = now;
    const fraction = Math.min(1, done / total);
    const filled = Math.round(fraction * WIDTH);
    const percent = Math.floor(fraction * 100)
      .toString()
      .padStart(3);
    this.#stream.write(`\r${this.#label} [${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${percent}% ${done}/${total} entries`);
    this.#drawn = true;
  }

  /** Erases the bar so the next line starts clean. */
  finish(): void {
    if (!this.#drawn) return;
    this.#stream.write('\r\u001b[2K');
    this.#drawn = false;
  }
}
