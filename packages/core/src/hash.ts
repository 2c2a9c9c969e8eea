/**
 * The canonical entry hash, byte-compatible with the upstream event store: BLAKE3 over the
 * domain string, big-endian u64 seq and timestamps, u64-length-prefixed topic, payload type and
 * payload, then each header as a presence byte plus 16 raw UUID bytes. Computed from an entry's
 * fields, or straight from the raw fields of a stored record on the read path.
 */
import { blake3, hashReserved, hashReservedEquals, inputMemory, inputView, reserveInput } from './blake3.js';
import { toHex } from './hex.js';
import type { EventStoreEntry, Headers } from './types.js';
import { highHalf, lowHalf, readU32LE, splitU64 } from './u64-split.js';
import { utf8Bytes } from './utf8-cache.js';
import { isUuid4Bytes, parseUuidInto } from './uuid.js';

export const ENTRY_HASH_DOMAIN = 'nautilus-event-store/entry/v1';
const DOMAIN_BYTES = new TextEncoder().encode(ENTRY_HASH_DOMAIN);

/** The fields the entry hash covers. */
export interface EntryHashFields {
  seq: number;
  tsInit: bigint;
  tsPublish: bigint;
  topic: string;
  payloadType: string;
  payload: Uint8Array;
  headers: Headers;
}

/** Writes a u64 given as two u32 halves, big-endian. */
function writeU64Halves(memory: Uint8Array, high: number, low: number, offset: number): void {
  memory[offset] = high >>> 24;
  memory[offset + 1] = high >>> 16;
  memory[offset + 2] = high >>> 8;
  memory[offset + 3] = high;
  memory[offset + 4] = low >>> 24;
  memory[offset + 5] = low >>> 16;
  memory[offset + 6] = low >>> 8;
  memory[offset + 7] = low;
}

function writeU64FromNumber(memory: Uint8Array, value: number, offset: number): void {
  writeU64Halves(memory, Math.floor(value / 4294967296), value >>> 0, offset);
}

/** Writes a u64 bigint big-endian; a value outside [0, 2^64) does not survive the split and is rejected. */
function writeU64FromBigInt(memory: Uint8Array, value: bigint, offset: number, name: string): void {
  if (!splitU64(value)) throw new RangeError(`${name} must be a bigint in [0, 2^64), got ${String(value)}`);
  writeU64Halves(memory, highHalf(), lowHalf(), offset);
}

function writeHeader(memory: Uint8Array, offset: number, name: string, text: string | undefined): number {
  if (text === undefined) {
    memory[offset] = 0;
    return offset + 1;
  }
  memory[offset] = 1;
  if (!parseUuidInto(text, memory, offset + 1) || !isUuid4Bytes(memory, offset + 1)) {
    throw new RangeError(`headers.${name} is not a version-4 UUID: ${JSON.stringify(text)}`);
  }
  return offset + 17;
}

/** BLAKE3 entry hash (32 bytes) over the canonical layout. Hot path: no intermediate buffers. */
export function computeEntryHash(fields: EntryHashFields): Uint8Array {
  const { seq, tsInit, tsPublish, payload, headers } = fields;
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`seq must be a safe non-negative integer, got ${seq}`);
  if (typeof tsInit !== 'bigint' || typeof tsPublish !== 'bigint') throw new RangeError('tsInit and tsPublish must be bigint nanosecond timestamps');
  const topic = utf8Bytes(fields.topic);
  const payloadType = utf8Bytes(fields.payloadType);
  const correlation = headers.correlationId;
  const causation = headers.causationId;
  const length =
    DOMAIN_BYTES.length +
    24 +
    8 +
    topic.length +
    8 +
    payloadType.length +
    8 +
    payload.length +
    (correlation === undefined ? 1 : 17) +
    (causation === undefined ? 1 : 17);
  const ptr = reserveInput(length);
  const memory = inputMemory();
  memory.set(DOMAIN_BYTES, ptr);
  let offset = ptr + DOMAIN_BYTES.length;
  writeU64FromNumber(memory, seq, offset);
  try {
    writeU64FromBigInt(memory, tsInit, offset + 8, 'tsInit');
    writeU64FromBigInt(memory, tsPublish, offset + 16, 'tsPublish');
  } catch (error) {
    hashReserved(ptr, length); // releases the reserved input
    throw error;
  }
  offset += 24;
  writeU64FromNumber(memory, topic.length, offset);
  memory.set(topic, offset + 8);
  offset += 8 + topic.length;
  writeU64FromNumber(memory, payloadType.length, offset);
  memory.set(payloadType, offset + 8);
  offset += 8 + payloadType.length;
  writeU64FromNumber(memory, payload.length, offset);
  memory.set(payload, offset + 8);
  offset += 8 + payload.length;
  try {
    offset = writeHeader(memory, offset, 'correlationId', correlation);
    writeHeader(memory, offset, 'causationId', causation);
  } catch (error) {
    hashReserved(ptr, length); // releases the reserved input
    throw error;
  }
  return hashReserved(ptr, length);
}

