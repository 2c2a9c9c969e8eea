/**
 * Positional binary codec for entries, the hot path of every append and scan.
 * Body (little-endian): hash[32] · seq u64 · tsInit u64 · tsPublish u64 · header flags u8 ·
 * [correlation 16 B] · [causation 16 B] · topic (u32 length + UTF-8) · payloadType (same) ·
 * payload (u32 length + bytes).
 */
import { isUtf8 } from 'node:buffer';
import { corruptedError, hashMismatchError } from '../errors.js';
import { computeEntryHash } from '../hash.js';
import { highHalf, lowHalf, splitU64 } from '../u64-split.js';
import { utf8Bytes } from '../utf8-cache.js';
import type { EventStoreEntry, Headers } from '../types.js';
import { isUuid4Bytes, parseUuidInto, uuidFromBytes } from '../uuid.js';
import { checkFrame, FRAME_HEADER_LENGTH, writeFrameHeader } from './frame.js';

export const ENTRY_RECORD_VERSION = 1;
const FIXED_LENGTH = 32 + 8 + 8 + 8 + 1 + 4 + 4 + 4;
const HAS_CORRELATION = 1;
const HAS_CAUSATION = 2;
const MAX_U32 = 0xffffffff;


/** Encodes one entry into a fresh framed record. Deterministic. Hot path of every append. */
export function encodeEntry(entry: EventStoreEntry): Buffer {
  const topic = utf8Bytes(entry.topic);
  const payloadType = utf8Bytes(entry.payloadType);
  const payload = entry.payload;
  if (entry.entryHash.length !== 32) throw new RangeError(`entry seq=${entry.seq}: entryHash must be 32 bytes`);
  if (payload.length > MAX_U32) throw new RangeError(`entry seq=${entry.seq}: the payload exceeds 4 GiB`);
  const { correlationId, causationId } = entry.headers;
  const length =
    FRAME_HEADER_LENGTH + FIXED_LENGTH + (correlationId === undefined ? 0 : 16) + (causationId === undefined ? 0 : 16) +
    topic.length + payloadType.length + payload.length;
  const out = Buffer.allocUnsafe(length);
  writeFrameHeader(out, ENTRY_RECORD_VERSION);
  let offset = FRAME_HEADER_LENGTH;
  out.set(entry.entryHash, offset);
  offset += 32;
  writeU32PairLE(out, entry.seq >>> 0, Math.floor(entry.seq / 4294967296), offset);
  writeBigU64LE(out, entry.tsInit, offset + 8);
  writeBigU64LE(out, entry.tsPublish, offset + 16);
  offset += 24;
  out[offset++] = (correlationId === undefined ? 0 : HAS_CORRELATION) | (causationId === undefined ? 0 : HAS_CAUSATION);
  if (correlationId !== undefined) offset = writeUuid(out, offset, correlationId, entry.seq);
  if (causationId !== undefined) offset = writeUuid(out, offset, causationId, entry.seq);
  offset = writeBytes(out, topic, offset);
  offset = writeBytes(out, payloadType, offset);
  writeBytes(out, payload, offset);
  return out;
}


function writeU32PairLE(out: Uint8Array, low: number, high: number, offset: number): void {
  out[offset] = low;
  out[offset + 1] = low >>> 8;
  out[offset + 2] = low >>> 16;
  out[offset + 3] = low >>> 24;
  out[offset + 4] = high;
  out[offset + 5] = high >>> 8;
  out[offset + 6] = high >>> 16;
  out[offset + 7] = high >>> 24;
}

function writeBigU64LE(out: Uint8Array, value: bigint, offset: number): void {
  if (typeof value !== 'bigint' || !splitU64(value)) throw new RangeError(`timestamp must be a u64 bigint, got ${String(value)}`);
  writeU32PairLE(out, lowHalf(), highHalf(), offset);
}

/** A u32 length prefix and the bytes; returns the offset after them. */
function writeBytes(out: Uint8Array, bytes: Uint8Array, offset: number): number {
  const length = bytes.length;
  out[offset] = length;
  out[offset + 1] = length >>> 8;
  out[offset + 2] = length >>> 16;
  out[offset + 3] = length >>> 24;
  out.set(bytes, offset + 4);
  return offset + 4 + length;
}

