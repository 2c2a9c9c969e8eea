/**
 * One run's halt signal: a flag and the first reason. A halt ends the run that fired it, not
 * the kernel: the lifecycle re-arms a fresh signal for every run it opens.
 */
import type { HaltReason } from '@tapelog/writer';

export class HaltSignal {
  #reason: HaltReason | undefined;
  #halted = false;
  readonly #listeners: Array<(reason: HaltReason) => void> = [];

  /** The callback handed to writers and adapters. The first reason wins; the flag is set after it. */
  readonly callback = (reason: HaltReason): void => {
    const first = !this.#halted;
    if (this.#reason === undefined) this.#reason = reason;
    this.#halted = true;
    if (first) for (const listener of this.#listeners.splice(0)) listener(this.#reason);
  };

  get isHalted(): boolean {
    return this.#halted;
  }

  get reason(): HaltReason | undefined {
    return this.#reason;
  }

  /** Calls `listener` once, when the signal fires (at once if it already has). */
  onHalt(listener: (reason: HaltReason) => void): void {
    if (this.#halted) listener(this.#reason!);
    else this.#listeners.push(listener);
  }
}
