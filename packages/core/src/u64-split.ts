/**
 * Splitting a u64 bigint into two u32 halves without bigint arithmetic, for the hot paths that
 * write timestamps (the entry hash, the entry codec). One shared scratch pair: call
 * `splitU64`, then read `lowHalf()` and `highHalf()` before the next split.
 */

const halves = new Uint32Array(2);
const wide = new BigUint64Array(halves.buffer);
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW = LITTLE_ENDIAN_HOST ? 0 : 1;
const HIGH = 1 - LOW;

/** Splits `value`; false when it is outside [0, 2^64) (it does not survive the round trip). */
export function splitU64(value: bigint): boolean {
  wide[0] = value;
  return wide[0] === value;
}

export function lowHalf(): number {
  return halves[LOW]!;
}

export function highHalf(): number {
  return halves[HIGH]!;
}