function writeUuid(out: Buffer, offset: number, text: string, seq: number): number {
  if (!parseUuidInto(text, out, offset)) throw new RangeError(`entry seq=${seq}: header is not UUID text: ${JSON.stringify(text)}`);
  return offset + 16;
}

/**
 * Decodes a framed entry. Throws CORRUPTED (`decode entry: …`) on any malformed input; never
 * allocates more than the input holds. The payload is a view into `bytes`.
 */
export function decodeEntry(bytes: Uint8Array): EventStoreEntry {
  let offset = checkFrame(bytes, ENTRY_RECORD_VERSION, 'decode entry');
  const view = bytesView(bytes);
  need(bytes, offset, FIXED_LENGTH);
  const entryHash = bytes.slice(offset, offset + 32);
  offset += 32;
  const seqLow = view.getUint32(offset, true);
  const seqHigh = view.getUint32(offset + 4, true);
  if (seqHigh > 0x1fffff) fail(`seq exceeds the safe integer range`);
  const seq = seqHigh * 4294967296 + seqLow;
  const tsInit = view.getBigUint64(offset + 8, true);
  const tsPublish = view.getBigUint64(offset + 16, true);
  offset += 24;
  const flags = bytes[offset++]!;
  if ((flags & ~(HAS_CORRELATION | HAS_CAUSATION)) !== 0) fail(`invalid header flags 0x${flags.toString(16)}`);
  const headers: Headers = {};
  if (flags & HAS_CORRELATION) {
    headers.correlationId = readUuid(bytes, offset, 'correlationId');
    offset += 16;
  }
  if (flags & HAS_CAUSATION) {
    headers.causationId = readUuid(bytes, offset, 'causationId');
    offset += 16;
  }
  const topic = readString(bytes, view, offset, 'topic');
  offset += 4 + topic.byteLength;
  const payloadType = readString(bytes, view, offset, 'payloadType');
  offset += 4 + payloadType.byteLength;
  need(bytes, offset, 4);
  const payloadLength = view.getUint32(offset, true);
  offset += 4;
  need(bytes, offset, payloadLength);
  const payload = bytes.subarray(offset, offset + payloadLength);
  offset += payloadLength;
  if (offset !== bytes.length) fail(`${bytes.length - offset} unconsumed trailing byte(s)`);
  return { entryHash, seq, headers, topic: topic.text, payloadType: payloadType.text, payload, tsInit, tsPublish };
}

/**
 * The read path of every backend: decode the row stored under `seq` and recompute its hash.
 * CORRUPTED `decode entry seq=N: …` when it does not decode, HASH_MISMATCH when the hash differs.
 */
export function decodeCheckedEntry(bytes: Uint8Array, seq: number): EventStoreEntry {
  let entry: EventStoreEntry;
  try {
    entry = decodeEntry(bytes);
  } catch (error) {
    const detail = (error as { detail?: string }).detail ?? String(error);
    throw corruptedError(`decode entry seq=${seq}: ${detail.replace(/^decode entry: /, '')}`, { seq, cause: error });
  }
  const recomputed = computeEntryHash(entry);
  const stored = entry.entryHash;
  for (let i = 0; i < 32; i++) if (recomputed[i] !== stored[i]) throw hashMismatchError(seq);
  return entry;
}

function bytesView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function fail(reason: string): never {
  throw corruptedError(`decode entry: ${reason}`);
}

function need(bytes: Uint8Array, offset: number, count: number): void {
  if (offset + count > bytes.length) {
    fail(`encoded length ${count} exceeds remaining input ${Math.max(0, bytes.length - offset)}`);
  }
}

function readUuid(bytes: Uint8Array, offset: number, name: string): string {
  need(bytes, offset, 16);
  if (!isUuid4Bytes(bytes, offset)) fail(`${name} is not a version-4 UUID`);
  return uuidFromBytes(bytes, offset);
}

function readString(bytes: Uint8Array, view: DataView, offset: number, name: string): { text: string; byteLength: number } {
  need(bytes, offset, 4);
  const length = view.getUint32(offset, true);
  need(bytes, offset + 4, length);
  const slice = bytes.subarray(offset + 4, offset + 4 + length);
  if (!isUtf8(slice)) fail(`invalid utf-8 in ${name}`);
  return { text: Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength).toString('utf8'), byteLength: length };
}
