/**
 * Checksums for the rows an entry hash does not protect (manifest, anchor, index rows, format
 * marker). LevelDB does not verify block checksums on reads, so a flipped bit in a table file
 * could otherwise decode as a plausible but wrong value; with these it surfaces as CORRUPTED.
 */
import { blake3 } from '@tapelog/core';

const RECORD_CHECKSUM_LENGTH = 16;
const INDEX_CHECKSUM_LENGTH = 8;

/** `BLAKE3(record)[0..16] ‖ record`. */
export function withRecordChecksum(record: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(RECORD_CHECKSUM_LENGTH + record.length);
  out.set(blake3(record).subarray(0, RECORD_CHECKSUM_LENGTH), 0);
  out.set(record, RECORD_CHECKSUM_LENGTH);
  return out;
}

/** The record inside a checksummed row, or undefined when the checksum does not match. */
export function recordOfChecksummedRow(value: Uint8Array): Uint8Array | undefined {
  if (value.length < RECORD_CHECKSUM_LENGTH) return undefined;
  const record = value.subarray(RECORD_CHECKSUM_LENGTH);
  const expected = blake3(record);
  for (let i = 0; i < RECORD_CHECKSUM_LENGTH; i++) if (expected[i] !== value[i]) return undefined;
  return record;
}

/**
 * An index row value, ASCII text so listings can read whole index ranges as strings (no native
 * buffer per row): the seq in decimal, `:`, then 16 hex digits of BLAKE3(row key ‖ seq as u64
 * BE)[0..8], which binds the seq to its key.
 */
export function encodeIndexValue(rowKey: Uint8Array, seq: number): Buffer {
  return Buffer.from(`${seq}:${indexChecksumHex(rowKey, seq)}`, 'latin1');
}

/**
 * The seq of an index row (value given as bytes or as the text read back), or undefined when
 * the row is malformed or fails its checksum. `rowKey` is the key's bytes or its UTF-8 text.
 * Allocation-free on the common path: listings check every index row of a run with it.
 */
export function decodeIndexValue(rowKey: Uint8Array | string, value: Uint8Array | string): number | undefined {
  const text = typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1');
  const colon = text.indexOf(':');
  if (colon < 1 || colon > 16 || text.length !== colon + 1 + INDEX_CHECKSUM_HEX_LENGTH) return undefined;
  // Canonical decimal only: no sign, no leading zero, safe integer.
  if (colon > 1 && text.charCodeAt(0) === 0x30) return undefined;
  let seq = 0;
  for (let i = 0; i < colon; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    seq = seq * 10 + digit;
  }
  if (!Number.isSafeInteger(seq)) return undefined;
  const digest = indexChecksum(rowKey, seq);
  for (let i = 0; i < INDEX_CHECKSUM_LENGTH; i++) {
    const high = hexValue(text.charCodeAt(colon + 1 + 2 * i));
    const low = hexValue(text.charCodeAt(colon + 2 + 2 * i));
    if (high < 0 || low < 0 || ((high << 4) | low) !== digest[i]) return undefined;
  }
  return seq;
}

const INDEX_CHECKSUM_HEX_LENGTH = INDEX_CHECKSUM_LENGTH * 2;
/** Lower-case hex digits only: the canonical text has no upper case. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;

function hexValue(code: number): number {
  return code < 128 ? HEX_VALUE[code]! : -1;
}

/** Reused input buffer for checksums of keys up to its size (larger keys allocate). */
const scratch = Buffer.allocUnsafe(4096);

/** BLAKE3(row key bytes ‖ seq as u64 BE); the first INDEX_CHECKSUM_LENGTH bytes are the checksum. */
function indexChecksum(rowKey: Uint8Array | string, seq: number): Uint8Array {
  const keyLength = typeof rowKey === 'string' ? Buffer.byteLength(rowKey, 'utf8') : rowKey.length;
  const input = keyLength + 8 <= scratch.length ? scratch.subarray(0, keyLength + 8) : Buffer.allocUnsafe(keyLength + 8);
  if (typeof rowKey === 'string') input.write(rowKey, 0, 'utf8');
  else input.set(rowKey, 0);
  input.writeUInt32BE(Math.floor(seq / 4294967296), keyLength);
  input.writeUInt32BE(seq >>> 0, keyLength + 4);
  return blake3(input);
}

function indexChecksumHex(rowKey: Uint8Array, seq: number): string {
  return Buffer.from(indexChecksum(rowKey, seq).buffer, 0, INDEX_CHECKSUM_LENGTH).toString('hex');
}
