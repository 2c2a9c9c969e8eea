/**
 * Positional binary codec for entries, the hot path of every append and scan.
 * Body (little-endian): hash[32] · seq u64 · tsInit u64 · tsPublish u64 · header flags u8 ·
 * [correlation 16 B] · [causation 16 B] · topic (u32 length + UTF-8) · payloadType (same) ·
 * payload (u32 length + bytes).
 */
import { corruptedError, hashMismatchError } from '../errors.js';
import { computeRawEntryHash, type RawEntryFields, rawEntryHashEquals } from '../hash.js';
import type { EventStoreEntry, Headers } from '../types.js';
import { highHalf, lowHalf, readU32LE, readU64LE, splitU64 } from '../u64-split.js';
import { utf8Bytes, utf8Text } from '../utf8-cache.js';
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
    FRAME_HEADER_LENGTH +
    FIXED_LENGTH +
    (correlationId === undefined ? 0 : 16) +
    (causationId === undefined ? 0 : 16) +
    topic.length +
    payloadType.length +
    payload.length;
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
 * allocates more than the input holds. The entry hash and the payload are views into `bytes`
 * (see `decodeCheckedEntry`).
 */
export function decodeEntry(bytes: Uint8Array): EventStoreEntry {
  locateFields(bytes);
  return locatedEntry(bytes);
}

/**
 * The read path of every backend: decode the row stored under `seq` and check its hash, which is
 * recomputed straight from the record bytes (as `computeEntryRecordHash` does) and compared with
 * the stored one where the digest lies in WebAssembly memory. The whole record is checked before
 * the hash: CORRUPTED `decode entry seq=N: …` when it does not decode, HASH_MISMATCH when the
 * hash differs.
 *
 * The returned entry's `entryHash` and `payload` are views into `bytes`, not copies: entries
 * from scans are read-only by contract, the payload already was a view, and a copy of the hash
 * would allocate an ArrayBuffer per entry, the costliest kind of allocation on this path. So
 * `bytes` must not be reused or modified while the entry is in use.
 */
export function decodeCheckedEntry(bytes: Uint8Array, seq: number): EventStoreEntry {
  locateCheckedFields(bytes, seq);
  return locatedEntry(bytes);
}

/**
 * `locateFields` plus the hash check, failing as `decodeCheckedEntry` documents (the scratch
 * references are released on failure).
 */
function locateCheckedFields(bytes: Uint8Array, seq: number): void {
  try {
    locateFields(bytes);
  } catch (error) {
    releaseLocated();
    const detail = (error as { detail?: string }).detail ?? String(error);
    throw corruptedError(`decode entry seq=${seq}: ${detail.replace(/^decode entry: /, '')}`, { seq, cause: error });
  }
  if (!rawEntryHashEquals(located, bytes, HASH_OFFSET)) {
    releaseLocated();
    throw hashMismatchError(seq);
  }
}

/** Where a framed entry record holds its stored entry hash (32 bytes). */
export const ENTRY_RECORD_HASH_OFFSET = FRAME_HEADER_LENGTH;

/**
 * Checks the record stored under `seq` as `decodeCheckedEntry` does, without building the entry,
 * and returns its tsInit: for walks that need only the stored hash (at ENTRY_RECORD_HASH_OFFSET)
 * and the timestamps. Throws what `decodeCheckedEntry` throws, and CORRUPTED with `storedSeq`
 * when the record claims another seq.
 */
export function checkEntryRecord(bytes: Uint8Array, seq: number): bigint {
  locateCheckedFields(bytes, seq);
  const tsInitOffset = located.u64Offset + 8;
  releaseLocated();
  if (locatedSeq !== seq) throw corruptedError(`entry stored under seq=${seq} claims seq=${locatedSeq}`, { seq, storedSeq: locatedSeq });
  return readU64LE(bytes, tsInitOffset);
}

/**
 * The canonical entry hash (`computeEntryHash`) of the entry a framed record holds, computed
 * from the record bytes without decoding it. It checks the record as `decodeEntry` does and
 * throws the same CORRUPTED errors; it does not compare the hash stored in the record.
 */
export function computeEntryRecordHash(bytes: Uint8Array): Uint8Array {
  locateFields(bytes);
  const hash = computeRawEntryHash(located);
  releaseLocated();
  return hash;
}

const HASH_OFFSET = FRAME_HEADER_LENGTH;
const NO_BYTES = new Uint8Array(0);

/** Where the fields of the record being decoded lie: one scratch object, filled by `locateFields`. */
const located: RawEntryFields = {
  bytes: NO_BYTES,
  u64Offset: 0,
  correlationOffset: -1,
  causationOffset: -1,
  topicOffset: 0,
  topicLength: 0,
  payloadTypeOffset: 0,
  payloadTypeLength: 0,
  payload: NO_BYTES,
};
let locatedSeq = 0;
let locatedTopic = '';
let locatedPayloadType = '';

