/**
 * The marker manifest as the LevelDB marker store keeps it: BLAKE3(record)[0..16] ‖ record. The
 * manifest is the one row no marker hash covers, so without the checksum a flipped byte could
 * rename the run or turn high fidelity on and still decode. Rows written before the checksum
 * (a bare framed record) are still read.
 */
import { blake3, corruptedError } from '@tapelog/core';
import type { MarkerManifest } from '@tapelog/markers';
import { decodeMarkerManifest, encodeMarkerManifest } from '@tapelog/markers/store';

const CHECKSUM_LENGTH = 16;

export function encodeManifestRow(manifest: MarkerManifest): Uint8Array {
  const record = encodeMarkerManifest(manifest);
  const row = new Uint8Array(CHECKSUM_LENGTH + record.length);
  row.set(blake3(record).subarray(0, CHECKSUM_LENGTH), 0);
  row.set(record, CHECKSUM_LENGTH);
  return row;
}

/** The manifest of a row; CORRUPTED naming `path` when the checksum fails or the record does not decode. */
export function decodeManifestRow(row: Uint8Array, path: string): MarkerManifest {
  if (row.length > CHECKSUM_LENGTH) {
    const record = row.subarray(CHECKSUM_LENGTH);
    const digest = blake3(record);
    let matches = true;
    for (let i = 0; i < CHECKSUM_LENGTH && matches; i++) matches = digest[i] === row[i];
    if (matches) return decodeMarkerManifest(record);
  }
  // A row from before the checksum starts with the record frame; a damaged checksummed row does
  // not, so it fails to decode here and is reported as CORRUPTED.
  try {
    return decodeMarkerManifest(row);
  } catch (error) {
    throw corruptedError(`decode marker manifest of marker store at ${path}: checksum mismatch or malformed record; quarantine the run and verify it`, {
      cause: error,
    });
  }
}
