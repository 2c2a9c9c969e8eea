/**
 * A count of the entries capture handed to the writer, shared with the market-data marker
 * sidecar, which stamps it on each cursor snapshot as "event entries submitted before this".
 */

export class SubmitCounter {
  #value: number;

  /** `initial` seeds entries submitted outside the adapter (the lifecycle's RunStarted). */
  constructor(initial = 0) {
    if (!Number.isSafeInteger(initial) || initial < 0) throw new RangeError(`initial must be a non-negative safe integer, got ${initial}`);
    this.#value = initial;
  }

  get value(): number {
    return this.#value;
  }

  /** Adds one and returns the new value. */
  increment(): number {
    return ++this.#value;
  }
}
