/**
 * Splitting a u64 bigint into two u32 halves, and reading u32 and u64 values from little-endian
 * bytes, without bigint arithmetic, for the hot paths that write and read timestamps (the entry
 * hash, the entry codec). One shared scratch word: call `splitU64`, then read `lowHalf()` and
 * `highHalf()` before the next split or read.
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

/** The u32 stored little-endian in the 4 bytes of `bytes` at `offset` (the caller checks bounds). */
export function readU32LE(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
}

/** The u64 stored little-endian in the 8 bytes of `bytes` at `offset` (the caller checks bounds). */
export function readU64LE(bytes: Uint8Array, offset: number): bigint {
  halves[LOW] = readU32LE(bytes, offset);
  halves[HIGH] = readU32LE(bytes, offset + 4);
  return wide[0]!;
}
