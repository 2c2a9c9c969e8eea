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

/** An index row value: seq (u64 BE) ‖ BLAKE3(row key ‖ seq)[0..8], binding the seq to its key. */
export function encodeIndexValue(rowKey: Uint8Array, seq: number): Buffer {
  const value = Buffer.allocUnsafe(8 + INDEX_CHECKSUM_LENGTH);
  value.writeUInt32BE(Math.floor(seq / 4294967296), 0);
  value.writeUInt32BE(seq >>> 0, 4);
  value.set(indexChecksum(rowKey, value.subarray(0, 8)), 8);
  return value;
}

/** The seq of an index row, or undefined when the row is malformed or fails its checksum. */
export function decodeIndexValue(rowKey: Uint8Array, value: Uint8Array): number | undefined {
  if (value.length !== 8 + INDEX_CHECKSUM_LENGTH) return undefined;
  const expected = indexChecksum(rowKey, value.subarray(0, 8));
  for (let i = 0; i < INDEX_CHECKSUM_LENGTH; i++) if (expected[i] !== value[8 + i]) return undefined;
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const high = view.getUint32(0);
  if (high > 0x1fffff) return undefined;
  return high * 4294967296 + view.getUint32(4);
}

function indexChecksum(rowKey: Uint8Array, seqBytes: Uint8Array): Uint8Array {
  const input = Buffer.allocUnsafe(rowKey.length + 8);
  input.set(rowKey, 0);
  input.set(seqBytes, rowKey.length);
  return blake3(input).subarray(0, INDEX_CHECKSUM_LENGTH);
}
