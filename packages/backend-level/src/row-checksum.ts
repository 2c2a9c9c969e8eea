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
 */
export function decodeIndexValue(rowKey: Uint8Array | string, value: Uint8Array | string): number | undefined {
  const text = typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1');
  const colon = text.indexOf(':');
  if (colon < 1 || colon > 16 || text.length !== colon + 1 + INDEX_CHECKSUM_HEX_LENGTH) return undefined;
  const digits = text.slice(0, colon);
  if (!/^(0|[1-9][0-9]*)$/.test(digits)) return undefined;
  const seq = Number(digits);
  if (!Number.isSafeInteger(seq)) return undefined;
  const keyBytes = typeof rowKey === 'string' ? Buffer.from(rowKey, 'utf8') : rowKey;
  return text.slice(colon + 1) === indexChecksumHex(keyBytes, seq) ? seq : undefined;
}

const INDEX_CHECKSUM_HEX_LENGTH = INDEX_CHECKSUM_LENGTH * 2;

function indexChecksumHex(rowKey: Uint8Array, seq: number): string {
  const input = Buffer.allocUnsafe(rowKey.length + 8);
  input.set(rowKey, 0);
  input.writeUInt32BE(Math.floor(seq / 4294967296), rowKey.length);
  input.writeUInt32BE(seq >>> 0, rowKey.length + 4);
  return Buffer.from(blake3(input).buffer, 0, INDEX_CHECKSUM_LENGTH).toString('hex');
}
