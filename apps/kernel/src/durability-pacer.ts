/**
 * Simulated time waits for the store: when more entries await durability than the writer's
 * queue comfortably holds, the kernel stops trading until the backlog is halved, so a slow disk
 * slows a simulated run down instead of filling the queue and halting it. (On the wall clock the
 * market does not wait, so a real-time run keeps the backpressure halt.)
 */
import type { EventStoreWriter } from '@tapelog/writer';

/** Backlog (accepted, not yet durable) above which the kernel waits: well inside the default queue of 10,000. */
export const DEFAULT_BACKLOG_LIMIT = 4_000;

export class DurabilityPacer {
  readonly #limit: number;
  #waitedMilliseconds = 0;
  #waits = 0;

  constructor(limit = DEFAULT_BACKLOG_LIMIT) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`backlog limit must be a positive integer, got ${limit}`);
    this.#limit = limit;
  }

  /** Wall time spent waiting for the store, milliseconds. */
  get waitedMilliseconds(): number {
    return this.#waitedMilliseconds;
  }

  /** How many times the kernel had to wait. */
  get waits(): number {
    return this.#waits;
  }

  /**
   * Waits until at most half the limit awaits durability, when more than the limit does. A
   * writer that halts or closes ends the wait; the caller's halt check takes it from there.
   */
  async pace(writer: EventStoreWriter | undefined): Promise<void> {
    if (writer === undefined || writer.halted) return;
    const accepted = writer.acceptedSeq;
    if (accepted - writer.highWatermark <= this.#limit) return;
    const start = performance.now();
    this.#waits++;
    try {
      await writer.waitForDurable(accepted - (this.#limit >>> 1));
    } catch {
      // A halted or closed writer: nothing more becomes durable, and the run stops on the halt.
    } finally {
      this.#waitedMilliseconds += performance.now() - start;
    }
  }
}
