/** Clocks: a simulated one for tests and simulation, and a real one that never repeats a value. */
import type { Clock } from './types.js';

/** A clock that only moves when told to. */
export class SimulatedClock implements Clock {
  #now: bigint;

  constructor(start = 0n) {
    this.#now = start;
  }

  now(): bigint {
    return this.#now;
  }

  set(ns: bigint): void {
    if (ns < this.#now) throw new RangeError(`a simulated clock cannot go backwards (${this.#now} → ${ns})`);
    this.#now = ns;
  }

  advance(ns: bigint): bigint {
    if (ns < 0n) throw new RangeError('cannot advance by a negative duration');
    this.#now += ns;
    return this.#now;
  }
}

const ORIGIN_MS = BigInt(Date.now()) * 1_000_000n;
const ORIGIN_HR = process.hrtime.bigint();

/** Wall-clock nanoseconds (epoch-anchored, monotonic between reads), strictly increasing. */
export class RealtimeClock implements Clock {
  #last = 0n;

  now(): bigint {
    const reading = ORIGIN_MS + (process.hrtime.bigint() - ORIGIN_HR);
    this.#last = reading > this.#last ? reading : this.#last + 1n;
    return this.#last;
  }
}
