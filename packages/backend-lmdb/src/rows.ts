/**
 * The rows of a run's LMDB environment and their byte layout. Three named databases: `entries`
 * (last seq of a block as u64 big-endian → entry block, see entry-blocks.ts in
 * @tapelog/core/backend), `index` (kind ‖ 0x00 ‖ UTF-8 key → first seq) and `meta`
 * (store-format marker, manifest, anchor). LMDB keeps no checksums, so every row the
 * entry hash does not protect carries its own: a flipped bit reads as CORRUPTED, never as a
 * plausible wrong value.
 */
import { blake3 } from '@tapelog/core';

export const ENTRIES_DATABASE = 'entries';
export const INDEX_DATABASE = 'index';
export const META_DATABASE = 'meta';

export const FORMAT_KEY = Buffer.from('format');
export const MANIFEST_KEY = Buffer.from('manifest');
export const ANCHOR_KEY = Buffer.from('anchor');

const SEQ_BYTES = 8;
const KIND_TERMINATOR = 0x00;
const RECORD_CHECKSUM_BYTES = 16;
const INDEX_CHECKSUM_BYTES = 8;

/** Writes the entries key of `seq` into `key` (8 bytes): u64 big-endian, so key order is seq order. */
export function writeSeqKey(key: Buffer, seq: number): Buffer {
  key.writeUInt32BE(Math.floor(seq / 0x1_0000_0000), 0);
  key.writeUInt32BE(seq >>> 0, 4);
  return key;
}

/** The entries key of `seq`, freshly allocated. */
export function seqKey(seq: number): Buffer {
  return writeSeqKey(Buffer.allocUnsafe(SEQ_BYTES), seq);
}

/** The seq of an entries key, or undefined when the key is not 8 bytes of a safe integer. */
export function seqOfKey(key: Uint8Array): number | undefined {
  if (key.length !== SEQ_BYTES) return undefined;
  const high = (key[0]! << 24) | (key[1]! << 16) | (key[2]! << 8) | key[3]!;
  if (high >>> 0 > 0x1f_ffff || high < 0) return undefined;
  return high * 0x1_0000_0000 + (((key[4]! << 24) | (key[5]! << 16) | (key[6]! << 8) | key[7]!) >>> 0);
}

/** `kind ‖ 0x00 ‖ key`: kinds match /^[a-z][a-z0-9_]*$/, so the 0x00 ends them unambiguously. */
export function indexRowKey(kind: string, key: string): Buffer {
  return Buffer.concat([Buffer.from(kind, 'latin1'), Buffer.of(KIND_TERMINATOR), Buffer.from(key, 'utf8')]);
}

/** The key range [start, end) of one kind's rows. */
export function indexKindBounds(kind: string): { start: Buffer; end: Buffer } {
  const start = Buffer.concat([Buffer.from(kind, 'latin1'), Buffer.of(KIND_TERMINATOR)]);
  const end = Buffer.from(start);
  end[end.length - 1] = KIND_TERMINATOR + 1;
  return { start, end };
}

function indexChecksum(rowKey: Uint8Array, seq: Buffer): Uint8Array {
  return blake3(Buffer.concat([rowKey, seq])).subarray(0, INDEX_CHECKSUM_BYTES);
}

/** An index row value: the seq (u64 BE) ‖ 8 bytes of BLAKE3(row key ‖ seq), binding the seq to its key. */
export function encodeIndexValue(rowKey: Uint8Array, seq: number): Buffer {
  const seqBytes = seqKey(seq);
  return Buffer.concat([seqBytes, indexChecksum(rowKey, seqBytes)]);
}

/** The seq of an index row value, or undefined when it is malformed or fails its checksum. */
export function decodeIndexValue(rowKey: Uint8Array, value: Uint8Array): number | undefined {
  if (value.length !== SEQ_BYTES + INDEX_CHECKSUM_BYTES) return undefined;
  const seqBytes = Buffer.from(value.subarray(0, SEQ_BYTES));
  if (!Buffer.from(indexChecksum(rowKey, seqBytes)).equals(value.subarray(SEQ_BYTES))) return undefined;
  return seqOfKey(seqBytes);
}

/** A meta row value: 16 bytes of BLAKE3(record) ‖ record. */
export function checksummed(record: Uint8Array): Buffer {
  return Buffer.concat([blake3(record).subarray(0, RECORD_CHECKSUM_BYTES), record]);
}

/** The record of a meta row value, or undefined when its checksum does not match. */
export function unchecksummed(value: Uint8Array): Uint8Array | undefined {
  if (value.length < RECORD_CHECKSUM_BYTES) return undefined;
  const record = value.subarray(RECORD_CHECKSUM_BYTES);
  return Buffer.from(blake3(record).subarray(0, RECORD_CHECKSUM_BYTES)).equals(value.subarray(0, RECORD_CHECKSUM_BYTES)) ? record : undefined;
}

/** The store-format marker row: the version as a checksummed u32 BE. */
export function encodeFormatValue(version: number): Buffer {
  const record = Buffer.allocUnsafe(4);
  record.writeUInt32BE(version >>> 0, 0);
  return checksummed(record);
}

/** The version in a marker row, or undefined when the row is malformed. */
export function decodeFormatValue(value: Uint8Array): number | undefined {
  const record = unchecksummed(value);
  return record === undefined || record.length !== 4 ? undefined : Buffer.from(record).readUInt32BE(0);
}
