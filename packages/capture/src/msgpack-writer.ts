/**
 * A fast MessagePack writer for message payloads: plain data (strings, numbers, bigints,
 * booleans, null, arrays, byte arrays, objects and class instances by own enumerable field
 * name). It writes the same bytes as `@msgpack/msgpack`'s `encode` with `useBigInt64` and
 * `ignoreUndefined`, and hands anything it does not cover (dates, other typed arrays) to it.
 */
import { encode as libraryEncode } from '@msgpack/msgpack';
import { PayloadArena } from './payload-arena.js';

const LIBRARY_OPTIONS = { useBigInt64: true, ignoreUndefined: true } as const;
/** The library's own nesting limit; deeper values (and cycles) get its error. */
const MAX_DEPTH = 100;
const UINT64_LIMIT = 1n << 64n;
const INT64_MIN = -(1n << 63n);
/** Thrown inside the fast path to hand a value over to the library. */
const UNSUPPORTED: unique symbol = Symbol('unsupported by the fast MessagePack writer');
const textEncoder = new TextEncoder();

/** A plain object of just `names`, for the slow paths of `encodeFields`. */
function pickFields(message: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names) picked[name] = message[name];
  return picked;
}

/** Bytes of a map or array header for `size` elements. */
function collectionHeaderWidth(size: number): number {
  return size < 16 ? 1 : size < 0x10000 ? 3 : 5;
}

export class MessagePackWriter {
  #bytes = new Uint8Array(2048);
  #view = new DataView(this.#bytes.buffer);
  #position = 0;
  #busy = false;
  readonly #arena = new PayloadArena();