/**
 * Where the hashed fields of an entry lie, raw, in one byte array (a stored entry record, see
 * the entry codec): seq, tsInit and tsPublish as three consecutive u64 little-endian at
 * `u64Offset`; each header as its 16 UUID bytes, offset -1 when absent; topic and payload type
 * as UTF-8 byte ranges. The payload is given as its bytes (typically a view into the same
 * array). The caller has checked every range, the seq range and that the header bytes are
 * version-4 UUIDs.
 */
export interface RawEntryFields {
  bytes: Uint8Array;
  u64Offset: number;
  correlationOffset: number;
  causationOffset: number;
  topicOffset: number;
  topicLength: number;
  payloadTypeOffset: number;
  payloadTypeLength: number;
  payload: Uint8Array;
}

/**
 * `computeEntryHash` of the entry whose fields lie raw in `fields.bytes`: the preimage is copied
 * and byte-swapped from there straight into WebAssembly memory, without strings or bigints.
 */
export function computeRawEntryHash(fields: RawEntryFields): Uint8Array {
  const length = rawPreimageLength(fields);
  return hashReserved(writeRawPreimage(fields, length), length);
}

/** True when the entry hash of `fields` equals the 32 bytes of `expected` at `expectedOffset`. */
export function rawEntryHashEquals(fields: RawEntryFields, expected: Uint8Array, expectedOffset: number): boolean {
  const length = rawPreimageLength(fields);
  return hashReservedEquals(writeRawPreimage(fields, length), length, expected, expectedOffset);
}

function rawPreimageLength(fields: RawEntryFields): number {
  return (
    DOMAIN_BYTES.length +
    24 +
    8 +
    fields.topicLength +
    8 +
    fields.payloadTypeLength +
    8 +
    fields.payload.length +
    (fields.correlationOffset < 0 ? 1 : 17) +
    (fields.causationOffset < 0 ? 1 : 17)
  );
}

/** Reserves `length` bytes of WebAssembly memory, writes the preimage there and returns the pointer. */
function writeRawPreimage(fields: RawEntryFields, length: number): number {
  const bytes = fields.bytes;
  const ptr = reserveInput(length);
  const memory = inputMemory();
  const view = inputView();
  memory.set(DOMAIN_BYTES, ptr);
  let offset = ptr + DOMAIN_BYTES.length;
  // seq, tsInit, tsPublish: little-endian in the record, big-endian in the preimage.
  for (let word = fields.u64Offset, end = word + 24; word < end; word += 8) {
    view.setUint32(offset, readU32LE(bytes, word + 4));
    view.setUint32(offset + 4, readU32LE(bytes, word));
    offset += 8;
  }
  offset = writeRawRange(memory, view, offset, bytes, fields.topicOffset, fields.topicLength);
  offset = writeRawRange(memory, view, offset, bytes, fields.payloadTypeOffset, fields.payloadTypeLength);
  const payload = fields.payload;
  view.setUint32(offset, 0);
  view.setUint32(offset + 4, payload.length);
  memory.set(payload, offset + 8);
  offset += 8 + payload.length;
  offset = writeRawHeader(memory, offset, bytes, fields.correlationOffset);
  writeRawHeader(memory, offset, bytes, fields.causationOffset);
  return ptr;
}

/** Ranges up to this length are copied by `writeRawRange` without making a view of them. */
const INLINE_COPY_LIMIT = 64;

/**
 * A u64 big-endian length and the bytes. Short ranges are copied four bytes at a time, which is
 * cheaper than making a view for `set`.
 */
function writeRawRange(memory: Uint8Array, view: DataView, offset: number, bytes: Uint8Array, start: number, length: number): number {
  view.setUint32(offset, 0);
  view.setUint32(offset + 4, length);
  offset += 8;
  if (length > INLINE_COPY_LIMIT) {
    memory.set(bytes.subarray(start, start + length), offset);
    return offset + length;
  }
  let i = 0;
  for (; i + 4 <= length; i += 4) view.setUint32(offset + i, readU32LE(bytes, start + i), true);
  for (; i < length; i++) memory[offset + i] = bytes[start + i]!;
  return offset + length;
}

function writeRawHeader(memory: Uint8Array, offset: number, bytes: Uint8Array, start: number): number {
  if (start < 0) {
    memory[offset] = 0;
    return offset + 1;
  }
  memory[offset] = 1;
  for (let i = 0; i < 16; i++) memory[offset + 1 + i] = bytes[start + i]!;
  return offset + 17;
}

/** True when the stored hash equals the hash recomputed from the entry's fields. */
export function verifyEntryHash(entry: EventStoreEntry): boolean {
  const recomputed = computeEntryHash(entry);
  const stored = entry.entryHash;
  if (stored.length !== 32) return false;
  for (let i = 0; i < 32; i++) if (recomputed[i] !== stored[i]) return false;
  return true;
}

/** `blake3:<hex>` of a snapshot blob: plain BLAKE3, no domain, no framing. */
export function computeSnapshotContentHash(bytes: Uint8Array): string {
  return `blake3:${toHex(blake3(bytes))}`;
}
