/**
 * Where markers read the shared submit count: the seq of the most recently submitted event-store
 * entry (capture's `SubmitCounter` is one). The
 * capture adapter advances it on each successful submit; markers only read it, to stamp
 * `eventSeqBefore`. Any object with a numeric `value` (a getter works) fits.
 */

export interface SubmitCountSource {
  readonly value: number;
}

/** A counter owned by the caller, for wiring without a capture adapter (tests, simulation). */
export interface MutableSubmitCounter extends SubmitCountSource {
  value: number;
  /** Counts one submitted entry and returns the new value. */
  increment(): number;
}

/** A plain counter seeded with the entry high-watermark at marker setup (1 after `RunStarted`). */
export function createSubmitCounter(seed = 0): MutableSubmitCounter {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`a submit counter starts at a non-negative safe integer, got ${seed}`);
  return {
    value: seed,
    increment() {
      return ++this.value;
    },
  };
}
