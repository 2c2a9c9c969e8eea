/**
 * The seeded pseudo-random source of the simulation: every random choice the kernel makes comes
 * from here, so the same seed replays the same market, the same latencies and the same ids.
 */

const MASK_64 = (1n << 64n) - 1n;

/** SplitMix64: spreads one 64-bit seed into well-mixed words for the generator state. */
function splitMix64(state: { value: bigint }): bigint {
  state.value = (state.value + 0x9e3779b97f4a7c15n) & MASK_64;
  let z = state.value;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
  return z ^ (z >> 31n);
}

/** FNV-1a over a label, so forks are named by stable text rather than by call order. */
function hashLabel(label: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < label.length; i++) {
    hash ^= BigInt(label.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & MASK_64;
  }
  return hash;
}

/**
 * xoshiro128** over four 32-bit words: integer-only (no floating point anywhere, so results
 * cannot drift between machines) and fast enough for the market-data hot path.
 */
export class SeededRandom {
  readonly seed: bigint;
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: bigint) {
    if (typeof seed !== 'bigint' || seed < 0n || seed > MASK_64) {
      throw new RangeError(`a seed is an unsigned 64-bit bigint, got ${String(seed)}`);
    }
    this.seed = seed;
    const state = { value: seed };
    const first = splitMix64(state);
    const second = splitMix64(state);
    this.#a = Number(first & 0xffffffffn) | 0;
    this.#b = Number(first >> 32n) | 0;
    this.#c = Number(second & 0xffffffffn) | 0;
    this.#d = Number(second >> 32n) | 0;
    // An all-zero state would only ever produce zeros.
    if ((this.#a | this.#b | this.#c | this.#d) === 0) this.#a = 1;
  }

  /**
   * An independent stream named by `label`: components draw from their own fork, so a change in
   * how often one component draws does not shift the numbers any other component sees.
   */
  fork(label: string): SeededRandom {
    return new SeededRandom((this.seed ^ hashLabel(label)) & MASK_64);
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotateLeft(Math.imul(this.#b, 5), 7), 9);
    const shifted = this.#b << 9;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= shifted;
    this.#d = rotateLeft(this.#d, 11);
    return result >>> 0;
  }

  /** A uniform integer in [0, bound), without modulo bias; bound ≤ 2^32. */
  nextInt(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0 || bound > 0x1_0000_0000) {
      throw new RangeError(`bound must be an integer in [1, 2^32], got ${bound}`);
    }
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % bound);
    for (;;) {
      const value = this.nextUint32();
      if (value < limit) return value % bound;
    }
  }

  /** A uniform integer in [low, high], both inclusive. */
  nextIntBetween(low: number, high: number): number {
    if (high < low) throw new RangeError(`empty range [${low}, ${high}]`);
    return low + this.nextInt(high - low + 1);
  }

  /** True with probability numerator / denominator, decided on integers. */
  chance(numerator: number, denominator: number): boolean {
    return this.nextInt(denominator) < numerator;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.nextInt(items.length)]!;
  }

  /** Fills `out` with random bytes. */
  fillBytes(out: Uint8Array): Uint8Array {
    for (let i = 0; i < out.length; i += 4) {
      let word = this.nextUint32();
      for (let j = i; j < i + 4 && j < out.length; j++) {
        out[j] = word & 0xff;
        word >>>= 8;
      }
    }
    return out;
  }
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}
