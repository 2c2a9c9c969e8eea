/**
 * Both directions between text and UTF-8 bytes for the strings that repeat on every entry
 * (topics, payload types), cached up to a bound, for the hash and the codec hot paths.
 */
import { isUtf8 } from 'node:buffer';

const LIMIT = 4096;
const encoder = new TextEncoder();
const cache = new Map<string, Uint8Array>();

/** The UTF-8 bytes of `text`; callers must not modify them. */
export function utf8Bytes(text: string): Uint8Array {
  let bytes = cache.get(text);
  if (bytes === undefined) {
    bytes = encoder.encode(text);
    if (cache.size < LIMIT) cache.set(text, bytes);
  }
  return bytes;
}

/**
 * Decoding: a two-way set-associative table of recently decoded texts, indexed by a murmur3-style
 * hash of the bytes taken four at a time. A hit is confirmed byte for byte against a private
 * copy and skips both the UTF-8 check and the decode; a miss decodes and evicts the older text
 * of its set. Only short byte ranges are cached: copies of up to 64 bytes live on the
 * JavaScript heap, without a backing store of their own.
 */
const SETS = 256;
const MAX_CACHED_LENGTH = 64;
/** Slot `2s` holds the newer text of set `s`, slot `2s + 1` the older one. */
const slotTexts: string[] = new Array<string>(2 * SETS).fill('');
/** The bytes each slot's text was decoded from; an empty slot holds `EMPTY_SLOT`. */
const EMPTY_SLOT = new Uint8Array(0);
const slotBytes: Uint8Array[] = new Array<Uint8Array>(2 * SETS).fill(EMPTY_SLOT);

/** The slot each lane found its text in last; tried before hashing, since texts come in runs. */
const LANES = 4;
const laneSlots = new Int32Array(LANES);

/**
 * The text of the `length` UTF-8 bytes of `bytes` at `offset` (the caller checks bounds), or
 * undefined when they are not valid UTF-8. Repeated byte ranges come from the cache. Callers
 * decoding different kinds of text (topics, payload types) pass different `lane`s below 4.
 */
export function utf8Text(bytes: Uint8Array, offset: number, length: number, lane = 0): string | undefined {
  if (length > MAX_CACHED_LENGTH) return decodeUtf8(bytes, offset, length);
  const recent = laneSlots[lane]!;
  if (slotHolds(recent, bytes, offset, length)) return slotTexts[recent];
  const slot = 2 * (hashBytes(bytes, offset, length) & (SETS - 1));
  if (slotHolds(slot, bytes, offset, length)) {
    laneSlots[lane] = slot;
    return slotTexts[slot];
  }
  if (slotHolds(slot + 1, bytes, offset, length)) {
    laneSlots[lane] = slot + 1;
    return slotTexts[slot + 1];
  }
  const text = decodeUtf8(bytes, offset, length);
  if (text === undefined) return undefined;
  const copy = new Uint8Array(length);
  for (let i = 0; i < length; i++) copy[i] = bytes[offset + i]!;
  slotTexts[slot + 1] = slotTexts[slot]!;
  slotBytes[slot + 1] = slotBytes[slot]!;
  slotTexts[slot] = text;
  slotBytes[slot] = copy;
  laneSlots[lane] = slot;
  return text;
}

/** murmur3 (x86, 32-bit) mixing with seed `length`. */
function hashBytes(bytes: Uint8Array, offset: number, length: number): number {
  const end = offset + length;
  let hash = length;
  let i = offset;
  for (; i + 4 <= end; i += 4) {
    const word = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    hash = Math.imul(hash ^ Math.imul(word, 0xcc9e2d51), 0x1b873593);
    hash = (hash << 13) | (hash >>> 19);
  }
  let tail = 0;
  for (let shift = 0; i < end; i++, shift += 8) tail |= bytes[i]! << shift;
  hash = Math.imul(hash ^ tail, 0x1b873593);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

/** Compared from the end: texts that share a length mostly differ in their last bytes (ids). */
function slotHolds(slot: number, bytes: Uint8Array, offset: number, length: number): boolean {
  const cached = slotBytes[slot]!;
  if (cached.length !== length || cached === EMPTY_SLOT) return false;
  for (let i = length - 1; i >= 0; i--) if (cached[i] !== bytes[offset + i]) return false;
  return true;
}

function decodeUtf8(bytes: Uint8Array, offset: number, length: number): string | undefined {
  const slice = bytes.subarray(offset, offset + length);
  if (!isUtf8(slice)) return undefined;
  return Buffer.from(slice.buffer, slice.byteOffset, length).toString('utf8');
}
