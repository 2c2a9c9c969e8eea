/**
 * The bounded memory of identities a capture adapter has already seen, so a message that crosses
 * two bus boundaries (an order event sent to the portfolio, then published to the strategy) is
 * recorded once. Oldest-inserted identities are forgotten first; memory stays flat.
 */

/** Duplicate dispatches land within one engine cycle, so a short window is enough. */
export const RECENT_IDENTITY_CAPACITY = 128;

export class RecentIdentityWindow {
  readonly #members = new Set<string>();
  readonly #ring: Array<string | undefined>;
  #next = 0;

  constructor(capacity = RECENT_IDENTITY_CAPACITY) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.#ring = new Array<string | undefined>(capacity).fill(undefined);
  }

  /**
   * Records `identity` and returns true when it is new; returns false, changing nothing, when
   * it is already in the window (seeing it again does not refresh its position).
   */
  remember(identity: string): boolean {
    if (this.#members.has(identity)) return false;
    const evicted = this.#ring[this.#next];
    if (evicted !== undefined) this.#members.delete(evicted);
    this.#ring[this.#next] = identity;
    this.#next = (this.#next + 1) % this.#ring.length;
    this.#members.add(identity);
    return true;
  }

  has(identity: string): boolean {
    return this.#members.has(identity);
  }

  get size(): number {
    return this.#members.size;
  }
}