/**
 * Checks the whole record, in field order, and records where its fields lie in `located` (and
 * the seq, topic and payload type beside it). CORRUPTED `decode entry: …` on any malformed input.
 */
function locateFields(bytes: Uint8Array): void {
  let offset = checkFrame(bytes, ENTRY_RECORD_VERSION, 'decode entry');
  need(bytes, offset, FIXED_LENGTH);
  offset += 32;
  const seqHigh = readU32LE(bytes, offset + 4);
  if (seqHigh > 0x1fffff) fail(`seq exceeds the safe integer range`);
  locatedSeq = seqHigh * 4294967296 + readU32LE(bytes, offset);
  located.u64Offset = offset;
  offset += 24;
  const flags = bytes[offset++]!;
  if ((flags & ~(HAS_CORRELATION | HAS_CAUSATION)) !== 0) fail(`invalid header flags 0x${flags.toString(16)}`);
  located.correlationOffset = -1;
  located.causationOffset = -1;
  if (flags & HAS_CORRELATION) {
    checkUuid(bytes, offset, 'correlationId');
    located.correlationOffset = offset;
    offset += 16;
  }
  if (flags & HAS_CAUSATION) {
    checkUuid(bytes, offset, 'causationId');
    located.causationOffset = offset;
    offset += 16;
  }
  const topicLength = readLength(bytes, offset);
  located.topicOffset = offset + 4;
  located.topicLength = topicLength;
  locatedTopic = readText(bytes, offset + 4, topicLength, TOPIC_LANE, 'topic');
  offset += 4 + topicLength;
  const payloadTypeLength = readLength(bytes, offset);
  located.payloadTypeOffset = offset + 4;
  located.payloadTypeLength = payloadTypeLength;
  locatedPayloadType = readText(bytes, offset + 4, payloadTypeLength, PAYLOAD_TYPE_LANE, 'payloadType');
  offset += 4 + payloadTypeLength;
  const payloadLength = readLength(bytes, offset);
  offset += 4 + payloadLength;
  if (offset !== bytes.length) fail(`${bytes.length - offset} unconsumed trailing byte(s)`);
  located.payload = bytes.subarray(offset - payloadLength, offset);
  located.bytes = bytes;
}

/** Drops the scratch references to the last record. */
function releaseLocated(): void {
  located.bytes = NO_BYTES;
  located.payload = NO_BYTES;
}

/** The entry `locateFields` just located in `bytes`; releases the scratch references to them. */
function locatedEntry(bytes: Uint8Array): EventStoreEntry {
  const { correlationOffset, causationOffset, u64Offset, payload } = located;
  releaseLocated();
  let headers: Headers;
  if (correlationOffset < 0) {
    headers = causationOffset < 0 ? {} : { causationId: uuidFromBytes(bytes, causationOffset) };
  } else {
    const correlationId = uuidFromBytes(bytes, correlationOffset);
    headers = causationOffset < 0 ? { correlationId } : { correlationId, causationId: uuidFromBytes(bytes, causationOffset) };
  }
  return {
    entryHash: bytes.subarray(HASH_OFFSET, HASH_OFFSET + 32),
    seq: locatedSeq,
    headers,
    topic: locatedTopic,
    payloadType: locatedPayloadType,
    payload,
    tsInit: readU64LE(bytes, u64Offset + 8),
    tsPublish: readU64LE(bytes, u64Offset + 16),
  };
}

function fail(reason: string): never {
  throw corruptedError(`decode entry: ${reason}`);
}

function need(bytes: Uint8Array, offset: number, count: number): void {
  if (offset + count > bytes.length) {
    fail(`encoded length ${count} exceeds remaining input ${Math.max(0, bytes.length - offset)}`);
  }
}

/** A u32 length prefix at `offset` whose bytes must follow it in the input. */
function readLength(bytes: Uint8Array, offset: number): number {
  need(bytes, offset, 4);
  const length = readU32LE(bytes, offset);
  need(bytes, offset + 4, length);
  return length;
}

function checkUuid(bytes: Uint8Array, offset: number, name: string): void {
  need(bytes, offset, 16);
  if (!isUuid4Bytes(bytes, offset)) fail(`${name} is not a version-4 UUID`);
}

const TOPIC_LANE = 0;
const PAYLOAD_TYPE_LANE = 1;

function readText(bytes: Uint8Array, offset: number, length: number, lane: number, name: string): string {
  const text = utf8Text(bytes, offset, length, lane);
  if (text === undefined) fail(`invalid utf-8 in ${name}`);
  return text;
}
