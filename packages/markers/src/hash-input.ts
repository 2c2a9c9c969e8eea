/**
 * A reusable big-endian byte assembler for hash and fingerprint inputs. Hashes frame their
 * input canonically (big-endian integers, u64 length-prefixed strings), independent of how
 * records are stored, so the layouts stay byte-compatible with upstream.
 */
import { blake3 } from '@tapelog/core';

const textEncoder = new TextEncoder();
const U64_LIMIT = 1n << 64n;
const U128_MASK = (1n << 128n) - 1n;
const I128_MIN = -(1n << 127n);
const I128_MAX = (1n << 127n) - 1n;

export class HashInput {
  #bytes = new Uint8Array(512);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;

  /** Starts a new input (the buffer is reused, so only one input is assembled at a time). */
  reset(): this {
    this.#length = 0;
    return this;
  }

  #reserve(extra: number): number {
    const at = this.#length;
    const needed = at + extra;
    if (needed > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(needed, this.#bytes.length * 2));
      grown.set(this.#bytes.subarray(0, at));
      this.#bytes = grown;
      this.#view = new DataView(grown.buffer);
    }
    this.#length = needed;
    return at;
  }

  /** Raw bytes with no length prefix (domains, fixed 32-byte fingerprints). */
  raw(bytes: Uint8Array): this {
    this.#bytes.set(bytes, this.#reserve(bytes.length));
    return this;
  }

  u8(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`expected a u8, got ${value}`);
    this.#bytes[this.#reserve(1)] = value;
    return this;
  }

  u32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`expected a u32, got ${value}`);
    this.#view.setUint32(this.#reserve(4), value);
    return this;
  }

  /** A u64 given as a safe non-negative integer number. */
  u64(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`expected a non-negative safe integer, got ${value}`);
    const at = this.#reserve(8);
    this.#view.setUint32(at, Math.floor(value / 0x1_0000_0000));
    this.#view.setUint32(at + 4, value >>> 0);
    return this;
  }

  /** A u64 given as a bigint (timestamps, order ids). */
  u64Big(value: bigint): this {
    if (value < 0n || value >= U64_LIMIT) throw new RangeError(`expected an unsigned 64-bit integer, got ${value}`);
    this.#view.setBigUint64(this.#reserve(8), value);
    return this;
  }

  /** 16 bytes, big-endian two's complement. */
  i128(value: bigint): this {
    if (value < I128_MIN || value > I128_MAX) throw new RangeError(`expected a signed 128-bit integer, got ${value}`);
    return this.#write128(value & U128_MASK);
  }

  /** 16 bytes, big-endian unsigned. */
  u128(value: bigint): this {
    if (value < 0n || value > U128_MASK) throw new RangeError(`expected an unsigned 128-bit integer, got ${value}`);
    return this.#write128(value);
  }

  #write128(unsigned: bigint): this {
    const at = this.#reserve(16);
    this.#view.setBigUint64(at, unsigned >> 64n);
    this.#view.setBigUint64(at + 8, unsigned & 0xffff_ffff_ffff_ffffn);
    return this;
  }

  /** `BE64(byte length)` then the UTF-8 bytes. */
  lengthPrefixedString(text: string): this {
    const encoded = textEncoder.encode(text);
    this.u64(encoded.length);
    return this.raw(encoded);
  }

  /** The assembled bytes (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }

  /** BLAKE3 of the assembled bytes. */
  digest(): Uint8Array {
    return blake3(this.bytes());
  }
}

/** ASCII bytes of a hash domain string. */
export function domainBytes(domain: string): Uint8Array {
  return textEncoder.encode(domain);
}
