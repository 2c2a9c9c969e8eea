/**
 * Message identities: command ids, event ids, intent ids and request ids as canonical version-4
 * UUID text drawn from the seeded source (so a simulated run names its messages identically
 * every time), and the human-readable counters used for client order ids, venue ids and trades.
 */
import { uuid4FromRawBytes } from '@tapelog/core';
import type { SeededRandom } from './random.js';

export class IdGenerator {
  readonly #random: SeededRandom;
  readonly #scratch = new Uint8Array(16);

  constructor(random: SeededRandom) {
    this.#random = random;
  }

  /** A fresh version-4 UUID, canonical lowercase text, valid as a tapelog header. */
  uuid(): string {
    return uuid4FromRawBytes(this.#random.fillBytes(this.#scratch));
  }
}

/**
 * Ids of the form `<prefix>-<n>`: order and trade ids people read in logs. The counter can be
 * moved past ids that already exist (restored from a predecessor run) so ids never collide.
 */
export class SequentialIds {
  readonly prefix: string;
  #next: number;

  constructor(prefix: string, start = 1) {
    this.prefix = prefix;
    this.#next = start;
  }

  next(): string {
    return `${this.prefix}-${this.#next++}`;
  }

  /** Makes the next id larger than every id in `existing` that carries this prefix. */
  skipPast(existing: Iterable<string>): void {
    const head = `${this.prefix}-`;
    for (const id of existing) {
      if (!id.startsWith(head)) continue;
      const counter = Number(id.slice(head.length));
      if (Number.isSafeInteger(counter) && counter >= this.#next) this.#next = counter + 1;
    }
  }
}