  /** Fresh, immutable bytes for `value`. */
  encode(value: unknown): Uint8Array {
    // A getter that encodes while we encode must not share the scratch buffer.
    if (this.#busy) return libraryEncode(value, LIBRARY_OPTIONS);
    this.#busy = true;
    this.#position = 0;
    try {
      this.#value(value, 0);
    } catch (error) {
      if (error === UNSUPPORTED) return libraryEncode(value, LIBRARY_OPTIONS);
      throw error;
    } finally {
      this.#busy = false;
    }
    return this.#arena.copy(this.#bytes, this.#position);
  }

  /**
   * Fresh bytes for `message` as a map of exactly the fields `names` lists, in that order (an
   * undefined field is left out), each key written from its pre-encoded bytes in `keys`. The
   * same bytes as `encode(message)` when `names` is the message's own enumerable fields in order.
   */
  encodeFields(message: Record<string, unknown>, names: readonly string[], keys: readonly Uint8Array[]): Uint8Array {
    if (this.#busy) return this.encode(pickFields(message, names));
    this.#busy = true;
    this.#position = 0;
    try {
      // One read per field: the map header is written after the fields, in the room set aside
      // for `names.length` fields, and the body moves only when fewer fields need a shorter header.
      this.#reserve(5);
      const room = collectionHeaderWidth(names.length);
      this.#position = room;
      let size = 0;
      for (let i = 0; i < names.length; i++) {
        const field = message[names[i]!];
        if (field === undefined) continue;
        size++;
        const key = keys[i]!;
        this.#reserve(key.length);
        this.#bytes.set(key, this.#position);
        this.#position += key.length;
        this.#value(field, 1);
      }
      const end = this.#position;
      const width = collectionHeaderWidth(size);
      if (width !== room) this.#bytes.copyWithin(width, room, end);
      this.#position = 0;
      this.#collectionHeader(size, 0x80, 0xde, 0xdf);
      this.#position = end - room + width;
    } catch (error) {
      if (error === UNSUPPORTED) return libraryEncode(pickFields(message, names), LIBRARY_OPTIONS);
      throw error;
    } finally {
      this.#busy = false;
    }
    return this.#arena.copy(this.#bytes, this.#position);
  }

  #value(value: unknown, depth: number): void {
    switch (typeof value) {
      case 'string':
        return this.#string(value);
      case 'number':
        return this.#number(value);
      case 'bigint':
        return this.#bigint(value);
      case 'boolean':
        this.#reserve(1);
        this.#bytes[this.#position++] = value ? 0xc3 : 0xc2;
        return;
      case 'undefined':
        this.#reserve(1);
        this.#bytes[this.#position++] = 0xc0;
        return;
      case 'object':
        if (value === null) {
          this.#reserve(1);
          this.#bytes[this.#position++] = 0xc0;
          return;
        }
        if (depth >= MAX_DEPTH) throw UNSUPPORTED;
        if (Array.isArray(value)) return this.#array(value, depth);
        if (value instanceof Uint8Array) return this.#binary(value);
        if (value instanceof Map || value instanceof Set) {
          // The library would write a Map as an empty map: refuse rather than lose data.
          throw new TypeError(`cannot encode a ${value instanceof Map ? 'Map' : 'Set'}; convert it to a plain object or an array`);
        }
        if (ArrayBuffer.isView(value) || value instanceof Date) throw UNSUPPORTED;
        return this.#map(value as Record<string, unknown>, depth);
      default:
        throw UNSUPPORTED;
    }
  }

  #reserve(size: number): void {
    if (this.#position + size <= this.#bytes.length) return;
    const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#position + size));
    grown.set(this.#bytes.subarray(0, this.#position));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }

  #number(value: number): void {
    this.#reserve(9);
    const bytes = this.#bytes;
    const view = this.#view;
    const at = this.#position;
    // Integers beyond 32 bits become float64 (exact for safe integers), as the library does
    // with useBigInt64, so a number never comes back as a bigint.
    if (Number.isSafeInteger(value) && value >= -0x80000000 && value < 0x100000000) {
      if (value >= 0) {
        if (value < 0x80) {
          bytes[at] = value;
          this.#position = at + 1;
        } else if (value < 0x100) {
          bytes[at] = 0xcc;
          bytes[at + 1] = value;
          this.#position = at + 2;
        } else if (value < 0x10000) {
          bytes[at] = 0xcd;
          view.setUint16(at + 1, value);
          this.#position = at + 3;
        } else {
          bytes[at] = 0xce;
          view.setUint32(at + 1, value);
          this.#position = at + 5;
        }
      } else if (value >= -0x20) {
        bytes[at] = 0xe0 | (value + 0x20);
        this.#position = at + 1;
      } else if (value >= -0x80) {
        bytes[at] = 0xd0;
        view.setInt8(at + 1, value);
        this.#position = at + 2;
      } else if (value >= -0x8000) {
        bytes[at] = 0xd1;
        view.setInt16(at + 1, value);
        this.#position = at + 3;
      } else {
        bytes[at] = 0xd2;
        view.setInt32(at + 1, value);
        this.#position = at + 5;
      }
      return;
    }
    bytes[at] = 0xcb;
    view.setFloat64(at + 1, value);
    this.#position = at + 9;
  }

  #bigint(value: bigint): void {
    // The library wraps out-of-range bigints modulo 2^64 without a word; that would store a
    // different number than the message held.
    if (value >= UINT64_LIMIT || value < INT64_MIN) throw new RangeError(`bigint ${value} does not fit in 64 bits`);
    this.#reserve(9);
    const at = this.#position;
    if (value >= 0n) {
      this.#bytes[at] = 0xcf;
      this.#view.setBigUint64(at + 1, value);
    } else {
      this.#bytes[at] = 0xd3;
      this.#view.setBigInt64(at + 1, value);
    }
    this.#position = at + 9;
  }

  #string(value: string): void {
    const length = value.length;
    this.#reserve(5 + length);
    // ASCII first: its byte length is known up front and it is nearly every field of an order.
    const headerSize = length < 32 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5;
    const bytes = this.#bytes;
    const start = this.#position + headerSize;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code > 0x7f) return this.#unicodeString(value);
      bytes[start + i] = code;
    }
    this.#stringHeader(length);
    this.#position = start + length;
  }

  #unicodeString(value: string): void {
    const encoded = textEncoder.encode(value);
    this.#reserve(5 + encoded.length);
    this.#stringHeader(encoded.length);
    this.#bytes.set(encoded, this.#position);
    this.#position += encoded.length;
  }

  #stringHeader(byteLength: number): void {
    const bytes = this.#bytes;
    const at = this.#position;
    if (byteLength < 32) {
      bytes[at] = 0xa0 + byteLength;
      this.#position = at + 1;
    } else if (byteLength < 0x100) {
      bytes[at] = 0xd9;
      bytes[at + 1] = byteLength;
      this.#position = at + 2;
    } else if (byteLength < 0x10000) {
      bytes[at] = 0xda;
      this.#view.setUint16(at + 1, byteLength);
      this.#position = at + 3;
    } else {
      bytes[at] = 0xdb;
      this.#view.setUint32(at + 1, byteLength);
      this.#position = at + 5;
    }
  }

  #binary(value: Uint8Array): void {
    const size = value.length;
    this.#reserve(5 + size);
    const at = this.#position;
    if (size < 0x100) {
      this.#bytes[at] = 0xc4;
      this.#bytes[at + 1] = size;
      this.#position = at + 2;
    } else if (size < 0x10000) {
      this.#bytes[at] = 0xc5;
      this.#view.setUint16(at + 1, size);
      this.#position = at + 3;
    } else {
      this.#bytes[at] = 0xc6;
      this.#view.setUint32(at + 1, size);
      this.#position = at + 5;
    }
    this.#bytes.set(value, this.#position);
    this.#position += size;
  }

  #collectionHeader(size: number, fix: number, sixteen: number, thirtyTwo: number): void {
    this.#reserve(5);
    const at = this.#position;
    if (size < 16) {
      this.#bytes[at] = fix + size;
      this.#position = at + 1;
    } else if (size < 0x10000) {
      this.#bytes[at] = sixteen;
      this.#view.setUint16(at + 1, size);
      this.#position = at + 3;
    } else {
      this.#bytes[at] = thirtyTwo;
      this.#view.setUint32(at + 1, size);
      this.#position = at + 5;
    }
  }

  #array(value: readonly unknown[], depth: number): void {
    this.#collectionHeader(value.length, 0x90, 0xdc, 0xdd);
    for (let i = 0; i < value.length; i++) this.#value(value[i], depth + 1);
  }

  #map(value: Record<string, unknown>, depth: number): void {
    // Keys and values in two bulk reads: same order, a quarter of the cost of a keyed load
    // per field (and a getter runs once, where the library runs it twice).
    const keys = Object.keys(value);
    const fields = Object.values(value);
    let size = 0;
    for (let i = 0; i < fields.length; i++) if (fields[i] !== undefined) size++;
    this.#collectionHeader(size, 0x80, 0xde, 0xdf);
    for (let i = 0; i < keys.length; i++) {
      const field = fields[i];
      if (field === undefined) continue;
      this.#string(keys[i]!);
      this.#value(field, depth + 1);
    }
  }
}
