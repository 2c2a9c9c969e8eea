/**
 * The canonical entry hash, byte-compatible with the upstream event store: BLAKE3 over the
 * domain string, big-endian u64 seq and timestamps, u64-length-prefixed topic, payload type and
 * payload, then each header as a presence byte plus 16 raw UUID bytes.
 */
import { blake3, hashReserved, inputMemory, reserveInput } from './blake3.js';
import { toHex } from './hex.js';
import { highHalf, lowHalf, splitU64 } from './u64-split.js';
import { utf8Bytes } from './utf8-cache.js';
import type { EventStoreEntry, Headers } from './types.js';
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
    DOMAIN_BYTES.length + 24 + 8 + topic.length + 8 + payloadType.length + 8 + payload.length +
    (correlation === undefined ? 1 : 17) + (causation === undefined ? 1 : 17);
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
